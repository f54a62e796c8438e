// Package storetest opens real, throw-away Ally databases for tests: a
// SQLite file in the test's temporary folder, and a fresh PostgreSQL schema
// when ALLY_TEST_POSTGRES holds a URL.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/allydesk/ally/store"
)

// Engines lists the engines to test: "sqlite" always, "postgres" when
// ALLY_TEST_POSTGRES is set.
func Engines() []string {
	if os.Getenv("ALLY_TEST_POSTGRES") != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// DSN returns a fresh, empty database for engine, removed when t ends.
func DSN(t testing.TB, engine string) string {
	t.Helper()
	if engine == "sqlite" {
		return filepath.Join(t.TempDir(), "ally.db")
	}
	base := os.Getenv("ALLY_TEST_POSTGRES")
	if base == "" {
		t.Fatal("ALLY_TEST_POSTGRES is not set")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema on %s: %v", base, err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open returns a migrated database for engine, closed when t ends.
func Open(t testing.TB, engine string, opts store.Options) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), DSN(t, engine), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}
