//go:build browser

package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// waitFor polls a JavaScript condition until it holds (5 s at most).
func waitFor(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if eval[bool](t, ctx, js) {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", js)
}

// TestBrowserQueue: the queue as a responder uses it, in Chromium — search,
// sort, keyboard, bulk assign, a live update without reloading — then on a
// phone (compact cards, the menu behind a button) and without JavaScript;
// axe-core on each.
func TestBrowserQueue(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t, ts.URL)
	p := addPeople(t, ts)
	rita := asUser(t, ts, p.reporter)
	var refs []string
	for i, s := range []string{"Parcel fee text", "Invoice from a new supplier", "Lost badge near the harbour",
		"Strange login prompt", "USB stick in the car park"} {
		c, err := ts.DB.CreateCase(rita, &ally.NewCase{Kind: []ally.Kind{ally.KindSuspiciousEmail, ally.KindLostDevice,
			ally.KindOther}[i%3], Summary: s, Details: "Reported from the browser test."})
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, c.Ref)
	}
	rows := `document.querySelectorAll("tr.qrow").length`
	tab := b.tab(t)
	b.signIn(t, tab, p.responder, p.responderPw)

	t.Run("search and sort", func(t *testing.T) {
		b.open(t, tab, "/queue")
		b.check(t, tab, "queue")
		b.do(t, tab, chromedp.SendKeys(chromedp.ID("q"), "harbour"))
		b.submit(t, tab, "form[role=search] button[type=submit]")
		if n := eval[int](t, tab, rows); n != 1 || !strings.Contains(b.text(t, tab, ".qlink"), "harbour") {
			t.Fatalf("search for harbour: %d rows", n)
		}
		b.open(t, tab, "/queue")
		b.submit(t, tab, `th a[href="/queue?sort=-created"]`)
		if got := eval[string](t, tab, `document.querySelector("tr.qrow").dataset.ref`); got != refs[4] {
			t.Errorf("newest first starts with %s, want %s", got, refs[4])
		}
		if s := eval[string](t, tab, `document.querySelector("th[aria-sort]").textContent`); !strings.Contains(s, "Age") {
			t.Errorf("sorted column: %q", s)
		}
	})

	t.Run("keyboard", func(t *testing.T) {
		b.open(t, tab, "/queue?sort=created")
		b.do(t, tab, chromedp.KeyEvent("j"), chromedp.KeyEvent("j"))
		if got := eval[string](t, tab, `document.querySelector("tr.current").dataset.ref`); got != refs[1] {
			t.Errorf("j j: current row %s, want %s", got, refs[1])
		}
		b.do(t, tab, chromedp.KeyEvent("k"), chromedp.KeyEvent("x"))
		if !eval[bool](t, tab, `document.querySelector("tr.qrow input[type=checkbox]").checked`) {
			t.Error("x did not tick the current row")
		}
		b.do(t, tab, chromedp.KeyEvent("?"))
		if !eval[bool](t, tab, `document.querySelector("[data-keys]").open`) {
			t.Error("? did not open the help")
		}
		b.do(t, tab, chromedp.KeyEvent("/"))
		if id := eval[string](t, tab, `document.activeElement.id`); id != "q" {
			t.Errorf("/ focused %q", id)
		}
		b.do(t, tab, chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent("j"))
		if _, err := runFor(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent("a"))); err != nil {
			t.Fatal(err)
		}
		c, _ := ts.DB.FindCase(asUser(t, ts, p.responder), refs[1])
		if c.Status != ally.StatusAcknowledged {
			t.Errorf("a did not acknowledge %s: %s", refs[1], c.Status)
		}
	})

	t.Run("bulk assign", func(t *testing.T) {
		b.open(t, tab, "/queue?sort=created")
		b.do(t, tab, chromedp.Click(chromedp.CSS("#t-"+refs[2])), chromedp.Click(chromedp.CSS("#t-"+refs[3])),
			chromedp.Click(chromedp.CSS("#t-"+refs[4])), chromedp.SetValue(chromedp.ID("b-assignee"), "me"))
		b.submit(t, tab, "button[name=bulk]")
		if n := b.text(t, tab, ".notice"); !strings.Contains(n, "updated") {
			t.Errorf("notice %q", n)
		}
		mine, _ := ts.DB.FindCases(asUser(t, ts, p.responder), ally.CaseFilter{Assignee: "me"})
		if len(mine.Items) != 3 {
			t.Errorf("%d assigned to me, want 3", len(mine.Items))
		}
		b.check(t, tab, "queue-after-bulk")
	})

	t.Run("live update", func(t *testing.T) {
		b.open(t, tab, "/queue")
		before := eval[int](t, tab, rows)
		eval[bool](t, tab, `(window.__same = true)`) // gone if the page reloads
		waitFor(t, tab, `document.querySelector("form[data-queue]").dataset.live === "on"`)
		c, err := ts.DB.CreateCase(rita, &ally.NewCase{Kind: ally.KindOther, Summary: "Arrived while watching"})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, tab, `!!document.querySelector('tr[data-ref="`+c.Ref+`"]')`)
		if n := eval[int](t, tab, rows); n != before+1 || !eval[bool](t, tab, `window.__same === true`) {
			t.Errorf("after a live update: %d rows (was %d), same page %v", n, before,
				eval[bool](t, tab, `window.__same === true`))
		}
		b.check(t, tab, "queue-live")
	})

	t.Run("phone", func(t *testing.T) {
		phone := b.tab(t)
		b.do(t, phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		b.signIn(t, phone, p.responder, p.responderPw)
		b.open(t, phone, "/queue")
		if w := eval[int](t, phone, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("the queue is %d px wide at 390 px", w)
		}
		if eval[bool](t, phone, `document.querySelector(".nav").checkVisibility()`) {
			t.Error("the menu is open on a phone before the menu button is pressed")
		}
		if h := eval[float64](t, phone, `document.querySelector("tr.qrow").getBoundingClientRect().height`); h > 200 {
			t.Errorf("a case card is %.0f px tall", h)
		}
		b.check(t, phone, "queue-phone")
		b.do(t, phone, chromedp.Click(chromedp.CSS("details.menu > summary")))
		if !eval[bool](t, phone, `document.querySelector(".nav a[href='/queue']").checkVisibility()`) {
			t.Error("the menu button does not show the menu")
		}
		b.check(t, phone, "queue-phone-menu")
		wide := b.tab(t)
		b.signIn(t, wide, p.responder, p.responderPw)
		if !eval[bool](t, wide, `document.querySelector(".nav a[href='/queue']").checkVisibility()`) {
			t.Error("on a wide screen the menu is hidden")
		}
	})

	t.Run("without JavaScript", func(t *testing.T) {
		nojs := b.tab(t)
		b.withoutScripts(t, nojs)
		b.signIn(t, nojs, p.responder, p.responderPw)
		b.open(t, nojs, "/queue?q=invoice")
		if n := eval[int](t, nojs, rows); n != 1 {
			t.Errorf("no-JS search: %d rows", n)
		}
		b.do(t, nojs, chromedp.Click(chromedp.CSS("#t-"+refs[1])), chromedp.SetValue(chromedp.ID("b-severity"), "high"))
		b.submit(t, nojs, "button[name=bulk]")
		c, _ := ts.DB.FindCase(asUser(t, ts, p.responder), refs[1])
		if c.Severity != ally.SeverityHigh {
			t.Errorf("no-JS bulk: severity %s", c.Severity)
		}
		if !strings.Contains(b.location(nojs), "q=invoice") {
			t.Errorf("the bulk form did not come back to the search: %s", b.location(nojs))
		}
		b.check(t, nojs, "queue-nojs")
	})
}
