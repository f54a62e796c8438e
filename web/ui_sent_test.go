package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// TestThankYouSaysItOnce: the page after a report thanks the reporter and
// says they did the right thing once, not in the heading and again in
// the playbook's message under it, for every kind of report.
func TestThankYouSaysItOnce(t *testing.T) {
	ts := newTestServer(t)
	pc := newPageClient(t, ts)
	pc.signIn("rita@example.com", ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance"))
	for _, kind := range ally.Kinds {
		c, err := ts.DB.CreateCase(asUser(t, ts, "rita@example.com"), &ally.NewCase{Kind: kind})
		if err != nil {
			t.Fatal(err)
		}
		code, body, _ := pc.get("/cases/" + c.Ref + "/sent")
		if code != http.StatusOK || !strings.Contains(body, "<h1>") {
			t.Fatalf("%s: %d, want the thank-you page with its heading", kind, code)
		}
		text := strings.ToLower(visibleText(body[strings.Index(body, "<main"):]))
		for _, said := range []string{"thank you", "the right thing"} {
			if n := strings.Count(text, said); n > 1 {
				t.Errorf("%s: the page says %q %d times", kind, said, n)
			}
		}
		if !strings.Contains(text, "thank you") {
			t.Errorf("%s: the page does not thank the reporter", kind)
		}
	}
}
