package web

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

// loginFrom posts the sign-in form, as if forwarded for xff when not empty.
func loginFrom(t *testing.T, ts *testServer, email, password, xff string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/login",
		strings.NewReader(url.Values{"email": {email}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", ts.URL)
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	res, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

// Issue 20 F1: one network gets a bounded number of sign-in attempts a
// minute, however many different emails it tries.
func TestSignInNetworkLimitIgnoresEmail(t *testing.T) {
	ts := newTestServer(t)
	now := time.Now() // the allowance refills as time passes: hold the clock
	ts.Srv.Now = func() time.Time { return now }
	for i := range 70 {
		res := loginFrom(t, ts, fmt.Sprintf("spray%d@example.org", i), "wrong password here", "")
		if res.StatusCode == http.StatusTooManyRequests {
			if i < 60 || res.Header.Get("Retry-After") == "" {
				t.Fatalf("attempt %d refused (Retry-After %q); want 60 allowed, then a Retry-After", i,
					res.Header.Get("Retry-After"))
			}
			return
		}
	}
	t.Fatal("70 sign-in attempts with different emails from one address were all let through")
}

// Issue 20 F8: a failing account waits longer each time, but never from a
// network it has signed in from, and never for good.
func TestSignInAccountBackoff(t *testing.T) {
	ts := newTestServer(t)
	pw := ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	ts.Srv.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
	now := time.Now()
	ts.Srv.Now = func() time.Time { return now }
	if res := loginFrom(t, ts, "rita@example.com", pw, "198.51.100.7"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Rita's own sign-in: %d", res.StatusCode)
	}
	for i := range 5 { // an attacker, each guess from a different network
		loginFrom(t, ts, "rita@example.com", "wrong password here", fmt.Sprintf("203.0.%d.1", i))
	}
	res := loginFrom(t, ts, "rita@example.com", pw, "192.0.2.1")
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("after 5 failures from 5 networks, a new network answered %d; want 429 with Retry-After", res.StatusCode)
	}
	if res := loginFrom(t, ts, "rita@example.com", pw, "198.51.100.7"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("Rita, from her usual network, answered %d: the attacker locked her out", res.StatusCode)
	}
	now = now.Add(ally.SignInMaxBackoff)
	if res := loginFrom(t, ts, "rita@example.com", pw, "192.0.2.1"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after the longest wait, a new network answered %d", res.StatusCode)
	}
}

// Issue 20 F8: X-Forwarded-For counts only when a trusted proxy sends it.
func TestSignInForwardedForOnlyFromTrustedProxies(t *testing.T) {
	ts := newTestServer(t)
	for i := range 11 { // untrusted: the header is ignored, so the pair limit applies
		res := loginFrom(t, ts, "ghost@example.org", "wrong password here", fmt.Sprintf("203.0.113.%d", i))
		if i == 10 && res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("forged X-Forwarded-For escaped the limit: %d", res.StatusCode)
		}
	}
	ts = newTestServer(t)
	ts.Srv.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
	now := time.Now() // the allowance refills as time passes: hold the clock
	ts.Srv.Now = func() time.Time { return now }
	for i := range ally.SignInNetworkRate.Burst { // one client network uses up its allowance
		loginFrom(t, ts, fmt.Sprintf("spray%d@example.org", i), "wrong password here", "192.0.2.1, 203.0.113.9")
	}
	if res := loginFrom(t, ts, "a@example.org", "wrong password here", "203.0.113.200"); res.StatusCode != 429 {
		t.Errorf("the limited network's next attempt answered %d", res.StatusCode)
	}
	if res := loginFrom(t, ts, "b@example.org", "wrong password here", "198.51.100.77"); res.StatusCode == 429 {
		t.Errorf("behind a trusted proxy, one client's attempts limited another's")
	}
}
