package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// serveDSN starts a server with connections of its own to the database at
// dsn (migrating it), as one `ally serve` process would.
func serveDSN(t *testing.T, dsn string) *testServer {
	t.Helper()
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := New(Config{Services: Services{Cases: db, Users: db, Audit: db, Tasks: db, Metrics: db,
		Attachments: db, Insights: db, Practice: db}, Playbooks: db.Playbooks(), Ready: db.Ping})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testServer{URL: hs.URL, DB: db, Srv: srv}
}

// twoInstances starts two servers, each with its own connections, on one
// fresh PostgreSQL database: what two `ally serve` processes see.
func twoInstances(t *testing.T) (a, b *testServer) {
	t.Helper()
	if os.Getenv("ALLY_TEST_POSTGRES") == "" {
		t.Skip("needs ALLY_TEST_POSTGRES")
	}
	dsn := storetest.DSN(t, "postgres")
	return serveDSN(t, dsn), serveDSN(t, dsn)
}

// Issue 19 / 20 F7, F8: a limit used up through one instance holds on the
// other: sign-in attempts from a network, an account's backoff after
// failures, and a user's case rate.
func TestLimitsHoldAcrossInstances(t *testing.T) {
	a, b := twoInstances(t)
	now := time.Now() // the allowance refills as time passes: hold the clock
	a.Srv.Now = func() time.Time { return now }
	b.Srv.Now = a.Srv.Now
	for i := range ally.SignInNetworkRate.Burst {
		if res := loginFrom(t, a, fmt.Sprintf("spray%d@example.org", i), "wrong password here", ""); res.StatusCode == 429 {
			t.Fatalf("instance A refused attempt %d, within the network's allowance", i)
		}
	}
	if res := loginFrom(t, b, "someone@example.org", "wrong password here", ""); res.StatusCode != 429 {
		t.Errorf("instance B let the network through after A used up its allowance: %d", res.StatusCode)
	}

	tok := a.token(t, "script@example.org", ally.RoleReporter)
	post := func(ts *testServer) int {
		req, _ := http.NewRequest("POST", ts.URL+"/api/v1/cases", strings.NewReader(`{"kind":"lost_device"}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for i := range ally.CaseRate.Burst {
		if st := post([]*testServer{a, b}[i%2]); st != 201 {
			t.Fatalf("case %d (alternating instances): %d", i, st)
		}
	}
	for _, ts := range []*testServer{a, b} {
		if st := post(ts); st != 429 {
			t.Errorf("past the burst, spread over both instances, a case answered %d; want 429", st)
		}
	}
}

// Issue 20 F8 across instances: failures through A make the account wait
// on B.
func TestSignInBackoffAcrossInstances(t *testing.T) {
	a, b := twoInstances(t)
	pw := a.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	for range ally.SignInFreeFailures {
		loginFrom(t, a, "rita@example.com", "wrong password here", "")
	}
	if res := loginFrom(t, b, "rita@example.com", pw, ""); res.StatusCode != 429 {
		t.Errorf("after %d failures on A, B answered %d; want 429", ally.SignInFreeFailures, res.StatusCode)
	}
}
