package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// signalWorld is a server with signals, webhooks and mail on, a bearer
// token per role and one for the "siem" integration.
type signalWorld struct {
	*apiWorld
	db *store.DB
}

func newSignalWorld(t testing.TB) *signalWorld {
	t.Helper()
	db := storetest.Open(t, "sqlite", store.Options{Mail: mailtext.Default(), PublicURL: "https://ally.test"})
	srv := New(Config{Services: Services{Cases: db, Users: db, Audit: db, Tasks: db, Metrics: db, Attachments: db,
		Insights: db, Practice: db, Outbox: db, Signals: db, Webhooks: db}, Playbooks: db.Playbooks(), Ready: db.Ping})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	w := &signalWorld{apiWorld: &apiWorld{testServer: &testServer{URL: hs.URL, DB: db, Srv: srv},
		tokens: map[string]string{}, clock: &testClock{now: time.Now()}}, db: db}
	srv.Now = w.clock.Now
	for role, r := range map[string]ally.Role{"reporterA": ally.RoleReporter, "responder": ally.RoleResponder,
		"lead": ally.RoleLead, "admin": ally.RoleAdmin} {
		w.tokens[role] = w.token(t, role+"@example.org", r)
	}
	tok, err := db.IssueIntegrationToken(ally.NewOperatorContext(context.Background()), "siem", 0)
	if err != nil {
		t.Fatal(err)
	}
	w.tokens["siem"] = tok
	return w
}

func signalBody(email, key string) map[string]any {
	return map[string]any{"source": "okta", "type": "new_place_sign_in", "subject_email": email,
		"summary": "a sign-in to your account from Lisbon", "severity": "high", "dedup_key": key}
}

var signalLinkRE = regexp.MustCompile(`https://ally\.test(/signals/\d+/[A-Za-z0-9_-]+)`)

// lastLink is the answer link in the newest question mailed.
func (w *signalWorld) lastLink(t *testing.T) string {
	t.Helper()
	page, err := w.db.FindOutbox(ally.NewOperatorContext(context.Background()), ally.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range page.Items {
		if m.Kind == mailtext.SignalAsk {
			if l := signalLinkRE.FindStringSubmatch(m.Body); l != nil {
				return l[1]
			}
		}
	}
	t.Fatal("no question was mailed")
	return ""
}

func TestAPISignals(t *testing.T) {
	w := newSignalWorld(t)
	st, body := w.call(t, "siem", "GET", "/api/v1/signal-types", nil)
	if st != 200 || len(body["items"].([]any)) != 6 {
		t.Fatalf("types: %d %v", st, body)
	}
	st, sig := w.call(t, "siem", "POST", "/api/v1/signals", signalBody("reporterA@example.org", "okta-1"))
	if st != 201 || sig["status"] != "asking" {
		t.Fatalf("send: %d %v", st, sig)
	}
	st, dup := w.call(t, "siem", "POST", "/api/v1/signals", signalBody("reporterA@example.org", "okta-1"))
	if st != 200 || dup["duplicate"] != true || dup["id"] != sig["id"] {
		t.Fatalf("duplicate: %d %v", st, dup)
	}
	path := "/api/v1/signals/" + jsonID(sig["id"])
	for role, want := range map[string]int{"siem": 200, "responder": 200, "reporterA": 404, "": 401} {
		if st, body := w.call(t, role, "GET", path, nil); st != want {
			t.Errorf("GET signal as %q: %d %v, want %d", role, st, body, want)
		}
	}
	// Only integrations send; nothing is stored for anyone else.
	for _, role := range []string{"reporterA", "responder", "admin"} {
		if st, _ := w.call(t, role, "POST", "/api/v1/signals", signalBody("reporterA@example.org", "")); st != 403 {
			t.Errorf("%s sent a signal: %d", role, st)
		}
	}
	// The integration can do nothing else.
	if st, _ := w.call(t, "siem", "GET", "/api/v1/cases", nil); st != 200 {
		t.Errorf("siem lists cases: %d", st)
	} else if _, body := w.call(t, "siem", "GET", "/api/v1/cases", nil); len(body["items"].([]any)) != 0 {
		t.Errorf("siem sees cases: %v", body)
	}
	if st, _ := w.call(t, "siem", "POST", "/api/v1/cases", map[string]any{"kind": "other"}); st != 403 {
		t.Errorf("siem reported a case: %d", st)
	}
	// The person answers by the link: GET changes nothing, POST records it once.
	link := w.lastLink(t)
	for range 2 {
		code, page := anonFetch(t, "GET", w.URL+link, nil)
		if code != 200 || !strings.Contains(page, "Yes, that was me") || !strings.Contains(page, "from Lisbon") {
			t.Fatalf("answer page: %d\n%s", code, page)
		}
	}
	if _, body := w.call(t, "siem", "GET", path, nil); body["status"] != "asking" {
		t.Fatalf("a GET answered: %v", body)
	}
	code, page := anonFetch(t, "POST", w.URL+link, url.Values{"answer": {"no"}})
	if code != 200 || !strings.Contains(page, "Thank you for telling us") {
		t.Fatalf("answer no: %d\n%s", code, page)
	}
	_, body = w.call(t, "siem", "GET", path, nil)
	if body["status"] != "escalated" || !strings.HasPrefix(str(body["case_ref"]), "AL-") {
		t.Fatalf("after no: %v", body)
	}
	code, page = anonFetch(t, "POST", w.URL+link, url.Values{"answer": {"yes"}})
	if code != 200 || !strings.Contains(page, "The security team is looking at this now") {
		t.Fatalf("second answer: %d\n%s", code, page)
	}
	if code, _ := anonFetch(t, "GET", w.URL+link+"x", nil); code != 404 {
		t.Fatalf("forged link: %d", code)
	}
	// The figures: one received, answered, escalated and real.
	w.clock.set(time.Now().Add(time.Minute))
	if st, _ := w.call(t, "responder", "GET", "/api/v1/signal-stats", nil); st != 403 {
		t.Fatalf("responder read signal figures: %d", st)
	}
	st, figs := w.call(t, "lead", "GET", "/api/v1/signal-stats?days=7", nil)
	if st != 200 || figs["received"] != 1.0 || figs["answered_share"] != 1.0 || figs["escalated"] != 1.0 ||
		figs["escalations_real"] != 1.0 || figs["median_answer_seconds"] == nil {
		t.Fatalf("figures: %d %v", st, figs)
	}
	if st, _ := w.call(t, "lead", "GET", "/api/v1/signal-stats?days=0", nil); st != 400 {
		t.Fatalf("days=0: %d", st)
	}
	if code, page := getAs(t, w.URL+"/dashboard", w.tokens["lead"]); code != 200 ||
		!strings.Contains(page, "Was this you?") || !strings.Contains(page, "Cases that were real") {
		t.Errorf("dashboard: %d, no signal figures", code)
	}
	code, metrics := getAs(t, w.URL+"/metrics", w.tokens["lead"])
	for _, want := range []string{`ally_signals{outcome="escalated"} 1`, `ally_webhook_deliveries{status="queued"} 0`} {
		if code != 200 || !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func str(v any) string { s, _ := v.(string); return s }

func jsonID(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// anonFetch sends a form (or nothing) without signing in.
func anonFetch(t *testing.T, method, u string, form url.Values) (int, string) {
	t.Helper()
	var rd io.Reader
	if form != nil {
		rd = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, u, rd)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestAPISignalBadInput: each bad signal is refused with a clear message
// and stores nothing.
func TestAPISignalBadInput(t *testing.T) {
	w := newSignalWorld(t)
	cases := []struct {
		body any
		code int
		msg  string
	}{
		{map[string]any{"source": "okta", "type": "bad_vibes", "subject_email": "a@example.org", "summary": "x"}, 400,
			"new_place_sign_in"},
		{map[string]any{"source": "okta", "type": "mfa_approved", "subject_email": "not mail", "summary": "x"}, 400,
			"subject_email"},
		{map[string]any{"source": "okta", "type": "mfa_approved", "subject_email": "a@example.org"}, 400, "summary"},
		{map[string]any{"source": "okta", "type": "mfa_approved", "subject_email": "a@example.org", "summary": "x",
			"timeout": -1}, 400, "timeout"},
		{map[string]any{"source": "okta", "type": "mfa_approved", "subject_email": "a@example.org", "summary": "x",
			"colour": "red"}, 400, "colour"},
		{map[string]any{"source": "okta", "type": "mfa_approved", "subject_email": "a@example.org", "summary": "x",
			"details": strings.Repeat("x", ally.MaxSignalBody)}, 413, "KiB"},
	}
	for _, c := range cases {
		st, body := w.call(t, "siem", "POST", "/api/v1/signals", c.body)
		e, _ := body["error"].(map[string]any)
		if st != c.code || !strings.Contains(str(e["message"]), c.msg) {
			t.Errorf("%.80v: %d %v, want %d naming %q", c.body, st, body, c.code, c.msg)
		}
	}
	req, _ := http.NewRequest("POST", w.URL+"/api/v1/signals", bytes.NewReader([]byte("source=okta")))
	req.Header.Set("Authorization", "Bearer "+w.tokens["siem"])
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 415 {
		t.Fatalf("form body: %v %v", resp, err)
	}
	if _, body := w.call(t, "responder", "GET", "/api/v1/signals/1", nil); body["error"] == nil {
		t.Fatalf("a bad signal was stored: %v", body)
	}
}

func TestAPIWebhooks(t *testing.T) {
	w := newSignalWorld(t)
	hook := map[string]any{"url": "https://hooks.example.org/in", "events": []string{"case.created", "signal.escalated"}}
	for _, role := range []string{"lead", "responder", "siem"} {
		if st, _ := w.call(t, role, "POST", "/api/v1/webhooks", hook); st != 403 {
			t.Errorf("%s made a webhook: %d", role, st)
		}
	}
	st, made := w.call(t, "admin", "POST", "/api/v1/webhooks", hook)
	if st != 201 || !strings.HasPrefix(str(made["secret"]), "whsec_") {
		t.Fatalf("create: %d %v", st, made)
	}
	id := jsonID(made["id"])
	for _, bad := range []map[string]any{{"url": "ftp://x", "events": []string{"case.created"}},
		{"url": "https://x.example", "events": []string{"case.exploded"}}, {"url": "https://x.example"},
		{"url": "https://x.example", "events": []string{"case.created"}, "format": "irc"}} {
		if st, body := w.call(t, "admin", "POST", "/api/v1/webhooks", bad); st != 400 {
			t.Errorf("%v: %d %v", bad, st, body)
		}
	}
	if st, d := w.call(t, "admin", "POST", "/api/v1/webhooks/"+id+"/test", nil); st != 200 || d["event"] != "webhook.test" {
		t.Fatalf("test: %d %v", st, d)
	}
	w.newCase(t, false)
	st, log := w.call(t, "admin", "GET", "/api/v1/webhooks/"+id+"/deliveries?limit=10", nil)
	if items := log["items"].([]any); st != 200 || len(items) != 2 || items[0].(map[string]any)["event"] != "case.created" {
		t.Fatalf("deliveries: %d %v", st, log)
	}
	// Paged one at a time by the cursor, the log is the same two, and the
	// last page says so.
	st, first := w.call(t, "admin", "GET", "/api/v1/webhooks/"+id+"/deliveries?limit=1", nil)
	cursor, _ := first["next_cursor"].(string)
	if st != 200 || len(first["items"].([]any)) != 1 || cursor == "" {
		t.Fatalf("first page of deliveries: %d %v", st, first)
	}
	st, second := w.call(t, "admin", "GET", "/api/v1/webhooks/"+id+"/deliveries?limit=1&cursor="+cursor, nil)
	if items := second["items"].([]any); st != 200 || len(items) != 1 || second["next_cursor"] != nil ||
		items[0].(map[string]any)["event"] != "webhook.test" {
		t.Fatalf("second page of deliveries: %d %v", st, second)
	}
	st, rot := w.call(t, "admin", "POST", "/api/v1/webhooks/"+id+"/rotate?overlap=3600", nil)
	if st != 200 || rot["secret"] == made["secret"] || !strings.HasPrefix(str(rot["secret"]), "whsec_") {
		t.Fatalf("rotate: %d %v", st, rot)
	}
	st, list := w.call(t, "admin", "GET", "/api/v1/webhooks", nil)
	if items := list["items"].([]any); st != 200 || len(items) != 1 || items[0].(map[string]any)["secret"] != nil ||
		items[0].(map[string]any)["queued"] != 2.0 {
		t.Fatalf("list: %d %v", st, list)
	}
	if st, _ := w.call(t, "admin", "DELETE", "/api/v1/webhooks/"+id, nil); st != 204 {
		t.Fatalf("delete: %d", st)
	}
	if st, _ := w.call(t, "admin", "GET", "/api/v1/webhooks/"+id+"/deliveries", nil); st != 404 {
		t.Fatalf("deliveries of a deleted webhook: %d", st)
	}
}

// FuzzParseSignal: no input panics, and whatever is accepted is a valid
// signal that survives a round trip.
func FuzzParseSignal(f *testing.F) {
	seed, _ := json.Marshal(signalBody("sam@example.org", "k"))
	f.Add(seed)
	f.Add([]byte(`{"source":"x","type":"y","subject_email":"a@b.c","summary":"s","timeout":5}`))
	f.Add([]byte(`{"occurred_at":"2026-01-01T00:00:00Z"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := parseSignal(b)
		if err != nil {
			if ally.ErrorCode(err) == ally.EINTERNAL {
				t.Fatalf("internal error for %q: %v", b, err)
			}
			return
		}
		again, _ := json.Marshal(n)
		m, err := parseSignal(again)
		if err != nil || m.SubjectEmail != n.SubjectEmail || m.Type != n.Type {
			t.Fatalf("round trip of %q: %+v, %v", b, m, err)
		}
	})
}

// TestWebhookPage: admins add, test, rotate and remove subscriptions on
// /admin/webhooks (the secret shown once) and read the delivery log;
// nobody else may.
func TestWebhookPage(t *testing.T) {
	w := newSignalWorld(t)
	if code, _ := getAs(t, w.URL+"/admin/webhooks", w.tokens["lead"]); code != 403 {
		t.Fatalf("lead: %d", code)
	}
	post := func(path string, form url.Values) (int, string) {
		req, _ := http.NewRequest("POST", w.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+w.tokens["admin"])
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, page := post("/admin/webhooks", url.Values{"url": {"ftp://nope"}, "format": {"standard"},
		"events": {"case.created"}})
	if code != 400 || !strings.Contains(page, "is not an http or https address") || !strings.Contains(page,
		`value="case.created" checked`) {
		t.Fatalf("bad url: %d", code)
	}
	code, page = post("/admin/webhooks", url.Values{"url": {"https://hooks.example.org/a"}, "format": {"slack"},
		"events": {"case.created", "signal.escalated"}})
	if code != 200 || !strings.Contains(page, "Subscription 1 (https://hooks.example.org/a) is saved") {
		t.Fatalf("add: %d\n%s", code, page)
	}
	if code, _ := post("/admin/webhooks/1/test", nil); code != 303 {
		t.Fatalf("test: %d", code)
	}
	if code, page := getAs(t, w.URL+"/admin/webhooks/1", w.tokens["admin"]); code != 200 ||
		!strings.Contains(page, "webhook.test") {
		t.Fatalf("log: %d", code)
	}
	// A bad cursor is said (it used to show the newest page); an old
	// ?before= link and the API's ?cursor= both still page.
	for q, want := range map[string]int{"before=x": 400, "cursor=-3": 400, "before=99": 200, "cursor=99": 200} {
		if code, page := getAs(t, w.URL+"/admin/webhooks/1?"+q, w.tokens["admin"]); code != want ||
			want == 400 && !strings.Contains(page, "link to older deliveries is not right") {
			t.Errorf("/admin/webhooks/1?%s: %d, want %d", q, code, want)
		}
	}
	if code, _ := post("/admin/webhooks/1/explode", nil); code != 404 {
		t.Fatalf("unknown action: %d", code)
	}
	if code, _ := post("/admin/webhooks/1/remove", nil); code != 303 {
		t.Fatalf("remove: %d", code)
	}
	if code, page := getAs(t, w.URL+"/admin/webhooks", w.tokens["admin"]); code != 200 ||
		!strings.Contains(page, "No subscriptions yet") {
		t.Fatalf("after remove: %d", code)
	}
}
