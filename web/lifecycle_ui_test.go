//go:build browser

package web

import (
	"context"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/chromedp/chromedp"
)

// resolveInBrowser resolves the case open in ctx through the resolve step:
// the outcome is prefilled from the playbook; with tasks open, the page
// asks "resolve anyway?" first.
func resolveInBrowser(t *testing.T, b *browser, ctx context.Context) {
	t.Helper()
	if v := eval[string](t, ctx, `document.getElementById("outcome").value`); !strings.Contains(v, "is resolved") {
		t.Fatalf("the outcome is not prefilled from the playbook: %q", v)
	}
	b.submit(t, ctx, "form[action*='/resolve'] button.primary")
	if strings.Contains(b.text(t, ctx, "#resolve"), "still open: resolve anyway?") {
		b.check(t, ctx, "resolve-anyway")
		b.submit(t, ctx, "form[action*='/resolve'] button.primary")
	}
	if n := b.text(t, ctx, ".notice"); !strings.Contains(n, "resolved") {
		t.Fatalf("after resolving: notice %q", n)
	}
}

// TestBrowserLifecycle, with and without JavaScript and on a 390 px phone:
// answer-dependent first aid and the urgent banner for a critical case,
// resolving with open tasks, and linking a duplicate. axe-core checks each
// new page.
func TestBrowserLifecycle(t *testing.T) {
	ts := newTestServer(t)
	ts.Srv.DeskPhone = "020 7946 0000"
	b := newBrowser(t, ts.URL)
	p := addPeople(t, ts)
	for _, mode := range []struct {
		name  string
		js    bool
		width int64
	}{{"js", true, 0}, {"nojs-phone", false, 390}} {
		t.Run(mode.name, func(t *testing.T) {
			rep, resp := b.tab(t), b.tab(t)
			if mode.width > 0 {
				b.do(t, rep, chromedp.EmulateViewport(mode.width, 844, chromedp.EmulateMobile))
				b.do(t, resp, chromedp.EmulateViewport(mode.width, 844, chromedp.EmulateMobile))
			}
			if !mode.js {
				b.withoutScripts(t, rep)
				b.withoutScripts(t, resp)
			}
			wide := func(ctx context.Context) {
				t.Helper()
				if sw := eval[int](t, ctx, `document.documentElement.scrollWidth`); mode.width > 0 && int64(sw) > mode.width {
					t.Errorf("%s is %d px wide at %d px: %s", b.location(ctx), sw, mode.width, eval[string](t, ctx,
						`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 392).slice(0, 8).map(e => e.tagName + "." + e.className + "#" + e.id + ":" + Math.round(e.getBoundingClientRect().right)).join(" ")`))
				}
			}
			b.signIn(t, rep, p.reporter, p.reporterPw)
			report := func(answers map[string]string) string {
				t.Helper()
				b.open(t, rep, "/report")
				b.do(t, rep, chromedp.Click(chromedp.CSS("input[name=kind][value=clicked_link]")))
				if !mode.js {
					b.submit(t, rep, "form[data-report] button[type=submit]") // the questions come on a second step
				}
				for q, a := range answers {
					b.do(t, rep, chromedp.Click(chromedp.CSS("input[name='q.clicked_link."+q+"'][value='"+a+"']")))
				}
				b.submit(t, rep, "form[data-report] button[type=submit]")
				return b.text(t, rep, "strong.ref")
			}

			critical := report(map[string]string{"typed_password": "yes", "approved_prompt": "yes"})
			if u := b.text(t, rep, ".urgent"); !strings.Contains(u, "Please call us now on 020 7946 0000") {
				t.Errorf("the thank-you page of a critical case: banner %q", u)
			}
			steps := b.text(t, rep, "ol.steps")
			if !strings.Contains(steps, "Change your password now from your phone") || strings.Contains(steps, "If you typed a password") {
				t.Errorf("first aid does not follow the answers:\n%s", steps)
			}
			wide(rep)
			b.check(t, rep, mode.name+"-sent-urgent")
			b.open(t, rep, "/cases/"+critical)
			if u := b.text(t, rep, ".urgent"); !strings.Contains(u, "Please call us now") {
				t.Errorf("the critical case's page: banner %q", u)
			}
			b.check(t, rep, mode.name+"-case-urgent")
			other := report(map[string]string{"typed_password": "no"})
			if n := eval[int](t, rep, `document.querySelectorAll(".urgent").length`); n != 0 {
				t.Error("a medium case shows the urgent banner")
			}

			b.signIn(t, resp, p.responder, p.responderPw)
			b.open(t, resp, "/cases/"+other)
			b.do(t, resp, chromedp.SendKeys(chromedp.ID("link-other"), critical),
				chromedp.Click(chromedp.CSS("input[name=type][value=duplicate]"))) // "related" is the default
			b.submit(t, resp, "form[action*='/links'] button[type=submit]")
			if n := b.text(t, resp, ".notice"); !strings.Contains(n, "linked") {
				t.Errorf("after linking: notice %q", n)
			}
			b.open(t, resp, "/cases/"+critical)
			if l := b.text(t, resp, "#links"); !strings.Contains(l, other) || !strings.Contains(l, "a duplicate of this case") {
				t.Errorf("the surviving case's links:\n%s", l)
			}
			wide(resp)
			b.check(t, resp, mode.name+"-case-links")
			if r := b.text(t, resp, "#open-tasks"); !strings.Contains(r, "tasks are still open") {
				t.Errorf("the resolve step does not show the open tasks: %q", r)
			}
			resolveInBrowser(t, b, resp)
			got, err := ts.DB.FindCase(ally.NewContextWithUser(context.Background(), &ally.User{Role: ally.RoleAdmin}), other)
			if err != nil || got.Status != ally.StatusResolved {
				t.Errorf("the duplicate did not follow the resolved case: %v %v", got, err)
			}
			b.open(t, rep, "/cases/"+other)
			msgs, rate := eval[int](t, rep, `[...document.querySelectorAll("h2")].findIndex(h => h.id === "messages-h")`),
				eval[int](t, rep, `[...document.querySelectorAll("h2")].findIndex(h => h.id === "feedback-h")`)
			if msgs < 0 || rate < 0 || msgs > rate {
				t.Errorf("the reporter's resolved view: messages at %d, rating at %d", msgs, rate)
			}
			wide(rep)
			b.check(t, rep, mode.name+"-case-resolved")
		})
	}
}
