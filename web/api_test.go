package web

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

// roles are the callers every API scenario is tried as.
var roles = []string{"anonymous", "reporterA", "reporterB", "responder", "lead", "admin"}

// apiWorld is a server with one token per role, and a clock for its
// per-user limits that newCase moves on at a person's pace.
type apiWorld struct {
	*testServer
	tokens   map[string]string
	clock    *testClock
	erasable int // accounts made to be erased
}

func newAPIWorld(t *testing.T) *apiWorld {
	w := &apiWorld{testServer: newTestServer(t), tokens: map[string]string{}, clock: &testClock{now: time.Now()}}
	w.Srv.Now = w.clock.Now
	for role, r := range map[string]ally.Role{"reporterA": ally.RoleReporter, "reporterB": ally.RoleReporter,
		"responder": ally.RoleResponder, "lead": ally.RoleLead, "admin": ally.RoleAdmin} {
		w.tokens[role] = w.token(t, role+"@example.org", r)
	}
	return w
}

// call sends a JSON request as role and returns the status and decoded body.
func (w *apiWorld) call(t *testing.T, role, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, w.URL+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok := w.tokens[role]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if len(raw) > 0 && json.Unmarshal(raw, &out) != nil {
		t.Fatalf("%s %s: body is not JSON: %s", method, path, raw)
	}
	checkOpenAPI(t, req, resp.StatusCode, resp.Header, raw)
	return resp.StatusCode, out
}

// newCase files a case as reporterA and returns its ref.
func (w *apiWorld) newCase(t *testing.T, confidential bool) string {
	t.Helper()
	st, body := w.call(t, "reporterA", "POST", "/api/v1/cases", map[string]any{"kind": "clicked_link",
		"summary": "Clicked a parcel link", "confidential": confidential})
	if st != 201 || body["source"] != "web" {
		t.Fatalf("create: %d %v", st, body)
	}
	w.clock.set(w.clock.Now().Add(ally.CaseRate.Every))
	return body["ref"].(string)
}

// resolved files a case and resolves it as the responder.
func (w *apiWorld) resolved(t *testing.T) string {
	ref := w.newCase(t, false)
	if st, b := w.call(t, "lead", "PATCH", "/api/v1/cases/"+ref, map[string]any{"status": "resolved",
		"outcome": "All sorted. Thank you for telling us."}); st != 200 {
		t.Fatalf("resolve: %d %v", st, b)
	}
	return ref
}

func TestAPIRoleMatrix(t *testing.T) {
	w := newAPIWorld(t)
	type want map[string]int
	scenarios := []struct {
		name   string
		method string
		path   func(t *testing.T) string
		body   any
		want   want
	}{
		{"create case", "POST", fixed("/api/v1/cases"), map[string]any{"kind": "lost_device"},
			want{"anonymous": 401, "reporterA": 201, "reporterB": 201, "responder": 201, "lead": 201, "admin": 201}},
		{"list cases", "GET", fixed("/api/v1/cases"), nil,
			want{"anonymous": 401, "reporterA": 200, "reporterB": 200, "responder": 200, "lead": 200, "admin": 200}},
		{"get case", "GET", w.casePath(false, ""), nil,
			want{"anonymous": 401, "reporterA": 200, "reporterB": 404, "responder": 200, "lead": 200, "admin": 200}},
		{"get confidential case", "GET", w.casePath(true, ""), nil,
			want{"anonymous": 401, "reporterA": 200, "reporterB": 404, "responder": 404, "lead": 200, "admin": 200}},
		{"update case", "PATCH", w.casePath(false, ""), map[string]any{"severity": "high"},
			want{"anonymous": 401, "reporterA": 403, "reporterB": 404, "responder": 200, "lead": 200, "admin": 200}},
		{"timeline", "GET", w.casePath(false, "/timeline"), nil,
			want{"anonymous": 401, "reporterA": 200, "reporterB": 404, "responder": 200, "lead": 200, "admin": 200}},
		{"message", "POST", w.casePath(false, "/messages"), map[string]any{"body": "Thanks, we're on it together."},
			want{"anonymous": 401, "reporterA": 201, "reporterB": 404, "responder": 201, "lead": 201, "admin": 201}},
		{"internal note", "POST", w.casePath(false, "/messages"), map[string]any{"body": "Checked logs", "internal": true},
			want{"anonymous": 401, "reporterA": 403, "reporterB": 404, "responder": 201, "lead": 201, "admin": 201}},
		{"feedback", "POST", func(t *testing.T) string { return "/api/v1/cases/" + w.resolved(t) + "/feedback" },
			map[string]any{"rating": 5}, want{"anonymous": 401, "reporterA": 201, "reporterB": 404, "responder": 403, "lead": 403, "admin": 403}},
		{"tasks", "GET", w.casePath(false, "/tasks"), nil,
			want{"anonymous": 401, "reporterA": 200, "reporterB": 404, "responder": 200, "lead": 200, "admin": 200}},
		{"tick responder task", "PATCH", w.casePath(false, "/tasks/"+w.taskID(t, ally.OwnerResponder)), map[string]any{"done": true},
			want{"anonymous": 401, "reporterA": 404, "reporterB": 404, "responder": 200, "lead": 200, "admin": 200}},
		{"tick reporter task", "PATCH", w.casePath(false, "/tasks/"+w.taskID(t, ally.OwnerReporter)), map[string]any{"done": true},
			want{"anonymous": 401, "reporterA": 200, "reporterB": 404, "responder": 200, "lead": 200, "admin": 200}},
		{"link duplicates in bulk", "POST", fixed("/api/v1/cases/bulk"), map[string]any{"refs": []string{"AL-999999"},
			"link": map[string]any{}},
			want{"anonymous": 401, "reporterA": 403, "reporterB": 403, "responder": 200, "lead": 200, "admin": 200}},
		{"playbooks", "GET", fixed("/api/v1/playbooks"), nil,
			want{"anonymous": 401, "reporterA": 200, "reporterB": 200, "responder": 200, "lead": 200, "admin": 200}},
		{"tone check", "POST", fixed("/api/v1/tone/check"), map[string]any{"text": "Thanks for telling us."},
			want{"anonymous": 401, "reporterA": 200, "reporterB": 200, "responder": 200, "lead": 200, "admin": 200}},
		{"me", "GET", fixed("/api/v1/me"), nil,
			want{"anonymous": 401, "reporterA": 200, "reporterB": 200, "responder": 200, "lead": 200, "admin": 200}},
		{"change my password", "POST", fixed("/api/v1/me/password"), // to the same: the next role's tokens work anyway
			map[string]any{"current": testPassword, "password": testPassword},
			want{"anonymous": 401, "reporterA": 204, "reporterB": 204, "responder": 204, "lead": 204, "admin": 204}},
		{"change my password, a wrong current one", "POST", fixed("/api/v1/me/password"),
			map[string]any{"current": "not the password", "password": "maple kettle orbit tundra"},
			want{"anonymous": 401, "reporterA": 401, "reporterB": 401, "responder": 401, "lead": 401, "admin": 401}},
		{"list users", "GET", fixed("/api/v1/users"), nil,
			want{"anonymous": 401, "reporterA": 403, "reporterB": 403, "responder": 200, "lead": 200, "admin": 200}},
		{"add user", "POST", func(t *testing.T) string { return "/api/v1/users" }, nil, // body set per role below
			want{"anonymous": 401, "reporterA": 403, "reporterB": 403, "responder": 403, "lead": 403, "admin": 201}},
		{"metrics", "GET", fixed("/api/v1/metrics"), nil,
			want{"anonymous": 401, "reporterA": 403, "reporterB": 403, "responder": 403, "lead": 200, "admin": 200}},
		{"insights", "GET", fixed("/api/v1/insights"), nil,
			want{"anonymous": 401, "reporterA": 403, "reporterB": 403, "responder": 403, "lead": 200, "admin": 200}},
		{"lessons", "GET", fixed("/api/v1/lessons"), nil,
			want{"anonymous": 401, "reporterA": 200, "reporterB": 200, "responder": 200, "lead": 200, "admin": 200}},
		{"publish lesson", "POST", fixed("/api/v1/lessons"), map[string]any{"title": "Fake parcels",
			"body": "Thank you to all who told us about a fake parcel text this week. Look at the web address before you click."},
			want{"anonymous": 401, "reporterA": 403, "reporterB": 403, "responder": 403, "lead": 201, "admin": 201}},
		{"campaigns", "GET", fixed("/api/v1/campaigns"), nil,
			want{"anonymous": 401, "reporterA": 403, "reporterB": 403, "responder": 200, "lead": 200, "admin": 200}},
		{"audit", "GET", fixed("/api/v1/audit"), nil,
			want{"anonymous": 401, "reporterA": 403, "reporterB": 403, "responder": 403, "lead": 200, "admin": 200}},
		{"export a person's data", "GET", fixed("/api/v1/users/reporterA@example.org/data"), nil,
			want{"anonymous": 401, "reporterA": 200, "reporterB": 403, "responder": 403, "lead": 403, "admin": 200}},
		{"erase a person", "POST", func(t *testing.T) string {
			w.erasable++
			email := fmt.Sprintf("leaver%d@example.org", w.erasable)
			w.addUser(t, email, "Leaver", ally.RoleReporter, "Sales")
			return "/api/v1/users/" + email + "/erase"
		}, map[string]any{}, want{"anonymous": 401, "reporterA": 403, "reporterB": 403, "responder": 403, "lead": 403,
			"admin": 200}},
		{"retention policy", "GET", fixed("/api/v1/retention"), nil,
			want{"anonymous": 401, "reporterA": 403, "reporterB": 403, "responder": 403, "lead": 403, "admin": 200}},
		{"set retention policy", "PUT", fixed("/api/v1/retention"),
			map[string]any{"rules": []map[string]any{{"kind": "*", "action": "deidentify", "days": 365}}},
			want{"anonymous": 401, "reporterA": 403, "reporterB": 403, "responder": 403, "lead": 403, "admin": 200}},
		{"health", "GET", fixed("/healthz"), nil,
			want{"anonymous": 200, "reporterA": 200, "reporterB": 200, "responder": 200, "lead": 200, "admin": 200}},
		{"ready", "GET", fixed("/readyz"), nil,
			want{"anonymous": 200, "reporterA": 200, "reporterB": 200, "responder": 200, "lead": 200, "admin": 200}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			for _, role := range roles {
				body := sc.body
				if sc.name == "add user" {
					body = map[string]any{"email": "new-" + role + "@example.org", "name": "New", "role": "reporter", "password": "long enough password"}
				}
				st, out := w.call(t, role, sc.method, sc.path(t), body)
				if st != sc.want[role] {
					t.Errorf("%s as %s: status %d, want %d (%v)", sc.name, role, st, sc.want[role], out)
				}
				if st >= 400 {
					e, _ := out["error"].(map[string]any)
					if e["code"] == "" || e["message"] == "" {
						t.Errorf("%s as %s: error body %v lacks code or message", sc.name, role, out)
					}
				}
			}
		})
	}
}

func fixed(p string) func(*testing.T) string { return func(*testing.T) string { return p } }

// casePath returns a path under a fresh case for each call.
func (w *apiWorld) casePath(confidential bool, suffix string) func(*testing.T) string {
	return func(t *testing.T) string { return "/api/v1/cases/" + w.newCase(t, confidential) + suffix }
}

// taskID returns the id of a task of the given owner in the clicked_link playbook.
func (w *apiWorld) taskID(t *testing.T, owner string) string {
	pb, _ := w.Srv.Playbooks.Get("clicked_link")
	for _, task := range pb.Tasks {
		if task.Owner == owner {
			return task.ID
		}
	}
	t.Fatalf("clicked_link has no %s task", owner)
	return ""
}

func TestAPIReporterSeesOnlyOwnAndNoNotes(t *testing.T) {
	w := newAPIWorld(t)
	ref := w.newCase(t, false)
	w.call(t, "responder", "POST", "/api/v1/cases/"+ref+"/messages", map[string]any{"body": "Secret note", "internal": true})
	w.call(t, "responder", "POST", "/api/v1/cases/"+ref+"/messages", map[string]any{"body": "Thanks for reporting this."})
	_, tl := w.call(t, "reporterA", "GET", "/api/v1/cases/"+ref+"/timeline", nil)
	raw, _ := json.Marshal(tl)
	if strings.Contains(string(raw), "Secret note") || !strings.Contains(string(raw), "Thanks for reporting") {
		t.Fatalf("reporter timeline: %s", raw)
	}
	_, c := w.call(t, "reporterA", "GET", "/api/v1/cases/"+ref, nil)
	if c["status"] != "acknowledged" || c["acknowledged_at"] == nil {
		t.Fatalf("first reply did not acknowledge: %v", c)
	}
	_, list := w.call(t, "reporterB", "GET", "/api/v1/cases", nil)
	if items := list["items"].([]any); len(items) != 0 {
		t.Fatalf("reporter B sees %d cases of A", len(items))
	}
}

// A case sent without a summary gets the one the report page makes: the
// kind in the reporter's words and the start of the details.
func TestAPIDefaultSummaryAsOnThePage(t *testing.T) {
	w := newAPIWorld(t)
	st, c := w.call(t, "reporterA", "POST", "/api/v1/cases", map[string]any{"kind": "lost_device",
		"details": "  my phone\n on the train "})
	if st != http.StatusCreated || c["summary"] != "I lost a device: my phone on the train" {
		t.Fatalf("%d, summary %v", st, c["summary"])
	}
}

func TestAPIInvalidInput(t *testing.T) {
	w := newAPIWorld(t)
	ref := w.newCase(t, false)
	done := w.resolved(t)
	cases := []struct {
		name, method, path, ctype, body string
		status                          int
		code, mention                   string
	}{
		{"unknown field", "POST", "/api/v1/cases", "application/json", `{"kind":"other","colour":"red"}`, 400, "invalid", "colour"},
		{"wrong type", "POST", "/api/v1/cases", "application/json", `{"kind":"other","summary":5}`, 400, "invalid", "summary"},
		{"bad enum", "POST", "/api/v1/cases", "application/json", `{"kind":"hacked"}`, 400, "invalid", "kind"},
		{"missing kind", "POST", "/api/v1/cases", "application/json", `{"summary":"x"}`, 400, "invalid", "kind"},
		{"bad time", "POST", "/api/v1/cases", "application/json", `{"kind":"other","occurred_at":"yesterday"}`, 400, "invalid", "occurred_at"},
		{"not json", "POST", "/api/v1/cases", "application/json", `{"kind":`, 400, "invalid", "JSON"},
		{"two objects", "POST", "/api/v1/cases", "application/json", `{"kind":"other"}{}`, 400, "invalid", "one JSON object"},
		{"wrong content type", "POST", "/api/v1/cases", "text/plain", `{"kind":"other"}`, 415, "unsupported_media_type", "application/json"},
		{"too large", "POST", "/api/v1/cases", "application/json", `{"kind":"other","details":"` + strings.Repeat("a", 1<<20) + `"}`, 413, "too_large", "larger"},
		{"bad status", "PATCH", "/api/v1/cases/" + ref, "application/json", `{"status":"done"}`, 400, "invalid", "status"},
		{"bad transition", "PATCH", "/api/v1/cases/" + done, "application/json", `{"status":"contained"}`, 400, "invalid", "status"},
		{"empty update", "PATCH", "/api/v1/cases/" + ref, "application/json", `{}`, 400, "invalid", "status"},
		{"unknown assignee", "PATCH", "/api/v1/cases/" + ref, "application/json", `{"assignee":"nobody@example.org"}`, 400, "invalid", "assignee"},
		{"empty message", "POST", "/api/v1/cases/" + ref + "/messages", "application/json", `{"body":" "}`, 400, "invalid", "body"},
		{"bad limit", "GET", "/api/v1/cases?limit=0", "", "", 400, "invalid", "limit"},
		{"bad cursor", "GET", "/api/v1/cases?cursor=zzz", "", "", 400, "invalid", "cursor"},
		{"malformed query", "GET", "/api/v1/cases?cursor=%zz", "", "", 400, "invalid", "query: is not well formed"},
		{"semicolon in query", "GET", "/api/v1/audit?cursor=1;limit=2", "", "", 400, "invalid", "query: is not well formed"},
		{"bad metrics time", "GET", "/api/v1/metrics?from=last-week", "", "", 400, "invalid", "from"},
		{"bad audience", "POST", "/api/v1/tone/check", "application/json", `{"text":"hi","audience":"boss"}`, 400, "invalid", "audience"},
		{"tone check without text", "POST", "/api/v1/tone/check", "application/json", `{}`, 400, "invalid", "text: is required"},
		{"tone check of null", "POST", "/api/v1/tone/check", "application/json", `null`, 400, "invalid", "text: is required"},
		{"no such case", "GET", "/api/v1/cases/AL-999999", "", "", 404, "not_found", "AL-999999"},
		{"bad ref", "GET", "/api/v1/cases/nope", "", "", 404, "not_found", "nope"},
		{"no such route", "GET", "/api/v1/nothing", "", "", 404, "not_found", "/api/v1/nothing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, w.URL+tc.path, strings.NewReader(tc.body))
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			req.Header.Set("Authorization", "Bearer "+w.tokens["responder"])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var out errorBody
			raw, _ := io.ReadAll(resp.Body)
			_ = json.Unmarshal(raw, &out)
			if resp.StatusCode != tc.status || out.Error.Code != tc.code || !strings.Contains(out.Error.Message, tc.mention) {
				t.Fatalf("got %d %s, want %d %s mentioning %q", resp.StatusCode, raw, tc.status, tc.code, tc.mention)
			}
			if tc.name != "no such route" {
				checkOpenAPI(t, req, resp.StatusCode, resp.Header, raw)
			}
		})
	}
	// Nothing refused was stored: only the two cases exist, unchanged.
	_, list := w.call(t, "lead", "GET", "/api/v1/cases", nil)
	if n := len(list["items"].([]any)); n != 2 {
		t.Fatalf("%d cases after refused input, want 2", n)
	}
	if _, c := w.call(t, "lead", "GET", "/api/v1/cases/"+done, nil); c["status"] != "resolved" {
		t.Fatalf("refused transition changed the case: %v", c)
	}
}

// TestAPIWrongMethod: a method a routed path does not take is 405 with
// Allow naming the ones it does (404 said the path did not exist); a path
// no route takes is still 404. Nothing changes.
func TestAPIWrongMethod(t *testing.T) {
	w := newAPIWorld(t)
	ref := w.newCase(t, false)
	for _, tc := range []struct{ method, path, allow string }{
		{"DELETE", "/api/v1/cases", "GET, POST"},
		{"PUT", "/api/v1/cases/" + ref, "GET, PATCH"},
		{"DELETE", "/api/v1/cases/" + ref, "GET, PATCH"},
		{"GET", "/api/v1/tone/check", "POST"},
		{"POST", "/api/v1/retention", "GET, PUT"},
		{"", "/api/v1/nothing", ""},
	} {
		method := cmp.Or(tc.method, "GET")
		req, _ := http.NewRequest(method, w.URL+tc.path, strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+w.tokens["admin"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var out errorBody
		_ = json.Unmarshal(raw, &out)
		want, code := http.StatusMethodNotAllowed, ally.EMETHOD
		if tc.allow == "" {
			want, code = http.StatusNotFound, ally.ENOTFOUND
		}
		if resp.StatusCode != want || out.Error.Code != code || resp.Header.Get("Allow") != tc.allow ||
			(tc.allow != "" && !strings.Contains(out.Error.Message, strings.ReplaceAll(tc.allow, ", ", " or "))) {
			t.Errorf("%s %s: %d Allow %q %s; want %d %s Allow %q", method, tc.path, resp.StatusCode,
				resp.Header.Get("Allow"), raw, want, code, tc.allow)
		}
	}
	if _, c := w.call(t, "lead", "GET", "/api/v1/cases/"+ref, nil); c["ref"] != ref {
		t.Fatalf("the case is gone: %v", c)
	}
}

func TestAPIPaginationAndFilters(t *testing.T) {
	w := newAPIWorld(t)
	for range 5 {
		w.newCase(t, false)
	}
	seen := map[string]bool{}
	path := "/api/v1/cases?limit=2"
	for pages := 0; ; pages++ {
		st, body := w.call(t, "responder", "GET", path, nil)
		if st != 200 || pages > 5 {
			t.Fatalf("%d %v", st, body)
		}
		for _, it := range body["items"].([]any) {
			seen[it.(map[string]any)["ref"].(string)] = true
		}
		next, _ := body["next_cursor"].(string)
		if next == "" {
			break
		}
		path = "/api/v1/cases?limit=2&cursor=" + next
	}
	if len(seen) != 5 {
		t.Fatalf("paged through %d cases, want 5", len(seen))
	}
	_, body := w.call(t, "responder", "GET", "/api/v1/cases?status=new,acknowledged&kind=clicked_link&severity=medium&assignee=none", nil)
	if n := len(body["items"].([]any)); n != 5 {
		t.Fatalf("filtered list has %d, want 5", n)
	}
}

// TestAPIListsShareLimit: every list that pages takes ?limit= the same way
// (1 to ally.MaxLimit, else 400 naming limit), and a valid one sizes the page.
func TestAPIListsShareLimit(t *testing.T) {
	w := newAPIWorld(t)
	w.newCase(t, false)
	w.newCase(t, false)
	lists := []struct {
		path string
		many bool // the world holds more than one item, so limit=1 leaves a next page
	}{
		{"/api/v1/cases", true}, {"/api/v1/audit", true}, {"/api/v1/users", true},
		{"/api/v1/lessons", false}, {"/api/v1/campaigns", false},
	}
	for _, l := range lists {
		for _, bad := range []string{"0", "-1", "x", "100000", strconv.Itoa(ally.MaxLimit + 1)} {
			st, body := w.call(t, "admin", "GET", l.path+"?limit="+bad, nil)
			if msg := fmt.Sprint(body["error"]); st != 400 || !strings.Contains(msg, "limit: must be a whole number from 1 to 200") {
				t.Errorf("%s?limit=%s: %d %v, want 400 naming limit", l.path, bad, st, body)
			}
		}
		st, body := w.call(t, "admin", "GET", l.path+"?limit=1", nil)
		items, _ := body["items"].([]any)
		if st != 200 || len(items) > 1 || (l.many && (len(items) != 1 || body["next_cursor"] == nil)) {
			t.Errorf("%s?limit=1: %d, %d items, next_cursor %v", l.path, st, len(items), body["next_cursor"])
		}
		if st, _ := w.call(t, "admin", "GET", l.path+"?limit=200", nil); st != 200 {
			t.Errorf("%s?limit=200: %d", l.path, st)
		}
	}
}

func TestCookieAuthNeedsCSRF(t *testing.T) {
	w := newAPIWorld(t)
	u, _ := w.DB.FindUserByEmail(ally.NewOperatorContext(context.Background()), "reporterA@example.org")
	sess, err := w.DB.CreateSession(context.Background(), u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	post := func(csrf string) int {
		req, _ := http.NewRequest("POST", w.URL+"/api/v1/cases", strings.NewReader(`{"kind":"other"}`))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(&http.Cookie{Name: SessionCookie, Value: sess.Secret})
		if csrf != "" {
			req.Header.Set(CSRFHeader, csrf)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := post(""); st != 403 {
		t.Fatalf("write without CSRF token: %d", st)
	}
	if st := post("wrong"); st != 403 {
		t.Fatalf("write with wrong CSRF token: %d", st)
	}
	if st := post(sess.CSRF); st != 201 {
		t.Fatalf("write with CSRF token: %d", st)
	}
}

func TestSecurityHeadersAndNoLeaks(t *testing.T) {
	w := newAPIWorld(t)
	resp, err := http.Get(w.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for h, want := range map[string]string{"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"} {
		if !strings.Contains(resp.Header.Get(h), want) {
			t.Errorf("%s = %q, want it to contain %q", h, resp.Header.Get(h), want)
		}
	}
	// A bad token is refused without detail.
	req, _ := http.NewRequest("GET", w.URL+"/api/v1/cases", nil)
	req.Header.Set("Authorization", "Bearer ' OR 1=1 --")
	resp, _ = http.DefaultClient.Do(req)
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 401 || strings.Contains(strings.ToLower(string(raw)), "sql") {
		t.Fatalf("%d %s", resp.StatusCode, raw)
	}
}

func TestPrometheusMetrics(t *testing.T) {
	w := newAPIWorld(t)
	w.newCase(t, false)
	for role, want := range map[string]int{"anonymous": 401, "reporterA": 403, "responder": 403, "lead": 200} {
		if res, _ := w.get(t, role, "/metrics"); res.StatusCode != want {
			t.Errorf("/metrics as %s: %d, want %d", role, res.StatusCode, want)
		}
	}
	_, raw := w.get(t, "admin", "/metrics")
	for _, want := range []string{`ally_http_requests_total{code="201",route="POST /api/v1/cases"} 1`,
		`ally_cases_reported_total{kind="clicked_link"} 1`, `ally_cases_reported_total{kind="lost_device"} 0`,
		"ally_time_to_acknowledge_seconds_count 0", `ally_mail_reports_total{outcome="simulation"} 0`,
		"ally_http_request_duration_seconds_bucket", "go_goroutines"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
