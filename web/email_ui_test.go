//go:build browser

package web

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserEmail walks the reported-email story in Chromium: a reporter
// adds the email to the report form (the field appears after the choice)
// and reads the plain summary; a responder reads the analysis and decides
// the campaign. Every page is checked with axe-core, on a desktop and at
// 390 px, where none may scroll sideways.
func TestBrowserEmail(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t, ts.URL)
	p := addPeople(t, ts)
	eml, err := filepath.Abs(parcelEmail)
	if err != nil {
		t.Fatal(err)
	}
	rep := b.tab(t)
	b.signIn(t, rep, p.reporter, p.reporterPw)
	var ref string

	t.Run("report with the email", func(t *testing.T) {
		b.open(t, rep, "/report")
		if eval[bool](t, rep, `!!document.getElementById("file-suspicious_email").offsetParent`) {
			t.Error("the file field shows before a choice")
		}
		b.do(t, rep, chromedp.Click(chromedp.CSS("input[name=kind][value=suspicious_email]")),
			chromedp.WaitVisible(chromedp.ID("file-suspicious_email")))
		b.check(t, rep, "report-email")
		b.do(t, rep, chromedp.SetUploadFiles(chromedp.ID("file-suspicious_email"), []string{eml}))
		b.submit(t, rep, "form[data-report] button[type=submit]")
		if h := b.text(t, rep, "#checked-h"); h != "We checked the email you sent us" {
			t.Fatalf("confirmation: %q", h)
		}
		b.check(t, rep, "sent-email")
		ref = b.text(t, rep, "strong.ref")
		b.open(t, rep, "/cases/"+ref)
		if s := b.text(t, rep, "#files"); !strings.Contains(s, "We checked the email you sent us.") || strings.Contains(s, "Score") {
			t.Errorf("reporter's files section: %q", s)
		}
		b.check(t, rep, "case-reporter-email")
	})
	if ref == "" {
		t.FailNow()
	}
	_, a2 := emailCase(t, ts, p.admin, parcelEmail)
	camp := "/campaigns/" + strconv.FormatInt(*a2.CampaignID, 10)

	desk := b.tab(t)
	b.signIn(t, desk, p.responder, p.responderPw)
	phone := b.tab(t)
	b.do(t, phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.signIn(t, phone, p.responder, p.responderPw)
	for _, pg := range []struct{ path, name, mark string }{
		{"/cases/" + ref, "case-analysis", "Email analysis"},
		{"/campaigns", "campaigns", "Campaigns"},
		{camp, "campaign", "Decide for all 2 reports"},
	} {
		t.Run(pg.name, func(t *testing.T) {
			for name, ctx := range map[string]context.Context{pg.name: desk, "phone-" + pg.name: phone} {
				b.open(t, ctx, pg.path)
				if s := b.text(t, ctx, "main"); !strings.Contains(s, pg.mark) {
					t.Errorf("%s lacks %q", name, pg.mark)
				}
				if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 1280 || (ctx == phone && w > 390) {
					t.Errorf("%s is %d px wide: it scrolls sideways", name, w)
				}
				b.check(t, ctx, name)
			}
		})
	}

	t.Run("decide the campaign", func(t *testing.T) {
		b.open(t, desk, camp)
		b.do(t, desk, chromedp.Click(chromedp.CSS("input[name=verdict][value=malicious]")))
		b.submit(t, desk, "form[action$='/decide'] button[type=submit]")
		if n := b.text(t, desk, ".notice"); n != campaignDecided {
			t.Errorf("notice = %q", n)
		}
		b.check(t, desk, "campaign-decided")
		b.open(t, rep, "/cases/"+ref)
		if s := b.text(t, rep, ".thread"); !strings.Contains(s, "phishing attack") {
			t.Errorf("the reporter was not told the outcome: %q", s)
		}
	})
}
