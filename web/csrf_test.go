package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

// spyBody is a request body that records whether anyone read it.
type spyBody struct {
	io.Reader
	read bool
}

func (b *spyBody) Read(p []byte) (int, error) {
	b.read = true
	return b.Reader.Read(p)
}

// ritasSession makes the reporter Rita and a browser session for her.
func ritasSession(t *testing.T, ts *testServer) *ally.Session {
	t.Helper()
	ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	u, _ := ts.DB.FindUserByEmail(ally.NewOperatorContext(context.Background()), "rita@example.com")
	sess, err := ts.DB.CreateSession(context.Background(), u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

// TestCrossOriginWriteRefusedBeforeBody sends a signed-in write from
// another site, once by Sec-Fetch-Site and once by Origin: both are refused
// and the body is never read.
func TestCrossOriginWriteRefusedBeforeBody(t *testing.T) {
	ts := newTestServer(t)
	sess := ritasSession(t, ts)
	for name, set := range map[string][2]string{
		"Sec-Fetch-Site": {"Sec-Fetch-Site", "cross-site"},
		"Origin":         {"Origin", "https://evil.example"},
	} {
		body := &spyBody{Reader: strings.NewReader("kind=other&csrf_token=" + sess.CSRF)}
		req := httptest.NewRequest(http.MethodPost, "http://ally.example/report", body)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(set[0], set[1])
		req.AddCookie(&http.Cookie{Name: SessionCookie, Value: sess.Secret})
		rec := httptest.NewRecorder()
		ts.Srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "another site") {
			t.Errorf("%s: cross-origin write answered %d", name, rec.Code)
		}
		if body.read {
			t.Errorf("%s: the body of a cross-origin write was read", name)
		}
	}
	if page, err := ts.DB.FindCases(asUser(t, ts, "rita@example.com"), ally.CaseFilter{}); err != nil || len(page.Items) != 0 {
		t.Errorf("a cross-origin write made cases: %v", err)
	}
}

// TestFormBodyLimit: a form larger than the limit of its route is refused
// as too large, not read whole, and changes nothing.
func TestFormBodyLimit(t *testing.T) {
	ts := newTestServer(t)
	pc := newPageClient(t, ts)
	pc.signIn("rita@example.com", ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance"))
	pc.get("/practice")
	code, body, _ := pc.post("/lessons", map[string][]string{"title": {strings.Repeat("x", maxBody)}})
	if code != http.StatusRequestEntityTooLarge || !strings.Contains(body, "too much to send") {
		t.Errorf("oversized form: %d", code)
	}
}

// TestAPICookieWriteWithoutCSRFToken: an API write signed in with the
// session cookie but without the CSRF token is refused (403, nothing made)
// with words for the script that sent it (the header it lacks, or a bearer
// token), not the form's "Go back, reload the page".
func TestAPICookieWriteWithoutCSRFToken(t *testing.T) {
	ts := newTestServer(t)
	sess := ritasSession(t, ts)
	for _, token := range []string{"", "not-the-token"} {
		req := httptest.NewRequest(http.MethodPost, "http://ally.example/api/v1/cases", strings.NewReader(`{"kind":"other"}`))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set(CSRFHeader, token)
		}
		req.AddCookie(&http.Cookie{Name: SessionCookie, Value: sess.Secret})
		rec := httptest.NewRecorder()
		ts.Srv.ServeHTTP(rec, req)
		if body := rec.Body.String(); rec.Code != http.StatusForbidden || !strings.Contains(body, CSRFHeader+": is missing") ||
			!strings.Contains(body, "bearer token") || strings.Contains(body, "reload the page") {
			t.Errorf("token %q: %d %s", token, rec.Code, body)
		}
	}
	if page, err := ts.DB.FindCases(asUser(t, ts, "rita@example.com"), ally.CaseFilter{}); err != nil || len(page.Items) != 0 {
		t.Errorf("a refused write made cases: %v", err)
	}
}
