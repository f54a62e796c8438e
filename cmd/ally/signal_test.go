package main

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/web"
)

// TestSignalSendAndWebhooks: an integration token from the CLI sends a
// signal to a running server with "ally signal send"; a duplicate says so;
// bad input is refused with its field; webhooks are managed from the CLI.
func TestSignalSendAndWebhooks(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	if code, _, errs := runCmd(t, "", "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	if code, _, errs := runCmd(t, "", "user", "add", "--db", db, "--email", "sam@example.com", "--name", "Sam Lee",
		"--role", "reporter"); code != 0 {
		t.Fatalf("user add: %s", errs)
	}
	code, tok, errs := runCmd(t, "", "token", "create", "--db", db, "--integration", "okta")
	if code != 0 || !strings.HasPrefix(tok, "ally_") {
		t.Fatalf("integration token: %d %q %s", code, tok, errs)
	}
	tok = strings.TrimSpace(tok)
	if code, _, errs := runCmd(t, "", "token", "create", "--db", db); code != 2 || !strings.Contains(errs, "--integration") {
		t.Fatalf("token without email or integration: %d %s", code, errs)
	}
	d, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	srv := httptest.NewServer(web.New(web.Config{Services: web.Services{Cases: d, Users: d, Audit: d, Tasks: d,
		Metrics: d, Attachments: d, Insights: d, Practice: d, Signals: d, Webhooks: d}}))
	defer srv.Close()
	send := []string{"signal", "send", "--url", srv.URL, "--token", tok, "--source", "okta", "--type",
		"new_place_sign_in", "--subject", "sam@example.com", "--summary", "a sign-in from Lisbon", "--dedup-key", "e1"}
	if code, out, errs := runCmd(t, "", send...); code != 0 || out != "1 asking\n" {
		t.Fatalf("send: %d %q %s", code, out, errs)
	}
	if code, out, _ := runCmd(t, "", send...); code != 0 || out != "1 asking duplicate\n" {
		t.Fatalf("duplicate: %d %q", code, out)
	}
	bad := append(append([]string{}, send[:6]...), "--type", "bad_vibes", "--subject", "sam@example.com",
		"--summary", "x")
	if code, _, errs := runCmd(t, "", bad...); code != 2 || !strings.Contains(errs, "new_place_sign_in") {
		t.Fatalf("unknown type: %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, "", "signal", "send", "--url", srv.URL, "--token", tok, "--type", "x",
		"--subject", "not-mail", "--summary", "x"); code != 2 || !strings.Contains(errs, "--subject") {
		t.Fatalf("bad subject: %d %s", code, errs)
	}

	code, out, errs := runCmd(t, "", "webhook", "add", "--db", db, "--url", "https://hooks.example.org/x",
		"--events", "case.created,signal.escalated")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); code != 0 || len(lines) != 2 || lines[0] != "1" ||
		!strings.HasPrefix(lines[1], "whsec_") {
		t.Fatalf("webhook add: %d %q %s", code, out, errs)
	}
	if code, _, errs := runCmd(t, "", "webhook", "add", "--db", db, "--url", "https://x.example",
		"--events", "case.exploded"); code != 2 || !strings.Contains(errs, "case.exploded") {
		t.Fatalf("bad event: %d %s", code, errs)
	}
	if code, out, _ := runCmd(t, "", "webhook", "test", "--db", db, "1"); code != 0 || !strings.Contains(out, "Queued") {
		t.Fatalf("webhook test: %d %s", code, out)
	}
	if code, out, _ := runCmd(t, "", "webhook", "deliveries", "--db", db, "1"); code != 0 ||
		!strings.Contains(out, "webhook.test") {
		t.Fatalf("deliveries: %d %s", code, out)
	}
	if code, out, _ := runCmd(t, "", "webhook", "list", "--db", db); code != 0 ||
		!strings.Contains(out, "https://hooks.example.org/x") {
		t.Fatalf("list: %d %s", code, out)
	}
	if code, _, errs := runCmd(t, "", "webhook", "remove", "--db", db, "9"); code != 2 || !strings.Contains(errs, "No webhook 9") {
		t.Fatalf("remove missing: %d %s", code, errs)
	}
}

// TestPlaybookLintChecksSignalTypes: a signal type in DIR/signals is
// linted with the playbooks, wording included.
func TestPlaybookLintChecksSignalTypes(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "", "playbook", "init", dir); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	if err := os.MkdirAll(filepath.Join(dir, "signals"), 0o755); err != nil {
		t.Fatal(err)
	}
	bad := "id: odd\ntitle: Odd\nquestion: \"Why did you ignore the policy again?\"\nyes: Fine.\nno: Ok.\n" +
		"severity: high\nkind: other\n"
	if err := os.WriteFile(filepath.Join(dir, "signals", "odd.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCmd(t, "", "playbook", "lint", dir)
	if code != 1 || !strings.Contains(out, filepath.Join(dir, "signals", "odd.yaml")+": question:") {
		t.Fatalf("lint: %d\n%s", code, out)
	}
}
