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

// TestBrowserQueueDuplicates marks ticked cases duplicates of one from the
// queue in Chromium: with JavaScript the ticked cases are offered as the
// case to keep and the plan is said before sending; at 390 px the form fits
// and works; without JavaScript a wrong reference comes back by its field
// with the ticks kept, then the oldest ticked case is kept. Each duplicate's
// reporter reads the kind word. axe-core on each page.
func TestBrowserQueueDuplicates(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t, ts.URL)
	p := addPeople(t, ts)
	rita := asUser(t, ts, p.reporter)
	var refs []string
	for _, s := range []string{"Parcel fee text", "Parcel fee text again", "Text about a held parcel",
		"Invoice from a new supplier", "Supplier invoice", "Lost badge", "Badge gone", "Strange login prompt"} {
		c, err := ts.DB.CreateCase(rita, &ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: s,
			Details: "Reported from the browser test."})
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, c.Ref)
	}
	sam := asUser(t, ts, p.responder)
	linkedTo := func(ref string) string {
		t.Helper()
		links, err := ts.DB.Links(sam, ref)
		if err != nil || len(links) != 1 || links[0].Role != ally.RoleSurvivor {
			return ""
		}
		return links[0].Ref
	}
	plan := `document.querySelector("[data-duplicate-plan]").textContent`
	tick := func(ctx context.Context, rs ...string) {
		t.Helper()
		for _, r := range rs {
			b.do(t, ctx, chromedp.Click(chromedp.CSS("#t-"+r)))
		}
	}

	t.Run("with JavaScript", func(t *testing.T) {
		tab := b.tab(t)
		b.signIn(t, tab, p.responder, p.responderPw)
		b.open(t, tab, "/queue?sort=created")
		tick(tab, refs[2], refs[0], refs[1])
		if got, want := eval[string](t, tab, plan), refs[0]+", the oldest ticked case, is kept; 2 others become "+
			"its duplicates."; got != want {
			t.Errorf("plan %q, want %q", got, want)
		}
		if n := eval[int](t, tab, `document.querySelectorAll("#b-duplicate-list option").length`); n != 3 {
			t.Errorf("%d ticked cases offered as the case to keep, want 3", n)
		}
		b.do(t, tab, chromedp.SendKeys(chromedp.ID("b-duplicate-of"), strings.ToLower(refs[2])))
		if got := eval[string](t, tab, plan); !strings.HasPrefix(got, refs[2]+" is kept; 2 others") {
			t.Errorf("plan after typing %s: %q", refs[2], got)
		}
		b.check(t, tab, "queue-duplicates-plan")
		b.do(t, tab, chromedp.SendKeys(chromedp.ID("b-duplicate-of"), kb.End+strings.Repeat(kb.Backspace, 12)))
		b.submit(t, tab, "button[name=link]")
		if n := b.text(t, tab, ".notice"); !strings.Contains(n, "marked as duplicates") {
			t.Errorf("notice %q", n)
		}
		if linkedTo(refs[1]) != refs[0] || linkedTo(refs[2]) != refs[0] {
			t.Errorf("not duplicates of the oldest ticked %s: %q %q", refs[0], linkedTo(refs[1]), linkedTo(refs[2]))
		}
		b.check(t, tab, "queue-duplicates-done")
	})

	t.Run("phone", func(t *testing.T) {
		phone := b.tab(t)
		b.do(t, phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		b.signIn(t, phone, p.responder, p.responderPw)
		b.open(t, phone, "/queue?sort=created")
		tick(phone, refs[3], refs[4])
		b.do(t, phone, chromedp.SendKeys(chromedp.ID("b-duplicate-of"), refs[4]))
		if w := eval[int](t, phone, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("the queue is %d px wide at 390 px", w)
		}
		if w := eval[float64](t, phone, `document.getElementById("b-duplicate-of").getBoundingClientRect().width`); w < 200 {
			t.Errorf("Case to keep is %.0f px wide on a phone", w)
		}
		b.check(t, phone, "queue-duplicates-phone")
		b.submit(t, phone, "button[name=link]")
		if linkedTo(refs[3]) != refs[4] {
			t.Errorf("phone: %s is not a duplicate of the typed %s", refs[3], refs[4])
		}
	})

	t.Run("without JavaScript at 390 px", func(t *testing.T) {
		nojs := b.tab(t)
		b.withoutScripts(t, nojs)
		b.do(t, nojs, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		b.signIn(t, nojs, p.responder, p.responderPw)
		b.open(t, nojs, "/queue?sort=created")
		tick(nojs, refs[6], refs[5])
		b.do(t, nojs, chromedp.SendKeys(chromedp.ID("b-duplicate-of"), "AL-99999"))
		b.submit(t, nojs, "button[name=link]")
		if e := b.text(t, nojs, "#b-duplicate-error"); !strings.Contains(e, "No case AL-99999 was found") {
			t.Errorf("the problem by the field: %q", e)
		}
		if !eval[bool](t, nojs, `document.getElementById("t-`+refs[5]+`").checked && `+
			`document.getElementById("t-`+refs[6]+`").checked && document.getElementById("b-duplicate-of").value === "AL-99999"`) {
			t.Error("the refused form lost what was ticked or typed")
		}
		if w := eval[int](t, nojs, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("the refused queue is %d px wide at 390 px", w)
		}
		b.check(t, nojs, "queue-duplicates-nojs-refused")
		b.do(t, nojs, chromedp.SendKeys(chromedp.ID("b-duplicate-of"), kb.End+strings.Repeat(kb.Backspace, 12)))
		b.submit(t, nojs, "button[name=link]")
		if linkedTo(refs[6]) != refs[5] {
			t.Errorf("no-JS: %s is not a duplicate of the oldest ticked %s", refs[6], refs[5])
		}
		b.check(t, nojs, "queue-duplicates-nojs-done")
	})

	t.Run("the reporters are told", func(t *testing.T) {
		rep := b.tab(t)
		b.signIn(t, rep, p.reporter, p.reporterPw)
		b.open(t, rep, "/cases/"+refs[6])
		if !strings.Contains(b.text(t, rep, "main"), ally.DuplicateJoined) {
			t.Error("the duplicate's reporter does not read the kind word")
		}
		b.check(t, rep, "duplicate-reporter")
	})
}

// TestBrowserQueueOnALaptop: on a laptop's screen the queue's row buttons
// (Acknowledge, Assign to me) and the Due column are in sight without
// scrolling the table sideways, the buttons stay in sight on a narrower
// window where it does scroll, and the search box is a full-size box.
func TestBrowserQueueOnALaptop(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t, ts.URL)
	p := addPeople(t, ts)
	// The longest words a row can hold: a status, an overdue reply, a name.
	c, err := ts.DB.CreateCase(asUser(t, ts, p.reporter), &ally.NewCase{Kind: ally.KindUnexpectedMFAPrompt,
		Summary: "Sign-in prompts I didn't ask for", Details: "Three prompts on my phone at night."})
	if err != nil {
		t.Fatal(err)
	}
	st := ally.StatusInvestigating
	if _, err := ts.DB.UpdateCase(asUser(t, ts, p.admin), c.Ref, ally.CaseUpdate{Status: &st}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.DB.CreateCase(asUser(t, ts, p.reporter), &ally.NewCase{Kind: ally.KindSuspiciousEmail,
		Summary: "Message from 'the CEO' asking for gift cards"}); err != nil {
		t.Fatal(err)
	}
	// inSight says where the element is when it is not fully inside the
	// table's visible box, nor the topmost thing at its centre.
	const inSight = `((sel) => {
  const e = document.querySelector(sel), box = document.querySelector(".table-wrap").getBoundingClientRect();
  e.scrollIntoView({block: "center", inline: "nearest"});
  document.querySelector(".table-wrap").scrollLeft = 0;
  const r = e.getBoundingClientRect(), top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return r.left >= box.left && r.right <= box.right + 1 && e.contains(top) ? "" :
    sel + " at " + Math.round(r.left) + "–" + Math.round(r.right) + " in a table shown " + Math.round(box.left) + "–" + Math.round(box.right);
})`
	for _, width := range []int64{1280, 1024} {
		ctx := b.tab(t)
		b.do(t, ctx, chromedp.EmulateViewport(width, 800))
		b.signIn(t, ctx, p.responder, p.responderPw)
		b.open(t, ctx, "/queue")
		for _, sel := range []string{"tr.qrow [data-act=ack]", "tr.qrow [data-act=mine]"} {
			if where := eval[string](t, ctx, inSight+"("+jsString(sel)+")"); where != "" {
				t.Errorf("at %d px, without scrolling sideways: %s", width, where)
			}
		}
		if width == 1280 {
			if where := eval[string](t, ctx, inSight+`("tr.qrow td.due-cell")`); where != "" {
				t.Errorf("at %d px: %s", width, where)
			}
		}
		if h := eval[float64](t, ctx, `document.getElementById("q").getBoundingClientRect().height`); h < 40 {
			t.Errorf("at %d px the search box is %.0f px high", width, h)
		}
		b.check(t, ctx, "queue-"+map[int64]string{1280: "laptop", 1024: "small-laptop"}[width])
	}
}
