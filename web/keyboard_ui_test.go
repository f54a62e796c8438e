//go:build browser

package web

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserKeyboardOnly reports with the keyboard alone: the skip link
// comes first, Tab reaches the choices, Space picks one, and Enter on the
// button sends the report.
func TestBrowserKeyboardOnly(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t, ts.URL)
	p := addPeople(t, ts)
	ctx := b.tab(t)
	b.signIn(t, ctx, p.reporter, p.reporterPw)
	b.open(t, ctx, "/report")

	focused := func() string {
		return eval[string](t, ctx, `(e => e.outerHTML.slice(0, 80))(document.activeElement)`)
	}
	tabTo := func(want string) {
		t.Helper()
		for range 60 {
			b.do(t, ctx, chromedp.KeyEvent(kb.Tab))
			if strings.Contains(focused(), want) {
				return
			}
		}
		t.Fatalf("Tab never reached %s", want)
	}
	b.do(t, ctx, chromedp.KeyEvent(kb.Tab))
	if f := focused(); !strings.Contains(f, `class="skip"`) {
		t.Errorf("the first Tab stop is %s, want the skip link", f)
	}
	if vis := eval[bool](t, ctx, `document.activeElement.getBoundingClientRect().top >= 0`); !vis {
		t.Error("the focused skip link is not on screen")
	}
	tabTo(`value="clicked_link"`)
	b.do(t, ctx, chromedp.KeyEvent(" "))
	if hidden := eval[bool](t, ctx, `document.querySelector(".questions[data-kind=clicked_link]").hidden`); hidden {
		t.Error("choosing with Space did not show the questions")
	}
	outline := eval[string](t, ctx, `getComputedStyle(document.activeElement.closest("label")).outlineStyle`)
	if outline == "none" {
		t.Error("the focused choice has no visible focus ring")
	}
	tabTo(`type="submit"`)
	if _, err := runFor(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(kb.Enter))); err != nil {
		t.Fatal(err)
	}
	if h := b.text(t, ctx, "h1"); !strings.Contains(h, "We have your report") {
		t.Errorf("after Enter: %q", h)
	}
}
