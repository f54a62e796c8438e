//go:build browser

package web

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserPractice opens the practice pages of a trainee and a lead at
// desktop and phone width (390 px): axe-core finds no serious or critical
// problem and no page scrolls sideways; the lists are long enough to page,
// and one session was stopped early. Then a trainee replies with the
// keyboard alone.
func TestBrowserPractice(t *testing.T) {
	w := newPracticeWorld(t)
	b := newBrowser(t, w.ts.URL)
	pc := w.client(t, w.trainee)
	older := w.addPractices(t, w.trainee, practicePageSize, 80, 60)
	stopped := startPractice(t, pc, practiceScenario)
	play(t, pc, stopped, transcript(t, "good.txt")[:1])
	done := startPractice(t, pc, practiceScenario)
	play(t, pc, done, transcript(t, "blaming.txt"))
	going := startPractice(t, pc, practiceScenario)
	path := func(id int64) string { return "/practice/" + strconv.FormatInt(id, 10) }

	pages := []pageVisit{
		{w.trainee, "/practice", "practice"},
		{w.trainee, "/practice?mine=" + strconv.FormatInt(older[3], 10) + "#mine-h", "practice-older"},
		{w.trainee, path(stopped), "practice-stopped"},
		{w.trainee, path(going), "practice-session"},
		{w.trainee, path(done), "practice-debrief"},
		{w.lead, "/practice", "practice-team"},
		{w.lead, "/practice?team=" + strconv.FormatInt(older[3], 10) + "#team-all-h", "practice-team-older"},
		{w.lead, path(done), "practice-lead-debrief"},
	}
	b.checkPages(t, pages)

	t.Run("keyboard-only reply", func(t *testing.T) {
		ctx := b.tab(t)
		b.signIn(t, ctx, w.trainee, testPassword)
		b.open(t, ctx, path(going))
		focused := func() string {
			return eval[string](t, ctx, `(e => e.outerHTML.slice(0, 80))(document.activeElement)`)
		}
		// focusOn waits (autofocus and #fragments settle after load, later
		// on a slow machine) until the focused element contains want.
		focusOn := func(want string) bool {
			_, err := runFor(ctx, chromedp.Poll[bool](`document.activeElement.outerHTML.slice(0, 80).includes(`+strconv.Quote(want)+`)`,
				chromedp.WithPollingTimeout(5*time.Second)))
			return err == nil
		}
		if !focusOn(`id="reply-body"`) {
			t.Fatalf("the reply box is not focused on arrival: %s", focused())
		}
		const msg = "Hi Sam, thank you for calling us. You are not in trouble."
		b.do(t, ctx, chromedp.KeyEvent(msg), chromedp.KeyEvent(kb.Tab))
		if f := focused(); !strings.Contains(f, `type="submit"`) || !strings.Contains(f, "Send") {
			t.Fatalf("Tab from the reply box reaches %s, want Send", f)
		}
		if _, err := runFor(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(kb.Enter))); err != nil {
			t.Fatal(err)
		}
		if loc := b.location(ctx); !strings.HasSuffix(loc, path(going)+"#latest") {
			t.Errorf("after Enter the page is %s", loc)
		}
		if chat := b.text(t, ctx, ".practice-chat"); !strings.Contains(chat, msg) {
			t.Errorf("the reply is not in the conversation:\n%s", chat)
		}
		// The page lands on the persona's answer, so it is read first;
		// one Tab goes back to the reply box.
		if !focusOn(`id="latest"`) {
			t.Errorf("after sending, focus is on %s, want the latest answer", focused())
		}
		b.do(t, ctx, chromedp.KeyEvent(kb.Tab))
		if f := focused(); !strings.Contains(f, `id="reply-body"`) {
			t.Errorf("Tab from the latest answer reaches %s, want the reply box", f)
		}
		b.check(t, ctx, "practice-after-reply")
	})
}
