package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// The data page: only admins; a refused policy comes back as typed with the
// problem; a good one is saved; a person's data downloads; erasing needs the
// box ticked and then removes the account's address.
func TestDataPage(t *testing.T) {
	ts := newTestServer(t)
	apw := ts.addUser(t, "ada@example.com", "Ada Admin", ally.RoleAdmin, "IT")
	rpw := ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	reporter := newPageClient(t, ts)
	reporter.signIn("rita@example.com", rpw)
	if code, _, _ := reporter.get("/admin/data"); code != http.StatusForbidden {
		t.Fatalf("a reporter opened the data page: %d", code)
	}
	pc := newPageClient(t, ts)
	pc.signIn("ada@example.com", apw)
	if code, body, _ := pc.get("/admin/data"); code != 200 || !strings.Contains(body, "How long closed cases are kept") {
		t.Fatalf("data page: %d", code)
	}
	form := url.Values{"action-*": {"deidentify"}, "days-*": {"5"}, "action-lost_device": {"delete"},
		"days-lost_device": {"ninety"}}
	code, body, _ := pc.post("/admin/data/retention", form)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Lost device: give the number of days") ||
		!strings.Contains(body, `value="ninety"`) {
		t.Fatalf("a bad policy: %d %s", code, body)
	}
	form.Set("days-lost_device", "90")
	if code, body, _ := pc.post("/admin/data/retention", form); code != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "Every other kind: 5 is out of range") {
		t.Fatalf("a policy with 5 days: %d %s", code, body)
	}
	form.Set("days-*", "365")
	if code, _, loc := pc.post("/admin/data/retention", form); code != http.StatusSeeOther || loc != "/admin/data?saved=1" {
		t.Fatalf("a good policy: %d %s", code, loc)
	}
	if _, body, _ := pc.get("/admin/data?saved=1"); !strings.Contains(body, "policy is saved") ||
		!strings.Contains(body, `value="365"`) {
		t.Fatal("the saved policy is not shown")
	}
	code, body, hdr := pc.get("/admin/data/export?email=rita@example.com")
	if code != 200 || !strings.Contains(hdr.Get("Content-Disposition"), "attachment") || !strings.Contains(body, `"reports"`) {
		t.Fatalf("download: %d %v %s", code, hdr, body)
	}
	if code, body, _ := pc.get("/admin/data/export?email=nobody@example.com"); code != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "No account") {
		t.Fatalf("download for nobody: %d", code)
	}
	if code, body, _ := pc.post("/admin/data/erase", url.Values{"email": {"rita@example.com"}}); code !=
		http.StatusUnprocessableEntity || !strings.Contains(body, "Tick the box") {
		t.Fatalf("erase without the box: %d %s", code, body)
	}
	code, body, _ = pc.post("/admin/data/erase", url.Values{"email": {"rita@example.com"}, "confirm": {"1"}})
	if code != 200 || !strings.Contains(body, "Erased person") {
		t.Fatalf("erase: %d %s", code, body)
	}
	if code, _, _ := pc.get("/admin/data/export?email=rita@example.com"); code != http.StatusUnprocessableEntity {
		t.Fatalf("the erased address still has data: %d", code)
	}
}
