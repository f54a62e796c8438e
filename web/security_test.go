package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store/storetest"
)

// Issue 20 F11: a reporter cannot learn which accounts exist by filtering
// cases by assignee, and an unknown assignee answers like a known one.
func TestAPIAssigneeFilterRevealsNoAccounts(t *testing.T) {
	w := newAPIWorld(t)
	w.newCase(t, false)
	for _, who := range []string{"responder@example.org", "nobody@example.org"} {
		st, body := w.call(t, "reporterA", "GET", "/api/v1/cases?assignee="+who, nil)
		if raw, _ := json.Marshal(body); st != http.StatusBadRequest || !strings.Contains(string(raw), "only responders can list cases by") {
			t.Fatalf("reporter filtering by %s: %d %v", who, st, body)
		}
	}
	known, kb := w.call(t, "responder", "GET", "/api/v1/cases?assignee=lead@example.org", nil)
	unknown, ub := w.call(t, "responder", "GET", "/api/v1/cases?assignee=nobody@example.org", nil)
	if known != 200 || unknown != 200 || len(kb["items"].([]any)) != 0 || len(ub["items"].([]any)) != 0 {
		t.Fatalf("known assignee: %d %v; unknown: %d %v", known, kb, unknown, ub)
	}
}

// Issue 20 F12: reporters never see the tone scoring of responders' replies.
func TestAPIReporterTimelineHasNoToneScores(t *testing.T) {
	w := newAPIWorld(t)
	ref := w.newCase(t, false)
	w.call(t, "responder", "POST", "/api/v1/cases/"+ref+"/messages",
		map[string]any{"body": "Why did you click that? You should have known better.", "confirmed": true})
	_, resp := w.call(t, "responder", "GET", "/api/v1/cases/"+ref+"/timeline", nil)
	if raw, _ := json.Marshal(resp); !strings.Contains(string(raw), `"tone"`) {
		t.Fatalf("responder timeline lacks tone (the test would prove nothing): %s", raw)
	}
	_, rep := w.call(t, "reporterA", "GET", "/api/v1/cases/"+ref+"/timeline", nil)
	if raw, _ := json.Marshal(rep); strings.Contains(string(raw), `"tone"`) || strings.Contains(string(raw), "blame") {
		t.Fatalf("reporter timeline shows tone scoring: %s", raw)
	}
}

// Issue 20 F14: JSON answers, good and bad, are never cached.
func TestAPIJSONIsNotCached(t *testing.T) {
	w := newAPIWorld(t)
	for _, tc := range []struct{ role, path string }{
		{"reporterA", "/api/v1/cases"}, {"anonymous", "/api/v1/cases"}, {"reporterA", "/api/v1/cases/NOPE-1"},
	} {
		req, _ := http.NewRequest("GET", w.URL+tc.path, nil)
		if tok := w.tokens[tc.role]; tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s %s (%d): Cache-Control %q, want no-store", tc.role, tc.path, resp.StatusCode, got)
		}
	}
}

// Issue 20 F2: a NUL byte in any text field never answers 500, on SQLite and
// (with ALLY_TEST_POSTGRES) PostgreSQL.
func TestAPINulBytesAreNoServerError(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := &apiWorld{testServer: newTestServerOn(t, engine), tokens: map[string]string{}}
			w.tokens["reporterA"] = w.token(t, "reporter@example.org", ally.RoleReporter)
			st, c := w.call(t, "reporterA", "POST", "/api/v1/cases", map[string]any{"kind": "suspicious_email",
				"summary": "a\u0000b", "details": "x\u0000y", "answers": map[string]string{"q": "\u0000"}})
			if st != http.StatusCreated {
				t.Fatalf("create: %d %v", st, c)
			}
			ref := c["ref"].(string)
			if st, m := w.call(t, "reporterA", "POST", "/api/v1/cases/"+ref+"/messages",
				map[string]any{"body": "hi\u0000there"}); st != http.StatusCreated {
				t.Fatalf("message: %d %v", st, m)
			}
			resp, err := http.PostForm(w.URL+"/login", url.Values{"email": {"a\x00@example.org"}, "password": {"x\x00"}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				t.Fatalf("sign-in with a NUL: %d", resp.StatusCode)
			}
		})
	}
}

// Issue 20 F7: an API tone check takes a message's worth of text and lists
// at most 200 findings, counting the rest.
func TestAPIToneCheckIsBounded(t *testing.T) {
	w := newAPIWorld(t)
	text := strings.Repeat("You should have known better. Why did you click that? ", 360) // 19,440 bytes
	st, body := w.call(t, "responder", "POST", "/api/v1/tone/check", map[string]any{"text": text})
	findings, _ := body["findings"].([]any)
	more, _ := body["more_findings"].(float64)
	if st != http.StatusOK || len(findings) > 200 || more < 1 {
		t.Fatalf("a long check: %d, %d findings, %v more", st, len(findings), body["more_findings"])
	}
	st, body = w.call(t, "responder", "POST", "/api/v1/tone/check", map[string]any{"text": text + strings.Repeat("x", 700)})
	if raw, _ := json.Marshal(body); st != http.StatusRequestEntityTooLarge || !strings.Contains(string(raw), "in parts") {
		t.Fatalf("an oversized check: %d %s", st, raw)
	}
}
