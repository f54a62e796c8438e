package main

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
)

func TestMailTestSaysWhatIsWrong(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no relay", []string{"mail", "test"}, 2, "--smtp-relay (or ALLY_SMTP_RELAY) is not set"},
		{"bad scheme", []string{"mail", "test", "--smtp-relay", "smtps://mail.example.org:465"}, 2, "must start with smtp://"},
		{"bad tls", []string{"mail", "test", "--smtp-relay", "smtp://mail.example.org:587?tls=yes"}, 2, "tls=yes is not a TLS mode"},
		{"bad from", []string{"mail", "test", "--smtp-relay", "smtp://" + closed + "?tls=none", "--to", "a@b.c",
			"--report-address", "report"}, 2, "--report-address: \"report\" is not an email address"},
		{"nobody there", []string{"mail", "test", "--smtp-relay", "smtp://" + closed + "?tls=none"}, 1, "connection refused"},
	}
	for _, c := range cases {
		code, _, errOut := runCmd(t, "", c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d saying %q", c.name, code, errOut, c.code, c.want)
		}
	}
}

func TestMailOutboxListsAndRetries(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "mail.db")
	queueAcknowledgements(t, dbPath, 1)

	code, out, errOut := runCmd(t, "", "mail", "outbox", "--db", dbPath)
	if code != 0 || !strings.Contains(out, "Queued 1 (oldest") || !strings.Contains(out, "acknowledge") ||
		!strings.Contains(out, "sam@example.org") {
		t.Fatalf("list: exit %d, %q %q", code, out, errOut)
	}
	code, out, _ = runCmd(t, "", "mail", "outbox", "--db", dbPath, "--format", "json")
	var page ally.OutboxPage
	if code != 0 || json.Unmarshal([]byte(out), &page) != nil || len(page.Items) != 1 || page.Stats.Queued != 1 {
		t.Fatalf("json: exit %d, %q", code, out)
	}
	bad := [][]string{
		{"mail", "outbox", "--db", dbPath, "--status", "lost"},
		{"mail", "outbox", "--db", dbPath, "--retry", "99"},
		{"mail", "outbox", "--db", dbPath, "--format", "xml"},
	}
	wants := []string{"is not an outbox status", "No failed message 99", "--format \"xml\""}
	for i, args := range bad {
		if code, _, errOut := runCmd(t, "", args...); code != 2 || !strings.Contains(errOut, wants[i]) {
			t.Errorf("%v: exit %d, %q; want 2 saying %q", args, code, errOut, wants[i])
		}
	}
	if code, out, _ := runCmd(t, "", "mail", "outbox", "--db", dbPath, "--retry-failed"); code != 0 ||
		!strings.Contains(out, "Queued 0 messages again") {
		t.Errorf("retry-failed: %d %q", code, out)
	}
}

func TestPlaybookLintChecksMailTemplates(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runCmd(t, "", "playbook", "init", dir); code != 0 {
		t.Fatalf("init: %d %s", code, errOut)
	}
	if _, err := os.Stat(mailtext.Path(dir)); err != nil {
		t.Fatalf("init wrote no mail templates: %v", err)
	}
	if code, out, _ := runCmd(t, "", "playbook", "lint", dir); code != 0 {
		t.Fatalf("lint of fresh files: %d %s", code, out)
	}
	blaming := "resolve:\n  audience: reporter\n  subject: \"{ref}\"\n  body: \"Why did you click the link? Be more careful.\"\n"
	if err := os.WriteFile(mailtext.Path(dir), []byte(blaming), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCmd(t, "", "playbook", "lint", dir)
	if code != 1 || !strings.Contains(out, "resolve.body") || !strings.Contains(out, "blame") {
		t.Fatalf("lint of a blaming template: exit %d, %q", code, out)
	}
}

func TestServeMailFlagsAreChecked(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--smtp-relay", "smtp://127.0.0.1:25?tls=none"}, "--smtp-relay needs --report-address"},
		{[]string{"--report-address", "report@example.org"}, "--report-address needs --public-url"},
		{[]string{"--report-address", "nope", "--public-url", "https://x"}, "is not an email address"},
		{[]string{"--report-address", "r@x.org", "--public-url", "https://x", "--smtp-relay", "ftp://x:1"},
			"--smtp-relay: the relay URL must start with smtp://"},
	}
	for _, c := range cases {
		args := append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, c.args...)
		if code, _, errOut := runCmd(t, "", args...); code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 saying %q", c.args, code, errOut, c.want)
		}
	}
}
