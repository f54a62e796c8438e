package store

import "testing"

// TestSQLiteConnectionCaches: the writer keeps a 64 MiB page cache and each
// of the 8 readers readerCacheKiB (chosen by benchmark, docs/performance.md),
// set on every connection rather than left to the library's default.
func TestSQLiteConnectionCaches(t *testing.T) {
	db := openMigrated(t)
	var w, r int
	if err := db.write.QueryRow("PRAGMA cache_size").Scan(&w); err != nil {
		t.Fatal(err)
	}
	if err := db.read.QueryRow("PRAGMA cache_size").Scan(&r); err != nil {
		t.Fatal(err)
	}
	if w != -65536 || r != -readerCacheKiB {
		t.Fatalf("cache_size: writer %d, reader %d; want -65536 and %d", w, r, -readerCacheKiB)
	}
}
