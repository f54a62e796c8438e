//go:build browser

package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSignalAnswer answers "was this you?" in Chromium: from the
// email's link at 390 px with JavaScript (not signed in), and from the home
// page's notice without JavaScript (signed in, so the form carries its
// CSRF token); each page passes axe-core and none scrolls sideways.
func TestBrowserSignalAnswer(t *testing.T) {
	w := newSignalWorld(t)
	b := newBrowser(t, w.URL)
	st, _ := w.call(t, "siem", "POST", "/api/v1/signals", signalBody("reporterA@example.org", "one"))
	if st != 201 {
		t.Fatalf("send: %d", st)
	}
	link := w.lastLink(t)

	t.Run("phone, from the email", func(t *testing.T) {
		ctx := b.tab(t)
		b.do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		b.open(t, ctx, link)
		if h := b.text(t, ctx, "main h1"); h != "Was this you?" {
			t.Fatalf("heading %q", h)
		}
		if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("the answer page is %d px wide at 390 px", w)
		}
		b.check(t, ctx, "signal-phone")
		b.submit(t, ctx, "button[value=no]")
		if got := b.text(t, ctx, "main .notice"); !strings.Contains(got, "Thank you for telling us") {
			t.Fatalf("after no: %q", got)
		}
		b.check(t, ctx, "signal-phone-answered")
	})

	t.Run("no JavaScript, from the home page", func(t *testing.T) {
		if st, _ := w.call(t, "siem", "POST", "/api/v1/signals", map[string]any{"source": "okta",
			"type": "password_changed", "subject_email": "reporterA@example.org",
			"summary": "from a new laptop"}); st != 201 {
			t.Fatalf("send: %d", st)
		}
		ctx := b.tab(t)
		b.withoutScripts(t, ctx)
		b.signIn(t, ctx, "reporterA@example.org", testPassword)
		b.open(t, ctx, "/")
		if got := b.text(t, ctx, ".signal-ask"); !strings.Contains(got, "password for your account was changed") {
			t.Fatalf("home notice: %q", got)
		}
		b.check(t, ctx, "signal-home")
		b.submit(t, ctx, ".signal-ask a")
		b.submit(t, ctx, "button[value=yes]")
		if got := b.text(t, ctx, "main .notice"); !strings.Contains(got, "All is well") {
			t.Fatalf("after yes: %q", got)
		}
		b.open(t, ctx, "/")
		if n := eval[int](t, ctx, `document.querySelectorAll(".signal-ask").length`); n != 0 {
			t.Fatalf("the answered question is still on the home page")
		}
	})

	t.Run("admins' webhook page at 390 px", func(t *testing.T) {
		if st, _ := w.call(t, "admin", "POST", "/api/v1/webhooks", map[string]any{"url": "https://hooks.example.org/in",
			"events": []string{"case.created"}}); st != 201 {
			t.Fatalf("webhook: %d", st)
		}
		ctx := b.tab(t)
		b.do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		b.signIn(t, ctx, "admin@example.org", testPassword)
		for _, path := range []string{"/admin/webhooks", "/admin/webhooks/1"} {
			b.open(t, ctx, path)
			if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
				t.Errorf("%s is %d px wide at 390 px", path, w)
			}
			b.check(t, ctx, "webhooks"+strings.ReplaceAll(path, "/", "-"))
		}
	})
}
