package main

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestServeAsksBySlack: ally serve with a bot token (from the environment)
// and --slack-api-url asks the person about a signal by Slack DM, with the
// answer link under --public-url.
func TestServeAsksBySlack(t *testing.T) {
	db := filepath.Join(t.TempDir(), "slack.db")
	if code, _, errs := runCmd(t, "", "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	if code, _, errs := runCmd(t, "", "user", "add", "--db", db, "--email", "sam@example.com", "--name", "Sam Lee",
		"--role", "reporter"); code != 0 {
		t.Fatalf("user add: %s", errs)
	}
	_, tok, errs := runCmd(t, "", "token", "create", "--db", db, "--integration", "okta")
	if tok = strings.TrimSpace(tok); tok == "" {
		t.Fatalf("integration token: %s", errs)
	}
	var mu sync.Mutex
	var texts []string
	slack := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer xoxb-serve-test" {
			_, _ = rw.Write([]byte(`{"ok":false,"error":"invalid_auth"}`))
			return
		}
		if strings.HasSuffix(r.URL.Path, "/users.lookupByEmail") && r.FormValue("email") == "sam@example.com" {
			_, _ = rw.Write([]byte(`{"ok":true,"user":{"id":"U0SAM"}}`))
			return
		}
		var p struct{ Channel, Text string }
		if strings.HasSuffix(r.URL.Path, "/chat.postMessage") && json.NewDecoder(r.Body).Decode(&p) == nil &&
			p.Channel == "U0SAM" {
			mu.Lock()
			texts = append(texts, p.Text)
			mu.Unlock()
			_, _ = rw.Write([]byte(`{"ok":true}`))
			return
		}
		_, _ = rw.Write([]byte(`{"ok":false,"error":"users_not_found"}`))
	}))
	defer slack.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	t.Setenv("ALLY_SLACK_BOT_TOKEN", "xoxb-serve-test")
	srv := startAlly(t, "serve", "--db", db, "--addr", addr, "--public-url", "https://ally.example.com",
		"--slack-api-url", slack.URL+"/api/")
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	waitFor(t, "the signal to be taken", func() bool {
		code, _, _ := runCmd(t, "", "signal", "send", "--url", "http://"+addr, "--token", tok, "--source", "okta",
			"--type", "new_place_sign_in", "--subject", "sam@example.com", "--summary", "a sign-in from Lisbon",
			"--dedup-key", "e1")
		return code == 0
	})
	waitFor(t, "the Slack DM", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(texts) > 0
	})
	mu.Lock()
	defer mu.Unlock()
	if len(texts) != 1 || !strings.Contains(texts[0], "<https://ally.example.com/signals/1/") ||
		!strings.Contains(texts[0], "Lisbon") {
		t.Fatalf("DMs %q", texts)
	}
}
