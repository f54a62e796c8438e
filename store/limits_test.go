package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// A rate allows its burst, then one event each interval, per key; a quiet
// spell saves up no more than the burst.
func TestTakeRateRefills(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			db, ctx := storetest.Open(t, engine, store.Options{}), context.Background()
			r := ally.Rate{What: "things", Burst: 3, Every: time.Second}
			now := time.Now()
			take := func(key string) time.Duration {
				t.Helper()
				wait, err := db.TakeRate(ctx, key, r, now)
				if err != nil {
					t.Fatal(err)
				}
				return wait
			}
			for i := range 3 {
				if wait := take("u1"); wait != 0 {
					t.Fatalf("event %d of the burst refused", i)
				}
			}
			if wait := take("u1"); wait != time.Second {
				t.Fatalf("past the burst: wait %v, want 1s", wait)
			}
			if wait := take("u2"); wait != 0 {
				t.Fatal("another key was refused")
			}
			now = now.Add(500 * time.Millisecond)
			if wait := take("u1"); wait != 500*time.Millisecond {
				t.Fatalf("half an interval later: wait %v, want 500ms", wait)
			}
			now = now.Add(time.Hour)
			for i := range 3 {
				if wait := take("u1"); wait != 0 {
					t.Fatalf("after a quiet hour, event %d refused", i)
				}
			}
			if wait := take("u1"); wait == 0 {
				t.Fatal("a quiet hour saved up more than the burst")
			}
		})
	}
}

// Issue 20 F8: a spray of keys never frees a limited key, even past the
// table's cap: the cap drops the rows nearest expiry, and the limited key's
// is the furthest.
func TestRateLimitSprayDoesNotUnlockVictim(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			db, ctx := storetest.Open(t, engine, store.Options{}), context.Background()
			store.CapLimitsForTest(t, 300)
			victim := ally.Rate{Burst: 10, Every: time.Hour}
			now := time.Now()
			for range 10 {
				if _, err := db.TakeRate(ctx, "victim", victim, now); err != nil {
					t.Fatal(err)
				}
			}
			for i := range 1200 {
				if i%600 == 0 { // let the sweep run during the spray
					now = now.Add(time.Minute + time.Millisecond)
					if wait, _ := db.TakeRate(ctx, "victim", victim, now); wait == 0 {
						t.Fatalf("the victim was let through after %d sprayed keys", i)
					}
				}
				if _, err := db.TakeRate(ctx, fmt.Sprint("spray", i), ally.Rate{Burst: 1, Every: time.Second},
					now); err != nil {
					t.Fatal(err)
				}
			}
			now = now.Add(time.Minute + time.Millisecond)
			if wait, _ := db.TakeRate(ctx, "victim", victim, now); wait == 0 {
				t.Fatal("1,200 other keys unlocked a limited key")
			}
			if n, err := db.CountLimitsForTest(ctx); err != nil || n > 301 {
				t.Fatalf("the table holds %d rows (%v) after a sweep; the cap is 300", n, err)
			}
		})
	}
}

// Issue 20 F8: failing sign-ins make the account wait, doubling, capped,
// except from a network it signed in from; success forgets the failures.
func TestSignInBackoffShared(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			db, ctx := storetest.Open(t, engine, store.Options{}), context.Background()
			now := time.Now()
			wait := func(network string) time.Duration {
				t.Helper()
				w, err := db.SignInWait(ctx, "rita@example.com", network, now)
				if err != nil {
					t.Fatal(err)
				}
				return w
			}
			if err := db.SignInSucceeded(ctx, "rita@example.com", "198.51.100.0/24", now); err != nil {
				t.Fatal(err)
			}
			var waits []time.Duration
			for range ally.SignInFreeFailures + 12 {
				if err := db.SignInFailed(ctx, "rita@example.com", now); err != nil {
					t.Fatal(err)
				}
				waits = append(waits, wait("203.0.113.0/24"))
			}
			for i, w := range waits {
				want := time.Duration(0)
				if k := i + 1 - ally.SignInFreeFailures; k >= 0 {
					want = min(ally.SignInMaxBackoff, time.Second<<k)
				}
				if w != want {
					t.Errorf("after %d failures: wait %v, want %v", i+1, w, want)
				}
			}
			if w := wait("198.51.100.0/24"); w != 0 {
				t.Errorf("from her own network Rita waits %v", w)
			}
			if err := db.SignInSucceeded(ctx, "rita@example.com", "192.0.2.0/24", now); err != nil {
				t.Fatal(err)
			}
			if w := wait("203.0.113.0/24"); w != 0 {
				t.Errorf("after a success, another network still waits %v", w)
			}
		})
	}
}
