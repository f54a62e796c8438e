package web

import (
	"context"
	"io"
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

// get sends a GET with the given header and returns the status.
func get(t *testing.T, url, header, value string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set(header, value)
	res, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// Issue 19 (attack sweep): while PostgreSQL cannot be reached, a bearer
// token or a session is answered 503 with Retry-After, never 401 "not
// valid" or a trip to the sign-in page; /readyz says 503; and when the
// database comes back, the same server answers again without a restart.
func TestDatabaseOutageAnswers503NotSignedOut(t *testing.T) {
	if os.Getenv("ALLY_TEST_POSTGRES") == "" {
		t.Skip("needs ALLY_TEST_POSTGRES")
	}
	base := storetest.DSN(t, "postgres")
	dsn, proxy := storetest.Outage(t, base)
	ctx := context.Background()
	ts := serveDSN(t, dsn)
	db, hs := ts.DB, ts
	op := ally.NewOperatorContext(ctx)
	if _, err := db.CreateUser(op, &ally.NewUser{Email: "rita@example.com", Name: "Rita", Role: ally.RoleReporter,
		Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	tok, err := db.CreateToken(op, "rita@example.com", "t")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := db.FindUserByEmail(op, "rita@example.com")
	sess, err := db.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cookie := SessionCookie + "=" + sess.Secret
	check := func(when string, want int) {
		t.Helper()
		if res := get(t, hs.URL+"/api/v1/cases", "Authorization", "Bearer "+tok); res.StatusCode != want {
			t.Errorf("%s: bearer read answered %d; want %d", when, res.StatusCode, want)
		} else if want == 503 && res.Header.Get("Retry-After") == "" {
			t.Errorf("%s: 503 without Retry-After", when)
		}
		res := get(t, hs.URL+"/", "Cookie", cookie)
		if res.StatusCode != want {
			t.Errorf("%s: signed-in page answered %d (Location %q); want %d", when, res.StatusCode,
				res.Header.Get("Location"), want)
		}
		if res := get(t, hs.URL+"/readyz", "Accept", "application/json"); res.StatusCode != want {
			t.Errorf("%s: /readyz answered %d; want %d", when, res.StatusCode, want)
		}
	}
	check("before the outage", 200)
	proxy.Cut()
	check("during the outage", 503)
	if res := get(t, hs.URL+"/api/v1/cases", "Authorization", "Bearer ally_not-a-token"); res.StatusCode != 503 {
		t.Errorf("during the outage, an unknown token answered %d; want 503 (no one can tell yet)", res.StatusCode)
	}
	if err := proxy.Restore(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for get(t, hs.URL+"/readyz", "Accept", "application/json").StatusCode != 200 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	check("after the outage", 200)
	if res := get(t, hs.URL+"/api/v1/cases", "Authorization", "Bearer ally_not-a-token"); res.StatusCode != 401 {
		t.Errorf("an unknown token answered %d; want 401", res.StatusCode)
	}
	if res := get(t, hs.URL+"/", "Cookie", SessionCookie+"=stale"); res.StatusCode != http.StatusSeeOther ||
		!strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("a stale cookie answered %d; want the sign-in page", res.StatusCode)
	}
}

// TestReadOnlyDatabaseAnswers503WithoutRetry: a database that may only be
// read (a PostgreSQL standby; a SQLite file Ally cannot write) is answered
// 503 with the words of ally.ErrReadOnly and no Retry-After, since waiting
// will not help until someone fixes it; reads still answer.
func TestReadOnlyDatabaseAnswers503WithoutRetry(t *testing.T) {
	if os.Getenv("ALLY_TEST_POSTGRES") == "" {
		t.Skip("needs ALLY_TEST_POSTGRES")
	}
	dsn := storetest.DSN(t, "postgres")
	rw := serveDSN(t, dsn)
	op := ally.NewOperatorContext(context.Background())
	if _, err := rw.DB.CreateUser(op, &ally.NewUser{Email: "rita@example.com", Name: "Rita",
		Role: ally.RoleReporter, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	tok, err := rw.DB.CreateToken(op, "rita@example.com", "t")
	if err != nil {
		t.Fatal(err)
	}
	ro, err := store.Open(context.Background(), dsn+"&default_transaction_read_only=on", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ro.Close() })
	hs := httptest.NewServer(New(Config{Services: Services{Cases: ro, Users: ro, Audit: ro, Tasks: ro,
		Metrics: ro, Attachments: ro, Insights: ro, Practice: ro}, Playbooks: ro.Playbooks(), Ready: ro.Ping}))
	t.Cleanup(hs.Close)
	req, _ := http.NewRequest(http.MethodPost, hs.URL+"/api/v1/cases",
		strings.NewReader(`{"kind":"phishing","summary":"I clicked a link in an odd email"}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	res, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "" ||
		!strings.Contains(string(body), "the database is read-only") {
		t.Errorf("a report on a read-only database: %d, Retry-After %q, %s", res.StatusCode,
			res.Header.Get("Retry-After"), body)
	}
}
