package store_test

import (
	"context"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// leader runs db.Lead in the background, counting whether its work runs.
type leader struct {
	running atomic.Int32
	starts  atomic.Int32
	stop    context.CancelFunc
	done    chan struct{}
}

func lead(t *testing.T, db *store.DB, both *atomic.Int32, most *atomic.Int32) *leader {
	ctx, cancel := context.WithCancel(context.Background())
	l := &leader{stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		db.Lead(ctx, "imap mailbox", func(ctx context.Context) {
			l.running.Store(1)
			l.starts.Add(1)
			n := both.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			<-ctx.Done()
			both.Add(-1)
			l.running.Store(0)
		})
	}()
	t.Cleanup(func() { cancel(); <-l.done })
	return l
}

func within(d time.Duration, ok func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if ok() {
			return true
		}
	}
	return ok()
}

func openDSN(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// Issue 19: work that must not run twice (the IMAP watcher) runs on one
// instance at a time; when that instance stops, another takes over.
func TestLeadRunsOnOneInstance(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			var both, most atomic.Int32
			a := lead(t, openDSN(t, dsn), &both, &most)
			if !within(5*time.Second, func() bool { return a.running.Load() == 1 }) {
				t.Fatal("the first instance never started its work")
			}
			b := lead(t, openDSN(t, dsn), &both, &most)
			time.Sleep(4 * time.Second) // longer than an instance standing by waits between tries
			if b.starts.Load() != 0 || most.Load() != 1 {
				t.Fatalf("the second instance ran too (%d starts; at most %d at once)", b.starts.Load(), most.Load())
			}
			a.stop()
			<-a.done
			if !within(5*time.Second, func() bool { return b.running.Load() == 1 }) {
				t.Fatal("the second instance did not take over when the first stopped")
			}
			if most.Load() != 1 {
				t.Errorf("at most %d ran at once; want 1", most.Load())
			}
		})
	}
}

// Issue 19: when the leading instance's database connection dies (the
// instance crashed, or is cut off), PostgreSQL drops its lock, another
// instance takes over, and the cut-off one stops its work.
func TestLeadTakenOverWhenHolderIsCutOff(t *testing.T) {
	if os.Getenv("ALLY_TEST_POSTGRES") == "" {
		t.Skip("needs ALLY_TEST_POSTGRES")
	}
	dsn := storetest.DSN(t, "postgres")
	viaProxy, proxy := storetest.Outage(t, dsn)
	var both, most atomic.Int32
	a := lead(t, openDSN(t, viaProxy), &both, &most)
	if !within(5*time.Second, func() bool { return a.running.Load() == 1 }) {
		t.Fatal("the first instance never started its work")
	}
	b := lead(t, openDSN(t, dsn), &both, &most)
	proxy.Cut()
	if !within(10*time.Second, func() bool { return b.running.Load() == 1 }) {
		t.Fatal("no instance took over from the one cut off")
	}
	if !within(5*time.Second, func() bool { return a.running.Load() == 0 }) {
		t.Fatal("the cut-off instance kept working without its lock")
	}
}
