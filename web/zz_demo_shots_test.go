package web

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestZZDemoShots(t *testing.T) {
	base := os.Getenv("ALLY_DEMO_URL")
	if base == "" {
		t.Skip()
	}
	b := newBrowser(t, base)
	rep := b.tab(t)
	b.signIn(t, rep, "sam.taylor@example.com", "ally-demo-password")
	ref := eval[string](t, rep, `document.querySelector("a.row-link").getAttribute("href").split("/")[2]`)
	lead := b.tab(t)
	b.signIn(t, lead, "lee.morgan@example.com", "ally-demo-password")
	if os.Getenv("PUBLISH") == "1" {
		b.open(t, lead, "/lessons")
		b.do(t, lead, chromedp.SendKeys(chromedp.ID("lesson-title"), "Pay slip emails"),
			chromedp.SendKeys(chromedp.ID("lesson-body"), "Some of us got a fake email about a pay slip. It asked us to sign in. If you get one, do not sign in. Tell us. We will check it for you."),
			chromedp.SendKeys(chromedp.ID("lesson-cases"), ref))
		b.submit(t, lead, "form[action='/lessons'] button[type=submit]")
	}
	for _, p := range []string{"/dashboard", "/insights", "/lessons"} {
		b.open(t, lead, p)
		b.check(t, lead, "demo"+filepath.Base(p))
	}
	b.open(t, rep, "/")
	b.check(t, rep, "demo-home")
	ph := b.tab(t)
	b.do(t, ph, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.signIn(t, ph, "lee.morgan@example.com", "ally-demo-password")
	for p, sels := range map[string][]string{"/dashboard": {"h1", "#speed-h", "#trends-h"}, "/insights": {"h1", "#rec-h", "#groups-h"}, "/lessons": {"h1", "#all-lessons-h"}} {
		b.open(t, ph, p)
		for i, sel := range sels {
			b.do(t, ph, chromedp.ScrollIntoView(chromedp.CSS(sel)))
			if buf, err := runFor(ph, chromedp.CaptureScreenshot()); err == nil {
				os.WriteFile(filepath.Join(b.shots, "demophone"+filepath.Base(p)+string(rune('0'+i))+".png"), buf, 0o644)
			}
		}
	}
}
