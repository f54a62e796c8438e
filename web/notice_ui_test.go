//go:build browser

package web

import (
	"strings"
	"testing"

	"github.com/allydesk/ally"
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

// TestBrowserSectionNoticeInView: a form far down the case page (link
// cases, the checklist, Manage, Resolve) comes back at its own section, and
// the confirmation stands there, on screen and announced (role=status),
// with and without JavaScript; nothing stands at the top of the page.
func TestBrowserSectionNoticeInView(t *testing.T) {
	ts, b, p, _ := withCase(t)
	rita := asUser(t, ts, p.reporter)
	for _, js := range []bool{true, false} {
		t.Run(map[bool]string{true: "js", false: "nojs"}[js], func(t *testing.T) {
			c, err := ts.DB.CreateCase(rita, &ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: "Parcel email"})
			if err != nil {
				t.Fatal(err)
			}
			other, err := ts.DB.CreateCase(rita, &ally.NewCase{Kind: ally.KindOther, Summary: "Another odd email"})
			if err != nil {
				t.Fatal(err)
			}
			tab := b.tab(t)
			if !js {
				b.withoutScripts(t, tab)
			}
			b.signIn(t, tab, p.responder, p.responderPw)
			for _, step := range []struct {
				section string
				fill    []chromedp.Action[chromedp.Void]
				button  string
				want    string
				stay    bool // on the page the last step came back with
			}{
				{"links", []chromedp.Action[chromedp.Void]{chromedp.SendKeys(chromedp.ID("link-other"), other.Ref)},
					"#links button[type=submit]", notices["linked"], false},
				{"tasks", []chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.CSS("#tasks input[type=checkbox]"))},
					"#tasks button[type=submit]", notices["tasks"], false},
				{"manage", []chromedp.Action[chromedp.Void]{chromedp.SetValue(chromedp.ID("severity"), "high")},
					"#manage button.primary", caseUpdated, false},
				{"resolve", nil, "#resolve button.primary", "", false}, // asks "resolve anyway?" first: tasks are open
				{"resolve", nil, "#resolve button.primary", notices["resolved"], true},
			} {
				if !step.stay {
					b.open(t, tab, "/cases/"+c.Ref)
				}
				b.do(t, tab, step.fill...)
				b.submit(t, tab, step.button)
				if step.want == "" {
					continue
				}
				if loc := b.location(tab); !strings.HasSuffix(loc, "#"+step.section) {
					t.Errorf("%s: came back to %s, want #%s", step.section, loc, step.section)
				}
				sel := "#" + step.section + " [role=status]"
				if got := b.text(t, tab, sel); got != step.want {
					t.Errorf("%s: the status line says %q, want %q", step.section, got, step.want)
				}
				if !inView(t, tab, sel) {
					t.Errorf("%s: %q is off screen (scrolled to %d)", step.section, step.want, eval[int](t, tab, "scrollY"))
				}
				if n := eval[int](t, tab, `document.querySelectorAll("main > .notice").length`); n != 0 {
					t.Errorf("%s: %d notices stand at the top of the page", step.section, n)
				}
				b.check(t, tab, "section-notice-"+step.section)
			}
		})
	}
}

// TestBrowserQuickActionsKeepTheTop: an Acknowledge that goes through comes
// back at the top of the case page with its confirmation on screen, though
// the redirect keeps the quick actions' fragment (#actions-notice, where a
// refusal would stand).
func TestBrowserQuickActionsKeepTheTop(t *testing.T) {
	_, b, p, c := withCase(t)
	tab := b.tab(t)
	b.signIn(t, tab, p.responder, p.responderPw)
	b.open(t, tab, "/cases/"+c.Ref)
	b.submit(t, tab, ".quick-actions button[name=status]")
	if got := b.text(t, tab, "main > .notice"); got != caseUpdated {
		t.Errorf("the top notice says %q, want %q", got, caseUpdated)
	}
	if y := eval[int](t, tab, "scrollY"); y != 0 {
		t.Errorf("after Acknowledge the page is scrolled to %d, not at its top (%s)", y, b.location(tab))
	}
	b.check(t, tab, "quick-action-done")
}
