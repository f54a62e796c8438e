//go:build browser

package web

import (
	"context"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/tone"
	"github.com/chromedp/chromedp"
)

// withoutScripts turns JavaScript off in a tab for good.
func (b *browser) withoutScripts(t *testing.T, ctx context.Context) {
	t.Helper()
	b.scripts(t, ctx, false)
	b.noScript[ctx] = true
}

// TestBrowserNoJavaScript reports and replies with JavaScript turned off:
// the report takes a second step for the witness questions, and a blaming
// reply comes back from the server with the findings and "Send anyway".
func TestBrowserNoJavaScript(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t, ts.URL)
	p := addPeople(t, ts)
	rep, resp := b.tab(t), b.tab(t)
	b.withoutScripts(t, rep)
	b.withoutScripts(t, resp)
	var ref string

	t.Run("report in two steps", func(t *testing.T) {
		b.signIn(t, rep, p.reporter, p.reporterPw)
		b.open(t, rep, "/report")
		b.do(t, rep, chromedp.Click(chromedp.CSS("input[name=kind][value=clicked_link]")),
			chromedp.SendKeys(chromedp.ID("details"), "A link in a parcel text message."))
		b.submit(t, rep, "form[data-report] button[type=submit]")
		if h := b.text(t, rep, "main h2"); h != "A few quick questions" {
			t.Fatalf("second step heading = %q", h)
		}
		b.check(t, rep, "report-step2")
		b.do(t, rep, chromedp.Click(chromedp.CSS("input[type=radio][value=yes]")))
		b.submit(t, rep, "form[data-report] button[type=submit]")
		if h := b.text(t, rep, "h1"); !strings.Contains(h, "We have your report") {
			t.Fatalf("after the second step: %q", h)
		}
		ref = b.text(t, rep, "strong.ref")
	})
	if ref == "" {
		t.FailNow()
	}
	c, err := ts.DB.FindCase(ally.NewContextWithUser(context.Background(), &ally.User{Role: ally.RoleAdmin}), ref)
	if err != nil {
		t.Fatal(err)
	}
	if c.Details != "A link in a parcel text message." || len(c.Answers) != 1 {
		t.Errorf("case details = %q, answers = %v: the first step's text or the answer was lost", c.Details, c.Answers)
	}

	t.Run("blaming reply is held once", func(t *testing.T) {
		if res := ts.Srv.Tone.Check(blamingReply, tone.AudienceReporter); !res.HasError() {
			t.Skip("the tone engine finds no error in the blaming reply (still a stub?)")
		}
		b.signIn(t, resp, p.responder, p.responderPw)
		b.open(t, resp, "/cases/"+ref)
		b.do(t, resp, chromedp.SendKeys(chromedp.ID("reply-body"), blamingReply))
		b.submit(t, resp, "form[data-tone-form] button.primary")
		if h := b.text(t, resp, ".held h3"); h != "Before you send" {
			t.Fatalf("held heading = %q", h)
		}
		b.check(t, resp, "case-held")
		b.submit(t, resp, "form[data-tone-form] button[name=confirmed]")
		if n := b.text(t, resp, ".notice"); !strings.Contains(n, "sent") {
			t.Errorf("notice = %q", n)
		}
	})
}
