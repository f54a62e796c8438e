//go:build browser

package web

import (
	"context"
	"testing"

	"github.com/allydesk/ally"
	"github.com/chromedp/chromedp"
)

// TestBrowserPhoneWidth opens every page at 390 px, as a phone shows it: no
// page may scroll sideways, and each passes axe-core.
func TestBrowserPhoneWidth(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t, ts.URL)
	p := addPeople(t, ts)
	c, err := ts.DB.CreateCase(asUser(t, ts, p.reporter), &ally.NewCase{Kind: ally.KindEnteredCredentials,
		Summary: "I typed my password on a page that looked like our sign-in page", Details: "It asked for a code too."})
	if err != nil {
		t.Fatal(err)
	}
	pages := []struct {
		who, path, name string
	}{
		{"", "/login", "login"},
		{p.reporter, "/", "home"},
		{p.reporter, "/report", "report"},
		{p.reporter, "/cases/" + c.Ref + "/sent", "sent"},
		{p.reporter, "/cases/" + c.Ref, "case-reporter"},
		{p.reporter, "/no-such-page", "not-found"},
		{p.responder, "/queue", "queue"},
		{p.responder, "/cases/" + c.Ref, "case-responder"},
		{p.admin, "/admin/users", "users"},
		{p.admin, "/admin/data", "data"},
	}
	tabs := map[string]context.Context{}
	for who, pw := range map[string]string{"": "", p.reporter: p.reporterPw, p.responder: p.responderPw, p.admin: p.adminPw} {
		ctx := b.tab(t)
		b.do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		if who != "" {
			b.signIn(t, ctx, who, pw)
		}
		tabs[who] = ctx
	}
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			ctx := tabs[pg.who]
			b.open(t, ctx, pg.path)
			if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
				t.Errorf("%s is %d px wide at 390 px: it scrolls sideways", pg.path, w)
			}
			b.check(t, ctx, "phone-"+pg.name)
		})
	}
}

// TestBrowserTagOnOneLine: on a 375 px phone the "New reply" tag after a
// long reference line stays whole, never split over two lines.
func TestBrowserTagOnOneLine(t *testing.T) {
	ts, b, p, c := withCase(t)
	if _, err := ts.DB.AddMessage(asUser(t, ts, p.responder), c.Ref, ally.NewMessage{Body: "Hi Rita, thank you. We are on it."}); err != nil {
		t.Fatal(err)
	}
	rep := b.tab(t)
	b.do(t, rep, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
	b.signIn(t, rep, p.reporter, p.reporterPw)
	b.open(t, rep, "/cases/"+c.Ref)
	if n := eval[int](t, rep, `document.querySelector("h1 + p .tag.unread").getClientRects().length`); n != 1 {
		t.Errorf("the New reply tag is split over %d lines", n)
	}
}
