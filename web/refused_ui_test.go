//go:build browser

package web

import (
	"context"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/tone"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// inView reports whether the element matching sel is on screen: a page
// that comes back with a problem far down it must show the problem, not
// its top.
func inView(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	return eval[bool](t, ctx, `(() => { const e = document.querySelector(`+jsString(sel)+`);
  if (!e) return false;
  const r = e.getBoundingClientRect();
  return r.bottom > 0 && r.top < innerHeight; })()`)
}

// jsString quotes s for a JavaScript expression.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}

// TestBrowserRefusedNote: an internal note the server refuses (here one
// over the length limit, sent without JavaScript as a pasted log would be)
// comes back in the note box with the problem next to it, scrolled into
// view, and never lands in the reply to the reporter. With JavaScript the
// note box refuses it before sending, keeping the text.
func TestBrowserRefusedNote(t *testing.T) {
	ts, b, p, c := withCase(t)
	log := strings.Repeat("proxy 10.0.0.7 GET http://bad.example/login 200\n", 450) // over 20,000 characters
	setNote := chromedp.Evaluate[chromedp.Void](`document.getElementById("note-body").value = ` + jsString(log))

	t.Run("without JavaScript", func(t *testing.T) {
		resp := b.tab(t)
		b.withoutScripts(t, resp)
		b.signIn(t, resp, p.responder, p.responderPw)
		b.open(t, resp, "/cases/"+c.Ref)
		b.do(t, resp, setNote)
		b.submit(t, resp, "form:has(#note-body) button[type=submit]")
		if reply := eval[string](t, resp, `document.getElementById("reply-body").value`); reply != "" {
			t.Errorf("the refused note went into the reply to the reporter (%d characters)", len(reply))
		}
		if note := eval[string](t, resp, `document.getElementById("note-body").value`); strings.ReplaceAll(note, "\r", "") != log { // sent as CRLF
			t.Errorf("the note box holds %d characters, want the %d typed", len(note), len(log))
		}
		if e := b.text(t, resp, "#note-error"); !strings.Contains(e, "20,000") {
			t.Errorf("the problem by the note box = %q", e)
		}
		if !inView(t, resp, "#note-error") {
			t.Error("the note's problem is off screen: the page came back at its top")
		}
		b.check(t, resp, "note-refused")
	})

	t.Run("with JavaScript", func(t *testing.T) {
		resp := b.tab(t)
		b.signIn(t, resp, p.responder, p.responderPw)
		b.open(t, resp, "/cases/"+c.Ref)
		b.do(t, resp, setNote, chromedp.Click(chromedp.CSS("form:has(#note-body) button[type=submit]")))
		if loc := b.location(resp); !strings.HasSuffix(loc, "/cases/"+c.Ref) {
			t.Errorf("a note over the limit was sent: now on %s", loc)
		}
		if n := b.text(t, resp, "#note-body-count"); !strings.Contains(n, "over the limit") {
			t.Errorf("the note box's count line = %q", n)
		}
	})
	notes := 0
	es, _ := ts.DB.Timeline(asUser(t, ts, p.responder), c.Ref, 0, 100)
	for _, e := range es {
		if e.Type == ally.EntryMessage {
			notes++
		}
	}
	if notes != 0 {
		t.Errorf("%d messages or notes were saved", notes)
	}
}

// TestBrowserRefusedFormInView: a case page form refused far down the
// page ("resolve anyway?", a reporter's rating without a score) comes back
// scrolled to the question, with and without JavaScript.
func TestBrowserRefusedFormInView(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t, ts.URL)
	p := addPeople(t, ts)
	for _, js := range []bool{true, false} {
		name := map[bool]string{true: "js", false: "nojs"}[js]
		t.Run(name, func(t *testing.T) {
			c, err := ts.DB.CreateCase(asUser(t, ts, p.reporter), &ally.NewCase{Kind: ally.KindClickedLink, Summary: "A link in a text"})
			if err != nil {
				t.Fatal(err)
			}
			resp, rep := b.tab(t), b.tab(t)
			if !js {
				b.withoutScripts(t, resp)
				b.withoutScripts(t, rep)
			}
			b.signIn(t, resp, p.responder, p.responderPw)
			b.open(t, resp, "/cases/"+c.Ref)
			b.submit(t, resp, "#resolve button.primary")
			if !inView(t, resp, "#resolve-anyway") {
				t.Errorf("\"resolve anyway?\" is off screen (scrolled to %d)", eval[int](t, resp, "scrollY"))
			}
			b.submit(t, resp, "#resolve button.primary")
			if n := b.text(t, resp, ".notice"); !strings.Contains(n, "resolved") || !inView(t, resp, ".notice") {
				t.Errorf("after resolving: notice %q, on screen %v", n, inView(t, resp, ".notice"))
			}

			b.signIn(t, rep, p.reporter, p.reporterPw)
			b.open(t, rep, "/cases/"+c.Ref)
			b.do(t, rep, chromedp.SendKeys(chromedp.ID("comment"), "Kind and quick."),
				chromedp.Evaluate[chromedp.Void](`document.querySelector("input[name=rating]").required = false`))
			b.submit(t, rep, "#feedback button[type=submit]")
			if !inView(t, rep, "#rating-error") {
				t.Error("the rating's problem is off screen")
			}
			if v := eval[string](t, rep, `document.getElementById("comment").value`); v != "Kind and quick." {
				t.Errorf("the comment came back as %q", v)
			}
		})
	}
}

// TestBrowserHeldReplyFocus: when the tone check asks "Send this reply as
// it is?", the focus is on "Change my reply": pressing Enter again (a
// double press) goes back to the words, and sends nothing.
func TestBrowserHeldReplyFocus(t *testing.T) {
	ts, b, p, c := withCase(t)
	if res := ts.Srv.Tone.Check(blamingReply, tone.AudienceReporter); !res.HasError() {
		t.Skip("the tone engine finds no error in the blaming reply")
	}
	resp := b.tab(t)
	b.signIn(t, resp, p.responder, p.responderPw)
	b.open(t, resp, "/cases/"+c.Ref)
	b.do(t, resp, chromedp.SendKeys(chromedp.ID("reply-body"), blamingReply),
		chromedp.Click(chromedp.CSS("form[data-tone-form] button.primary")))
	if _, err := runFor(resp, chromedp.Poll[bool](`!document.querySelector("#reply [data-confirm]").hidden`)); err != nil {
		t.Fatalf("the tone check did not ask: %v", err)
	}
	if f := eval[string](t, resp, `document.activeElement.textContent`); f != "Change my reply" {
		t.Errorf("the focus is on %q, want \"Change my reply\"", f)
	}
	b.do(t, resp, chromedp.KeyEvent(kb.Enter))
	if id := eval[string](t, resp, `document.activeElement.id`); id != "reply-body" {
		t.Errorf("after Enter the focus is on #%s, want the reply box", id)
	}
	es, _ := ts.DB.Timeline(asUser(t, ts, p.responder), c.Ref, 0, 100)
	for _, e := range es {
		if e.Type == ally.EntryMessage {
			t.Errorf("a reply was sent: %q", e.Body)
		}
	}
}

// inFirstScreen reports whether the element matching sel lies wholly inside
// the viewport the page came back with, a pixel's rounding aside: seen
// without scrolling.
func inFirstScreen(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	return eval[bool](t, ctx, `(() => { const e = document.querySelector(`+jsString(sel)+`);
  if (!e) return false;
  const r = e.getBoundingClientRect();
  return r.height > 0 && r.top > -1 && r.bottom < innerHeight + 1; })()`)
}

// TestBrowserRefusedActionOnPhone: on a phone (390×844), where the Manage
// section stands at the foot of the case page, an Acknowledge or an
// assignment refused because the case changed meanwhile comes back with the
// refusal (role=alert) in the first screen, by the form that was used, with
// and without JavaScript.
func TestBrowserRefusedActionOnPhone(t *testing.T) {
	ts, b, p, _ := withCase(t)
	rita, ada := asUser(t, ts, p.reporter), asUser(t, ts, p.admin)
	ts.addUser(t, "kim@example.com", "Kim Reyes", ally.RoleResponder, "Security")
	kimAway := func(t *testing.T, away bool) {
		t.Helper()
		if _, err := ts.DB.UpdateUser(ada, "kim@example.com", ally.UserUpdate{Disabled: &away}); err != nil {
			t.Fatal(err)
		}
	}
	investigating := ally.StatusInvestigating
	for _, js := range []bool{true, false} {
		t.Run(map[bool]string{true: "js", false: "nojs"}[js], func(t *testing.T) {
			for _, tc := range []struct {
				name      string
				fill      []chromedp.Action[chromedp.Void]
				meanwhile func(t *testing.T, ref string) // after the page was opened
				button    string
			}{
				{"acknowledge", nil, func(t *testing.T, ref string) { // another responder moved the case on
					if _, err := ts.DB.UpdateCase(ada, ref, ally.CaseUpdate{Status: &investigating}); err != nil {
						t.Fatal(err)
					}
				}, ".quick-actions button[name=status]"},
				{"assign", []chromedp.Action[chromedp.Void]{chromedp.SetValue(chromedp.ID("assignee"), "kim@example.com")},
					func(t *testing.T, _ string) { // Kim's account was switched off
						kimAway(t, true)
						t.Cleanup(func() { kimAway(t, false) })
					}, "#manage button.primary"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					c, err := ts.DB.CreateCase(rita, &ally.NewCase{Kind: ally.KindClickedLink, Summary: "A link in a text"})
					if err != nil {
						t.Fatal(err)
					}
					tab := b.tab(t)
					b.do(t, tab, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
					if !js {
						b.withoutScripts(t, tab)
					}
					b.signIn(t, tab, p.responder, p.responderPw)
					b.open(t, tab, "/cases/"+c.Ref)
					b.do(t, tab, tc.fill...)
					tc.meanwhile(t, c.Ref)
					b.submit(t, tab, tc.button)
					if got := b.text(t, tab, "[role=alert]"); got == "" {
						t.Fatal("the refusal says nothing")
					}
					if !inFirstScreen(t, tab, "[role=alert]") {
						t.Errorf("the refusal is out of the first screen: at %v px, scrolled to %d, on %s",
							eval[float64](t, tab, `document.querySelector("[role=alert]").getBoundingClientRect().top`),
							eval[int](t, tab, "scrollY"), b.location(tab))
					}
					b.check(t, tab, "refused-on-phone-"+tc.name)
				})
			}
		})
	}
}
