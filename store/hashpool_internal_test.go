package store

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

func TestHashPoolBoundsConcurrencyAndTurnsAwayTheRest(t *testing.T) {
	p := newHashPool(2, 2)
	var running, peak, busy atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := p.do(context.Background(), false, func() {
				n := running.Add(1)
				for old := peak.Load(); n > old && !peak.CompareAndSwap(old, n); old = peak.Load() {
				}
				<-release
				running.Add(-1)
			})
			if ally.ErrorCode(err) == ally.ERATELIMITED {
				busy.Add(1)
			}
		}()
	}
	for deadline := time.Now().Add(5 * time.Second); busy.Load() < 12 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	wg.Wait()
	if peak.Load() > 2 || busy.Load() != 12 {
		t.Errorf("peak %d running (want ≤ 2), %d turned away (want 12)", peak.Load(), busy.Load())
	}
}

// openMigrated opens a fresh, migrated SQLite database for this package's
// internal tests, closed when t ends.
func openMigrated(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), t.TempDir()+"/a.db", Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ally.NewOperatorContext(context.Background())); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestUnknownEmailAllocatesNoHash(t *testing.T) {
	db := openMigrated(t)
	var err error
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err = db.Authenticate(context.Background(), "ghost@example.org", "correct horse battery")
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if ally.ErrorCode(err) != ally.EUNAUTHORIZED {
		t.Fatal(err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 4<<20 {
		t.Errorf("an unknown email allocated %d MiB (an argon2id hash is 19 MiB)", grew>>20)
	}
	if took < time.Duration(hashing.typical.Load())/2 {
		t.Errorf("an unknown email answered in %v, a real check takes about %v", took, time.Duration(hashing.typical.Load()))
	}
}

// A read with no transaction around it (readOne and readFew on
// PostgreSQL) refuses to write, as BEGIN READ ONLY would.
func TestBareReadRefusesWrites(t *testing.T) {
	db := openMigrated(t)
	ctx := context.Background()
	_, err := db.bare(db.write).exec(ctx, "DELETE FROM users")
	if !errors.Is(err, errWriteInRead) {
		t.Fatalf("a write in a bare read: %v, want refused", err)
	}
	// In a read transaction too, before the driver, whose read-only error
	// would be taken for a read-only database (ErrReadOnly).
	err = db.withRead(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "DELETE FROM users")
		return err
	})
	if !errors.Is(err, errWriteInRead) || errors.Is(err, ally.ErrReadOnly) {
		t.Fatalf("a write in a read transaction: %v, want refused as a store bug", err)
	}
}
