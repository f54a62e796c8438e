//go:build !browser

package web

import (
	"os"
	"testing"
)

// browserTestsHowTo says how to run the browser and accessibility tests,
// which are built only with the tag "browser" so that chromedp stays out of
// every other build.
const browserTestsHowTo = "browser and accessibility tests not built; run them with " +
	"`(cd web/testdata && npm ci) && go test -tags browser ./web/` (needs Chromium at /usr/bin/chromium or ALLY_CHROMIUM)"

// TestBrowser stands in for the browser tests when they are not built: one
// skip line saying how to run them, or a failure when ALLY_BROWSER_TESTS=1
// asked for them.
func TestBrowser(t *testing.T) {
	if os.Getenv("ALLY_BROWSER_TESTS") == "1" {
		t.Fatal("ALLY_BROWSER_TESTS=1 but the " + browserTestsHowTo)
	}
	t.Skip(browserTestsHowTo)
}
