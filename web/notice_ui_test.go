//go:build browser

package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSentNoticeInView: after a reply, a note or a reporter's
// message the case page comes back at its timeline (#timeline), and the
// confirmation ("Your message was sent.") is there, on screen and
// announced (role=status), not at the top of the page, out of sight.
func TestBrowserSentNoticeInView(t *testing.T) {
	_, b, p, c := withCase(t)
	for _, tc := range []struct {
		who, email, password, box, want string
	}{
		{"responder's reply", p.responder, p.responderPw, "reply-body", "Your message was sent."},
		{"responder's note", p.responder, p.responderPw, "note-body", "Your note was saved."},
		{"reporter's message", p.reporter, p.reporterPw, "body", "Your message was sent."},
	} {
		t.Run(tc.who, func(t *testing.T) {
			tab := b.tab(t)
			b.signIn(t, tab, tc.email, tc.password)
			b.open(t, tab, "/cases/"+c.Ref)
			b.do(t, tab, chromedp.SendKeys(chromedp.ID(tc.box), "Thank you. We blocked the link, and you are safe."))
			b.submit(t, tab, "form:has(#"+tc.box+") button[type=submit]")
			if loc := b.location(tab); !strings.HasSuffix(loc, "#timeline") {
				t.Fatalf("after sending: on %s, want the timeline", loc)
			}
			sel := "[role=status]"
			if got := b.text(t, tab, sel); got != tc.want {
				t.Errorf("the status line says %q, want %q", got, tc.want)
			}
			if !inView(t, tab, sel) {
				t.Errorf("%q is off screen (scrolled to %d)", tc.want, eval[int](t, tab, "scrollY"))
			}
			b.check(t, tab, "sent-notice")
		})
	}
}
