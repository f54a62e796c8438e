package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// TestUrgentFirstAid: a reporter who typed a password and approved a
// prompt (a critical case) is told to change it now from their phone, not
// "if you typed a password", and to call the desk now, on the thank-you
// page and on their case; a calmer case shows no banner.
func TestUrgentFirstAid(t *testing.T) {
	ts := newTestServer(t)
	ts.Srv.DeskPhone = "+44 20 7946 0000"
	rep := newPageClient(t, ts)
	rep.signIn("rita@example.com", ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance"))
	rep.get("/report")
	report := func(answers map[string]string) (string, string) {
		form := url.Values{"kind": {"clicked_link"}, "step": {"questions"}}
		for q, a := range answers {
			form.Set("q.clicked_link."+q, a)
		}
		code, _, loc := rep.post("/report", form)
		if code != http.StatusSeeOther || !strings.HasSuffix(loc, "/sent") {
			t.Fatalf("report: %d %s", code, loc)
		}
		_, sent, _ := rep.get(loc)
		_, page, _ := rep.get(strings.TrimSuffix(loc, "/sent"))
		return sent, page
	}
	sent, page := report(map[string]string{"typed_password": "yes", "approved_prompt": "yes", "downloaded": "no"})
	for name, body := range map[string]string{"thank-you page": sent, "case page": page} {
		if !strings.Contains(body, "Please call us now on") || !strings.Contains(body, `href="tel:&#43;442079460000"`) &&
			!strings.Contains(body, `href="tel:+442079460000"`) {
			t.Errorf("the %s of a critical case has no call-us-now banner with the desk's number", name)
		}
	}
	if !strings.Contains(sent, "Change your password now from your phone") || strings.Contains(sent, "If you typed a password") {
		t.Error("first aid does not follow the answer: typed a password")
	}
	if strings.Contains(sent, "Do not open the file that downloaded") || !strings.Contains(sent, "If a file downloaded") {
		t.Error("first aid does not follow the answer: no download")
	}

	calm, _ := report(map[string]string{"typed_password": "no"})
	if strings.Contains(calm, "Please call us now") || !strings.Contains(calm, "If you typed a password") {
		t.Error("a medium case shows the urgent banner, or lost its general step")
	}

	ts.Srv.DeskPhone = ""
	noPhone, _ := report(map[string]string{"typed_password": "yes", "approved_prompt": "yes"})
	if !strings.Contains(noPhone, "Please keep your phone close") || strings.Contains(noPhone, "tel:") {
		t.Error("without a desk phone the banner should ask them to keep their phone close")
	}
}
