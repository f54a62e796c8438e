package web

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// logBuffer is a log destination safe to read while the server writes.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}

// logLines decodes the JSON log lines in buf.
func logLines(t *testing.T, buf *logBuffer) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %s", l)
		}
		lines = append(lines, m)
	}
	return lines
}

// TestSignInRedirectIsNotARefusal: opening / without signing in is the
// normal way in and logs at debug only; a real refusal (a reporter asking
// for the metrics) stays visible at info.
func TestSignInRedirectIsNotARefusal(t *testing.T) {
	db := storetest.Open(t, "sqlite", store.Options{})
	var buf logBuffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := New(Config{Services: Services{Cases: db, Users: db, Audit: db, Tasks: db, Metrics: db, Attachments: db,
		Insights: db, Practice: db}, Playbooks: db.Playbooks(), Log: log})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	ts := &testServer{URL: hs.URL, DB: db, Srv: srv}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(hs.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("/ without signing in: %d", res.StatusCode)
	}
	var sentToSignIn bool
	for _, l := range logLines(t, &buf) {
		if l["level"] != "DEBUG" {
			t.Errorf("opening / without signing in logged at %v: %v", l["level"], l)
		}
		sentToSignIn = sentToSignIn || l["msg"] == "sent to the sign-in page"
	}
	if !sentToSignIn {
		t.Error("the redirect to sign in is not in the debug log")
	}
	buf.Reset()
	req, _ := http.NewRequest("GET", hs.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+ts.token(t, "rita@example.com", ally.RoleReporter))
	if res, err = client.Do(req); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var refused bool
	for _, l := range logLines(t, &buf) {
		refused = refused || (l["msg"] == "request refused" && l["level"] == "INFO" && l["code"] == ally.EFORBIDDEN)
	}
	if res.StatusCode != http.StatusForbidden || !refused {
		t.Errorf("a reporter asking for /metrics: %d, refusal logged: %v\n%s", res.StatusCode, refused, buf.String())
	}
}
