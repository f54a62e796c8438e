package web

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/tone"
)

// TestAPIToneGate: the JSON API holds back a blaming reply exactly as the
// page does (422 with the tone check), sends it with "confirmed": true, and
// the audit log records that it went out anyway.
func TestAPIToneGate(t *testing.T) {
	w := newAPIWorld(t)
	ref := w.newCase(t, false)
	path := "/api/v1/cases/" + ref + "/messages"
	blame := "Why did you click that? You should have known better."
	st, body := w.call(t, "responder", "POST", path, map[string]any{"body": blame})
	errBody, _ := body["error"].(map[string]any)
	toneBody, _ := body["tone"].(map[string]any)
	if st != 422 || errBody["code"] != "held" || toneBody == nil || len(toneBody["findings"].([]any)) == 0 {
		t.Fatalf("unconfirmed blaming reply: %d %v, want 422 held with the tone findings", st, body)
	}
	if _, tl := w.call(t, "responder", "GET", "/api/v1/cases/"+ref+"/timeline", nil); len(tl["items"].([]any)) != 1 {
		t.Fatalf("held reply was written: %v", tl)
	}
	st, body = w.call(t, "responder", "POST", path, map[string]any{"body": blame, "confirmed": true})
	if st != 201 || body["tone"] == nil {
		t.Fatalf("confirmed reply: %d %v", st, body)
	}
	_, audit := w.call(t, "admin", "GET", "/api/v1/audit", nil)
	found := false
	for _, it := range audit["items"].([]any) {
		a := it.(map[string]any)
		found = found || (a["action"] == "case.message" && a["target"] == ref && a["detail"] != "")
	}
	if !found {
		t.Fatalf("audit log has no reply sent anyway: %v", audit)
	}
}

// TestAPIAndPageHoldTheSameReply: one reply whose blame only the learned
// layer finds (a kind reply hiding one blaming sentence) is held by the
// JSON API and by the page alike, with the same finding; sent anyway from
// the page, it goes out once and the audit log names the finding.
func TestAPIAndPageHoldTheSameReply(t *testing.T) {
	w := newAPIWorld(t)
	ref := w.newCase(t, false)
	reply := "Thanks for telling us so quickly. Typical finance user. I'll reset your password in the next hour."
	res := w.Srv.Tone.Check(reply, tone.AudienceReporter)
	errs := ally.ErrorRules(&res)
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "learned-") {
		t.Fatalf("the test needs a reply only the model holds; the engine gives %v", errs)
	}
	st, body := w.call(t, "responder", "POST", "/api/v1/cases/"+ref+"/messages", map[string]any{"body": reply})
	errBody, _ := body["error"].(map[string]any)
	if st != http.StatusUnprocessableEntity || errBody["code"] != "held" {
		t.Fatalf("API: %d %v, want 422 held", st, body)
	}
	finding := body["tone"].(map[string]any)["findings"].([]any)[0].(map[string]any)
	if finding["rule"] != errs[0] {
		t.Fatalf("API finding %v, want %s", finding, errs[0])
	}

	pc := newPageClient(t, w.testServer)
	pc.signIn("paige@example.org", w.addUser(t, "paige@example.org", "Paige Responder", ally.RoleResponder, ""))
	pc.get("/cases/" + ref)
	code, page, _ := pc.post("/cases/"+ref+"/messages", url.Values{"body": {reply}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Send anyway") ||
		!strings.Contains(page, htmlEscape(finding["message"].(string))) {
		t.Fatalf("page: %d, want the reply held with the API's finding %q", code, finding["message"])
	}
	code, _, loc := pc.post("/cases/"+ref+"/messages", url.Values{"body": {reply}, "confirmed": {"1"}})
	if code != http.StatusSeeOther || !strings.Contains(loc, "done=reply") {
		t.Fatalf("send anyway: %d to %q", code, loc)
	}
	_, tl := w.call(t, "responder", "GET", "/api/v1/cases/"+ref+"/timeline", nil)
	sent := 0
	for _, it := range tl["items"].([]any) {
		if it.(map[string]any)["body"] == reply {
			sent++
		}
	}
	if sent != 1 {
		t.Fatalf("the reply is on the timeline %d times, want once", sent)
	}
	_, audit := w.call(t, "admin", "GET", "/api/v1/audit", nil)
	for _, it := range audit["items"].([]any) {
		if a := it.(map[string]any); a["target"] == ref && a["detail"] == "sent anyway despite tone: "+errs[0] {
			return
		}
	}
	t.Fatalf("the audit log does not record the reply sent anyway with %s: %v", errs[0], audit)
}

// TestRepliesAreCheckedOnlyByTheCaseService: the case service (store
// AddMessage) checks a reply's tone once, before it is written, and holds
// it back; no handler checks it again. Only POST /api/v1/tone/check, which
// writes nothing, runs the engine here.
func TestRepliesAreCheckedOnlyByTheCaseService(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "api_guidance.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), ".Check(") {
			t.Errorf("%s runs the tone engine itself; leave replies to the case service's gate", f)
		}
	}
}
