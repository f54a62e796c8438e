package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// writeStatement writes a quiet phishing note the default analysis misses
// into dir, varied by n.
func writeStatement(t *testing.T, dir string, n int) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("statement-%d.eml", n))
	raw := fmt.Sprintf("From: Accounts Team <accounts@harbourline-partners.com>\nTo: sam@example.org\n"+
		"Subject: Statement %d for your review\nMessage-ID: <%d@harbourline-partners.com>\n\n"+
		"Hello,\n\nThe quarterly statement %d for your team is ready. Review it and confirm the details here: "+
		"https://harbourline-partners.com/s/%d\n\nKind regards,\nAccounts Team\n", n, n, n, n)
	if err := os.WriteFile(path, []byte(raw), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMailLearnModelForget: ally mail learn teaches the database's model
// (each message once), ally analyze and ally mail eval use it with --db,
// ally mail model shows it, a corrupt row is reported and ignored, and
// ally mail forget resets it.
func TestMailLearnModelForget(t *testing.T) {
	tmp := t.TempDir()
	db := filepath.Join(tmp, "org.db")
	if code, _, errOut := runCmd(t, "", "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	if code, out, _ := runCmd(t, "", "mail", "model", "--db", db); code != 0 || !strings.Contains(out, "learned nothing") {
		t.Fatalf("empty model: %d %s", code, out)
	}
	writeStatement(t, filepath.Join(tmp, "phish"), 4471)
	next := writeStatement(t, filepath.Join(tmp, "new"), 4502)
	code, out, errOut := runCmd(t, "", "mail", "learn", "--phish", filepath.Join(tmp, "phish"),
		"--ham", evalDir+"heldout/benign", "--db", db)
	if code != 0 || !strings.Contains(out, "Learned 21 new messages, moved 0 to their new label, 0 already known") ||
		!strings.Contains(out, "Examples:     21 (1 phishing or spam, 20 safe)") {
		t.Fatalf("learn: exit %d\n%s%s", code, out, errOut)
	}
	if _, out, _ = runCmd(t, "", "mail", "learn", "--phish", filepath.Join(tmp, "phish"), "--db", db); !strings.Contains(
		out, "Learned 0 new messages, moved 0 to their new label, 1 already known") {
		t.Fatalf("learning again:\n%s", out)
	}
	if _, out, _ = runCmd(t, "", "analyze", next); strings.Contains(out, "org-like-phish") {
		t.Fatalf("analyze without --db used the model:\n%s", out)
	}
	if _, out, _ = runCmd(t, "", "analyze", next, "--db", db); !strings.Contains(out, "[high +35] org-like-phish") ||
		!strings.Contains(out, "Mail like this (same sender) was marked phishing by your team 1 time") {
		t.Fatalf("analyze --db:\n%s", out)
	}
	if _, out, _ = runCmd(t, "", "mail", "eval", "--phish", filepath.Join(tmp, "new"), "--db", db); !strings.Contains(
		out, "Detection:    1/1") {
		t.Fatalf("eval --db:\n%s", out)
	}
	if _, out, _ = runCmd(t, "", "mail", "model", "--db", db, "--top", "3"); !strings.Contains(out, "Toward phishing") ||
		!strings.Contains(out, "Last learned: ") || strings.Count(out, "\n  ") != 6 {
		t.Fatalf("model:\n%s", out)
	}

	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE mail_model SET data = x'00ff', version = version + 1"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if code, out, _ = runCmd(t, "", "mail", "model", "--db", db); code != 0 || !strings.Contains(out, "cannot be read") {
		t.Fatalf("corrupt model: %d %s", code, out)
	}
	code, out, errOut = runCmd(t, "", "analyze", next, "--db", db)
	if code != 0 || strings.Contains(out, "org-like-phish") || !strings.Contains(errOut, "using the default model") {
		t.Fatalf("analyze over a corrupt model: %d\n%s%s", code, out, errOut)
	}
	if code, out, _ = runCmd(t, "", "mail", "forget", "--db", db); code != 0 || !strings.Contains(out, "reset") {
		t.Fatalf("forget: %d %s", code, out)
	}
	if _, out, _ = runCmd(t, "", "mail", "model", "--db", db); !strings.Contains(out, "learned nothing") {
		t.Fatalf("after forget: %s", out)
	}
}

func TestMailLearnBadUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.db")
	for _, args := range [][]string{
		{"mail", "learn", "--phish", evalDir + "heldout/phish"},
		{"mail", "learn", "--db", db},
		{"mail", "learn", "--db", db, "--ham", "/nonexistent/folder"},
		{"mail", "learn", "stray", "--db", db},
		{"mail", "model"},
		{"mail", "model", "--db", db, "--top", "-1"},
		{"mail", "forget"},
		{"mail", "model", "--db", db},
	} {
		code, out, errOut := runCmd(t, "", args...)
		if code != 2 || out != "" || !strings.Contains(errOut, "ally:") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 with a message", args, code, out, errOut)
		}
	}
}

// TestMailLearnInformedWeighs: a model taught hundreds of decisions each
// way through ally mail learn, kept in a SQLite file, counts for more than
// one decision when it is sure: org-like-phish weighs over its catalogue
// 35, up to 1.5 times (one decision's weighs 35, TestMailLearnModelForget).
func TestMailLearnInformedWeighs(t *testing.T) {
	written := "../../mailscan/modelgen/written/"
	db := filepath.Join(t.TempDir(), "org.db")
	if code, _, errOut := runCmd(t, "", "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	if code, out, errOut := runCmd(t, "", "mail", "learn", "--phish", written+"phish", "--ham", written+"benign",
		"--db", db); code != 0 || !strings.Contains(out, "Learned 1045 new messages") {
		t.Fatalf("learn: exit %d\n%s%s", code, out, errOut)
	}
	_, out, _ := runCmd(t, "", "analyze", evalDir+"phish/001-cred-paypal.eml", "--db", db)
	m := regexp.MustCompile(`\[high \+(\d+)\] org-like-phish: Your team's decisions on \d+ reported emails`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("analyze --db:\n%s", out)
	}
	if w, _ := strconv.Atoi(m[1]); w <= 35 || w > 52 {
		t.Errorf("org-like-phish weighs %d, want 36 to 52", w)
	}
}
