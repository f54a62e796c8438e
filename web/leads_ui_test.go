//go:build browser

package web

import (
	"strings"
	"testing"

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
