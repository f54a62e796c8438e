//go:build browser

package web

import (
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// menuLines counts the lines the main menu takes: its items' distinct tops,
// and whether the list is as tall as one item (no second line below), with
// the menu on the brand's line.
const menuLines = `(() => {
  const ul = document.querySelector("nav[aria-label=Main] > .nav");
  const items = Array.from(ul.children);
  const tops = new Set(items.map((li) => Math.round(li.getBoundingClientRect().top)));
  const cs = getComputedStyle(ul);
  const inner = ul.getBoundingClientRect().height - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
  const line = Math.max(...items.map((li) => li.getBoundingClientRect().height));
  const brand = document.querySelector(".brand").getBoundingClientRect();
  const onBrandLine = ul.getBoundingClientRect().top < brand.bottom;
  return JSON.stringify({tops: tops.size, inner: Math.round(inner), line: Math.round(line), onBrandLine});
})()`

// TestBrowserMenuOneLine: at 1280 px the main menu is one line for an
// admin, a responder and a reporter (the admin's wrapped onto a second line
// before the person's own settings moved under "Account"). The Account menu
// opens and closes with the keyboard, shows "Sign out" and the person's
// settings, works without JavaScript, and on a phone its links stand in the
// open main menu.
func TestBrowserMenuOneLine(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t, ts.URL)
	p := addPeople(t, ts)
	for _, who := range []struct{ name, email, password string }{
		{"admin", p.admin, p.adminPw}, {"responder", p.responder, p.responderPw}, {"reporter", p.reporter, p.reporterPw},
	} {
		t.Run(who.name, func(t *testing.T) {
			tab := b.tab(t)
			b.do(t, tab, chromedp.EmulateViewport(1280, 900))
			b.signIn(t, tab, who.email, who.password)
			b.open(t, tab, "/lessons")
			var got struct {
				Tops        int  `json:"tops"`
				Inner       int  `json:"inner"`
				Line        int  `json:"line"`
				OnBrandLine bool `json:"onBrandLine"`
			}
			if err := json.Unmarshal([]byte(eval[string](t, tab, menuLines)), &got); err != nil {
				t.Fatal(err)
			}
			if got.Tops != 1 || got.Inner != got.Line || !got.OnBrandLine {
				t.Errorf("at 1280 px the %s's menu takes %d lines, is %d px tall for %d px items, beside the brand: %v",
					who.name, got.Tops, got.Inner, got.Line, got.OnBrandLine)
			}
			signOut := `document.querySelector("details[data-submenu] button[type=submit]").checkVisibility()`
			if eval[bool](t, tab, signOut) {
				t.Error("Sign out shows before the Account menu is opened")
			}
			b.do(t, tab, chromedp.Focus(chromedp.CSS(`details[data-submenu] > summary`)), chromedp.KeyEvent(kb.Enter))
			if !eval[bool](t, tab, signOut) || !eval[bool](t, tab,
				`document.querySelector(".submenu-list a[href='/account/password']").checkVisibility()`) {
				t.Fatal("Enter on Account does not show Sign out and Change password")
			}
			b.check(t, tab, "menu-account-"+who.name)
			b.do(t, tab, chromedp.KeyEvent(kb.Escape))
			if eval[bool](t, tab, signOut) || !eval[bool](t, tab,
				`document.activeElement === document.querySelector("details[data-submenu] > summary")`) {
				t.Error("Escape does not close the Account menu and give the focus back to it")
			}
		})
	}

	t.Run("without JavaScript", func(t *testing.T) {
		tab := b.tab(t)
		b.withoutScripts(t, tab)
		b.signIn(t, tab, p.responder, p.responderPw)
		b.do(t, tab, chromedp.Click(chromedp.CSS(`details[data-submenu] > summary`)))
		b.submit(t, tab, `details[data-submenu] button[type=submit]`)
		if loc := b.location(tab); loc != ts.URL+"/login?done=signout" {
			t.Errorf("Sign out without JavaScript led to %s", loc)
		}
	})

	t.Run("phone", func(t *testing.T) {
		tab := b.tab(t)
		b.do(t, tab, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		b.signIn(t, tab, p.admin, p.adminPw)
		b.do(t, tab, chromedp.Click(chromedp.CSS(`details.menu > summary`)))
		settings := `document.querySelector(".submenu-list a[href='/settings/notifications']")`
		if !eval[bool](t, tab, settings+".checkVisibility()") {
			t.Error("on a phone the open menu does not show the Account links")
		}
		if w := eval[int](t, tab, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("the page is %d px wide at 390 px with the menu open", w)
		}
		b.check(t, tab, "menu-phone")
	})
}
