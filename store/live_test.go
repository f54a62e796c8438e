package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// TestLiveEvents: a new or changed case reaches the subscribers who may see
// it, and only them — on SQLite in the process, on PostgreSQL from another
// instance on the same database (LISTEN/NOTIFY).
func TestLiveEvents(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			f := newFixture(t, e)
			watcher := f.db // SQLite: one process; PostgreSQL: a second instance
			if e == "postgres" {
				other, err := store.Open(context.Background(), f.db.DSNForTest(), store.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { other.Close() })
				watcher = other
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			sub := func(u *ally.User) <-chan ally.CaseEvent {
				ch, err := watcher.Subscribe(ally.NewContextWithUser(ctx, u))
				if err != nil {
					t.Fatal(err)
				}
				return ch
			}
			resp, alice, bob, resp2 := sub(f.resp), sub(f.alice), sub(f.bob), sub(f.resp2)
			open := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindOther})
			conf := mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindOther, Confidential: true})
			if _, err := f.db.UpdateCase(f.as(f.lead), conf.Ref, ally.CaseUpdate{Assignee: ptr(f.resp.Email)}); err != nil {
				t.Fatal(err)
			}
			want := func(name string, ch <-chan ally.CaseEvent, events ...ally.CaseEvent) {
				t.Helper()
				for _, w := range events {
					select {
					case got := <-ch:
						if got != w {
							t.Errorf("%s: got %+v, want %+v", name, got, w)
						}
					case <-time.After(5 * time.Second):
						t.Fatalf("%s: no event, want %+v", name, w)
					}
				}
				select {
				case got := <-ch:
					t.Errorf("%s: unexpected %+v", name, got)
				case <-time.After(300 * time.Millisecond):
				}
			}
			created := func(c *ally.Case) ally.CaseEvent { return ally.CaseEvent{Ref: c.Ref, Change: ally.EventCreated} }
			changed := ally.CaseEvent{Ref: conf.Ref, Change: ally.EventChanged}
			want("responder", resp, created(open), changed) // the confidential case once assigned to them
			want("other responder", resp2, created(open))
			want("alice", alice, created(open))
			want("bob", bob, created(conf), changed)
			// A refused change publishes nothing.
			if _, err := f.db.UpdateCase(f.as(f.resp), open.Ref, ally.CaseUpdate{Assignee: ptr("nobody@x.org")}); err == nil {
				t.Fatal("a bad assignee was accepted")
			}
			want("after a refused change", resp)
			if _, err := watcher.Subscribe(context.Background()); ally.ErrorCode(err) != ally.EUNAUTHORIZED {
				t.Errorf("nobody signed in: %v", err)
			}
		})
	}
}
