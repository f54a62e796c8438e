package web

import (
	"testing"
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
