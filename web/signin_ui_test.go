//go:build browser

package web

import (
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/internal/oidctest"
	"github.com/chromedp/chromedp"
)

// TestBrowserSingleSignOn: an employee signs in with one click on "Sign in
// with …" through a real OpenID Provider and lands as a reporter; a
// responder's group gives them the queue. The sign-in page passes axe-core.
func TestBrowserSingleSignOn(t *testing.T) {
	ts, op := ssoServer(t, "sqlite", false)
	ts.Srv.DeskPhone = "555-0100"
	b := newBrowser(t, ts.URL)
	tab := b.tab(t)
	b.open(t, tab, "/login")
	b.check(t, tab, "login-sso")
	b.submit(t, tab, "a.btn[href='/auth/oidc/start']")
	if loc := b.location(tab); loc != ts.URL+"/" {
		t.Fatalf("after one click: %s, want the reporter's home", loc)
	}
	if nav := b.text(t, tab, "nav"); !strings.Contains(nav, "My reports") {
		t.Errorf("a new employee's menu: %q, want a reporter's", nav)
	}
	op.Add(oidctest.Person{Subject: "sam-2", Email: "sam@example.org", EmailVerified: true, Name: "Sam Okafor",
		Groups: []string{"security-team"}})
	op.SignInAs("sam-2")
	resp := b.tab(t)
	b.open(t, resp, "/queue")
	b.submit(t, resp, "a.btn[href^='/auth/oidc/start']")
	if loc := b.location(resp); loc != ts.URL+"/queue" {
		t.Errorf("a responder after signing in: %s, want the queue", loc)
	}
}

// TestBrowserReportWithoutSigningIn: a person with no account reports a
// lost laptop from the sign-in page without signing in, in under a minute,
// and follows the case by its private link in another browser.
func TestBrowserReportWithoutSigningIn(t *testing.T) {
	ls := newLinkServer(t, "sqlite")
	ls.Srv.Follow = ls.DB
	b := newBrowser(t, ls.URL)
	tab := b.tab(t)
	start := time.Now()
	b.open(t, tab, "/login")
	b.submit(t, tab, "a[href='/report']")
	b.check(t, tab, "report-anonymous")
	b.do(t, tab, chromedp.Click(chromedp.CSS("input[name=kind][value=lost_device]")),
		chromedp.SendKeys(chromedp.ID("details"), "I left my work laptop on the train this morning."),
		chromedp.SendKeys(chromedp.ID("contact-name"), "Pat Doe"))
	b.submit(t, tab, "form[data-report] button[type=submit]")
	if h := b.text(t, tab, "h1"); !strings.Contains(h, "We have your report") {
		t.Fatalf("after sending: %q\n%s", h, b.text(t, tab, "main"))
	}
	took := time.Since(start)
	b.check(t, tab, "sent-anonymous")
	link, ref := b.text(t, tab, "code.follow-link"), b.text(t, tab, "strong.ref")
	if took > time.Minute || !strings.Contains(link, "/follow/") || !strings.HasPrefix(ref, ally.RefPrefix) {
		t.Fatalf("took %s; follow link %q, code %q", took, link, ref)
	}
	t.Logf("reported without signing in in %s", took.Round(time.Millisecond))
	later := b.tab(t)
	b.do(t, later, chromedp.Navigate(link))
	if mine := b.text(t, later, "main"); !strings.Contains(mine, ref) {
		t.Errorf("the follow link's page does not show %s:\n%s", ref, mine)
	}
	b.check(t, later, "follow-home")
}
