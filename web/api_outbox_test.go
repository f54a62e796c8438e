package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// outboxServer is a server with mail on and a bearer token per role.
func outboxServer(t *testing.T) (string, map[ally.Role]string) {
	t.Helper()
	db := storetest.Open(t, "sqlite", store.Options{Mail: mailtext.Default(), PublicURL: "https://ally.test"})
	srv := New(Config{Services: Services{Cases: db, Users: db, Audit: db, Tasks: db, Metrics: db, Attachments: db,
		Insights: db, Practice: db, Outbox: db, Notify: db}, Playbooks: db.Playbooks(), Ready: db.Ping})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	tokens := map[ally.Role]string{}
	for _, r := range []ally.Role{ally.RoleReporter, ally.RoleResponder, ally.RoleLead, ally.RoleAdmin} {
		u, err := db.CreateUser(ally.NewOperatorContext(context.Background()), &ally.NewUser{Email: string(r) + "@example.org", Name: string(r),
			Role: r, Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
		if tokens[r], err = db.CreateToken(ally.NewOperatorContext(context.Background()), u.Email, "test"); err != nil {
			t.Fatal(err)
		}
		if r == ally.RoleReporter {
			if _, err := db.CreateCase(ally.NewContextWithUser(context.Background(), u),
				&ally.NewCase{Kind: ally.KindOther}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return hs.URL, tokens
}

func getAs(t *testing.T, url, token string) (int, string) {
	t.Helper()
	return requestAs(t, "GET", url, token, "")
}

// requestAs sends a request with token (if any) and a JSON body (if any).
func requestAs(t *testing.T, method, url, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestAPIOutboxForAdmins(t *testing.T) {
	url, tokens := outboxServer(t)
	for role, want := range map[ally.Role]int{"": 401, ally.RoleReporter: 403, ally.RoleResponder: 403,
		ally.RoleLead: 403, ally.RoleAdmin: 200} {
		if code, body := getAs(t, url+"/api/v1/outbox", tokens[role]); code != want {
			t.Errorf("%q: %d %s; want %d", role, code, body, want)
		}
	}
	code, body := getAs(t, url+"/api/v1/outbox?status=queued&limit=10", tokens[ally.RoleAdmin])
	var page struct {
		Items []map[string]any `json:"items"`
		Stats ally.OutboxStats `json:"stats"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &page) != nil || len(page.Items) != 1 || page.Stats.Queued != 1 {
		t.Fatalf("list: %d %s", code, body)
	}
	if m := page.Items[0]; m["kind"] != "acknowledge" || m["to"] != "reporter@example.org" || m["body"] != nil {
		t.Errorf("item %v", m)
	}
	for _, q := range []string{"status=lost", "limit=0", "cursor=zz"} {
		if code, body := getAs(t, url+"/api/v1/outbox?"+q, tokens[ally.RoleAdmin]); code != 400 ||
			!strings.Contains(body, `"invalid"`) {
			t.Errorf("%s: %d %s", q, code, body)
		}
	}
	_, metrics := getAs(t, url+"/metrics", tokens[ally.RoleAdmin])
	for _, want := range []string{`ally_outbox_messages{status="queued"} 1`, `ally_outbox_messages{status="failed"} 0`,
		"ally_outbox_oldest_queued_age_seconds "} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
