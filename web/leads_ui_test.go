//go:build browser

package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/chromedp/chromedp"
)

// TestBrowserLeadsPages opens the dashboard, insights and lessons as a lead
// and the lessons as a reporter, at desktop and at phone width (390 px):
// axe-core finds no serious or critical problem, no page scrolls sideways,
// the charts are images with a name, and a blaming lesson comes back with
// the reason.
func TestBrowserLeadsPages(t *testing.T) {
	w := newLeadsWorld(t)
	b := newBrowser(t, w.ts.URL)
	n := goodLesson
	n.Cases = []string{w.current[1]}
	if _, err := w.ts.DB.PublishLesson(asUser(t, w.ts, w.lead), n); err != nil {
		t.Fatal(err)
	}
	pages := []pageVisit{
		{w.lead, "/dashboard", "dashboard"},
		{w.lead, "/insights", "insights"},
		{w.lead, "/lessons", "lessons-lead"},
		{w.lead, "/settings/notifications", "notifications"},
		{w.reporter, "/lessons", "lessons-reporter"},
		{w.reporter, "/", "home-lessons"},
	}
	b.checkPages(t, pages)

	t.Run("charts are named images", func(t *testing.T) {
		ctx := b.tab(t)
		b.signIn(t, ctx, w.lead, testPassword)
		b.open(t, ctx, "/dashboard")
		names := eval[[]string](t, ctx, `[...document.querySelectorAll("svg[role=img]")].map(s =>
			s.getAttributeNS(null, "aria-labelledby").split(" ").map(id => document.getElementById(id).textContent).join(" | "))`)
		if len(names) != 2 || !strings.HasPrefix(names[0], "Cases reported per week | ") {
			t.Errorf("chart names: %q", names)
		}
		b.do(t, ctx, chromedp.Click(chromedp.CSS("details.chart-table summary")))
		if rows := eval[int](t, ctx, `document.querySelector("details.chart-table[open]").querySelectorAll("tbody tr").length`); rows == 0 {
			t.Error("the chart's table is empty")
		}
	})

	t.Run("a blaming lesson comes back", func(t *testing.T) {
		ctx := b.tab(t)
		b.signIn(t, ctx, w.lead, testPassword)
		b.open(t, ctx, "/lessons")
		b.do(t, ctx, chromedp.SendKeys(chromedp.ID("lesson-title"), "Links"),
			chromedp.SendKeys(chromedp.ID("lesson-body"), blamingReply))
		b.submit(t, ctx, "form[action='/lessons'] button[type=submit]")
		if msg := b.text(t, ctx, "#lesson-error"); !strings.HasPrefix(msg, "Lesson text: ") {
			t.Errorf("the refusal says %q", msg)
		}
		if kept := eval[string](t, ctx, `document.getElementById("lesson-body").value`); kept != blamingReply {
			t.Errorf("the text was not kept: %q", kept)
		}
		b.check(t, ctx, "lessons-refused")
		ls, err := w.ts.DB.Lessons(asUser(t, w.ts, w.lead), 0, 10)
		if err != nil || len(ls) != 1 {
			t.Errorf("lessons after the refusal: %d, %v", len(ls), err)
		}
	})
}

// TestBrowserToneMarks: a lead marking replies far down the tone page
// comes back at the reply just marked, with its mark shown, and each
// button says which reply it marks to a screen reader.
func TestBrowserToneMarks(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t, ts.URL)
	p := addPeople(t, ts)
	lead := "lee@example.com"
	ts.addUser(t, lead, "Lee Morgan", ally.RoleLead, "Security")
	var refs []string
	for i := range 8 {
		c, err := ts.DB.CreateCase(asUser(t, ts, p.reporter), &ally.NewCase{Kind: ally.KindClickedLink, Summary: "A link"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ts.DB.AddMessage(asUser(t, ts, p.responder), c.Ref, ally.NewMessage{
			Body: fmt.Sprintf("Hi Rita, thank you for telling us so quickly (%d). We are looking at it now.", i)}); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, c.Ref)
	}
	ctx := b.tab(t)
	b.signIn(t, ctx, lead, testPassword)
	b.open(t, ctx, "/tone")
	oldest := refs[0] // the last on the page, newest first
	names := eval[string](t, ctx, `[...document.querySelectorAll(".tone-replies li:last-child button")].map(b => b.textContent).join(" / ")`)
	if want := "This reads as blaming (reply on " + oldest + ") / This is fine (reply on " + oldest + ")"; names != want {
		t.Errorf("the buttons are named %q, want %q", names, want)
	}
	b.submit(t, ctx, ".tone-replies li:last-child button[value=fine]")
	if m := b.text(t, ctx, ".tone-replies li:last-child .tone-mark"); m != "Marked: this is fine." {
		t.Errorf("the reply marked shows %q", m)
	}
	if !inView(t, ctx, ".tone-replies li:last-child .tone-mark") {
		t.Errorf("back on the page at %d px from the top, not at the reply just marked", eval[int](t, ctx, "scrollY"))
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".tone-mark").length`); n != 1 {
		t.Errorf("%d replies show a mark, want 1", n)
	}
	b.check(t, ctx, "tone-marked")
}
