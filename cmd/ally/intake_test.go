package main

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/intake/intaketest"
)

func TestMailTestIMAP(t *testing.T) {
	if code, _, errs := runCmd(t, "", "mail", "test", "--imap", ""); code != 2 || !strings.Contains(errs, "not set") {
		t.Errorf("no --imap: %d %q", code, errs)
	}
	if code, _, errs := runCmd(t, "", "mail", "test", "--imap", "pop3://a:b@h/INBOX"); code != 2 ||
		!strings.Contains(errs, "imap or imaps") {
		t.Errorf("bad scheme: %d %q", code, errs)
	}
	c := intaketest.StartDovecot(t)
	code, out, errs := runCmd(t, "", "mail", "test", "--imap", "imap://report:s3cret-pass@"+c.Addr+"/INBOX")
	if code != 0 || !strings.Contains(out, "signed in as report") || !strings.Contains(out, `"Processed" does not exist yet`) {
		t.Errorf("good settings: %d %q %q", code, out, errs)
	}
	code, out, _ = runCmd(t, "", "mail", "test", "--imap", "imap://report:wrong@"+c.Addr+"/INBOX")
	if code != 1 || !strings.Contains(out, "refused the sign-in for report") || strings.Contains(out, "wrong") {
		t.Errorf("wrong password: %d %q", code, out)
	}
	code, out, _ = runCmd(t, "", "mail", "test", "--imap", "imap://report:s3cret-pass@"+c.Addr+"/Nowhere")
	if code != 1 || !strings.Contains(out, `cannot open the folder "Nowhere"`) {
		t.Errorf("missing folder: %d %q", code, out)
	}
}

func TestServeIntakeFlags(t *testing.T) {
	for _, tt := range []struct{ args, want string }{
		{"--smtp-addr 127.0.0.1:0 --smtp-allow 10.0.0.0/33", "--smtp-allow"},
		{"--smtp-addr 127.0.0.1:0 --smtp-cert x.pem", "go together"},
		{"--smtp-addr 127.0.0.1:0 --smtp-max-mb 0", "at least 1"},
		{"--imap imap://nobody@localhost/INBOX", "password is missing"},
	} {
		dbArg := "--db=" + filepath.Join(t.TempDir(), "a.db")
		code, _, errs := runCmd(t, "", append([]string{"serve", "--addr", "127.0.0.1:0", dbArg}, strings.Fields(tt.args)...)...)
		if code != 2 || !strings.Contains(errs, tt.want) {
			t.Errorf("%s: code %d, %q", tt.args, code, errs)
		}
	}
}

// TestServeTakesReportsBySMTP wires the listener as ally serve does and
// sends it a report from someone in an allowed domain.
func TestServeTakesReportsBySMTP(t *testing.T) {
	dbf := dbFlags{dsn: filepath.Join(t.TempDir(), "smtp.db"), create: true}
	d, err := dbf.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rules := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(rules, []byte("- name: ours\n  header: X-Our-Sim\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := intakeFlags{smtpAddr: addr, smtpAllow: "127.0.0.1", smtpMaxMB: 10, domains: "corp.example", rules: rules}
	var out bytes.Buffer
	if err := f.start(ctx, d, slog.New(slog.DiscardHandler), &out); err != nil {
		t.Fatal(err)
	}
	msg := "From: Nia <nia@corp.example>\r\nSubject: odd\r\nMessage-ID: <s1@corp.example>\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n" +
		"From: x@evil.test\r\nSubject: pay now\r\nX-Our-Sim: 1\r\n\r\nPay\r\n--b--\r\n"
	if err := smtp.SendMail(addr, nil, "nia@corp.example", []string{"report@corp.example"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	counters, err := d.Counters(ally.NewOperatorContext(context.Background()))
	if err != nil || counters.MailByOutcome[string(ally.MailSimulation)] != 1 {
		t.Fatalf("the custom simulation rule did not count a practice report: %v %+v", err, counters)
	}
	if _, err := d.FindUserByEmail(ally.NewOperatorContext(context.Background()), "nia@corp.example"); err != nil {
		t.Errorf("no reporter account for an allowed domain: %v", err)
	}
}
