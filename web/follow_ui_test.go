//go:build browser

package web

import (
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/chromedp/chromedp"
)

// TestBrowserFollowLinkWithoutPublicURL: on a server with no --public-url,
// the follow link shown once after reporting without signing in is a
// whole address: copied, and pasted later into another browser, it opens
// the report.
func TestBrowserFollowLinkWithoutPublicURL(t *testing.T) {
	ts := newTestServer(t)
	ts.Srv.Follow = ts.DB
	b := newBrowser(t, ts.URL)
	anon := b.tab(t)
	b.open(t, anon, "/report")
	b.do(t, anon, chromedp.Click(chromedp.CSS("input[name=kind][value=lost_device]")),
		chromedp.SendKeys(chromedp.ID("details"), "Left my work phone in a taxi."))
	b.submit(t, anon, "form[data-report] button[type=submit]")
	link, ref := b.text(t, anon, ".follow-link"), b.text(t, anon, "strong.ref")
	if !strings.HasPrefix(link, ts.URL+"/follow/") {
		t.Fatalf("the follow link shown is %q, want a whole address under %s", link, ts.URL)
	}
	later := b.tab(t)
	b.do(t, later, chromedp.Navigate(link))
	if h := b.text(t, later, "main"); !strings.Contains(h, "Left my work phone") || !strings.HasPrefix(ref, ally.RefPrefix) {
		t.Errorf("the pasted link opens:\n%s", h)
	}
}
