package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ally backup, restore and verify from the command line: a backup restores
// into a new file that verifies; a damaged file is refused before any
// database is made; a database holding data is left alone without --force;
// damage is found by verify and reported with exit code 1.
func TestBackupRestoreVerifyCommands(t *testing.T) {
	dir := t.TempDir()
	db, restored, file := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "a.backup")
	if code, _, errs := runCmd(t, "", "demo", "--db", db, "--cases", "200", "--days", "20"); code != 0 {
		t.Fatalf("demo: %d %s", code, errs)
	}
	if code, out, errs := runCmd(t, "", "backup", "--db", db, file); code != 0 || !strings.Contains(out, "Backed up") {
		t.Fatalf("backup: %d %s %s", code, out, errs)
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("the backup file: %v %v; want mode 0600", st, err)
	}
	if code, out, errs := runCmd(t, "", "restore", file, "--db", restored); code != 0 || !strings.Contains(out, "Restored") {
		t.Fatalf("restore: %d %s %s", code, out, errs)
	}
	if code, out, _ := runCmd(t, "", "verify", "--db", restored); code != 0 || !strings.Contains(out, "All is well") {
		t.Fatalf("verify after restore: %d %s", code, out)
	}
	if code, _, errs := runCmd(t, "", "restore", file, "--db", db); code != 2 || !strings.Contains(errs, "--force") {
		t.Fatalf("restore over data: %d %s", code, errs)
	}
	b, _ := os.ReadFile(file)
	cut := filepath.Join(dir, "cut.backup")
	os.WriteFile(cut, b[:len(b)/2], 0o600)
	fresh := filepath.Join(dir, "never.db")
	if code, _, errs := runCmd(t, "", "restore", cut, "--db", fresh); code != 2 || !strings.Contains(errs, "cannot be restored") {
		t.Fatalf("restore of a cut-off backup: %d %s", code, errs)
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Fatalf("a refused restore made a database: %v", err)
	}
	raw, err := sql.Open("sqlite", restored)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE case_counts SET n = n + 1"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	code, out, _ := runCmd(t, "", "verify", "--db", restored)
	if code != 1 || !strings.Contains(out, "counts: cases by status") || !strings.Contains(out, "problem(s) found") {
		t.Fatalf("verify of a damaged database: %d %s", code, out)
	}
	if code, out, _ := runCmd(t, "", "verify", "--db", restored, "--format", "json"); code != 1 ||
		!strings.Contains(out, `"ok": false`) {
		t.Fatalf("verify --format json: %d %s", code, out)
	}
	if code, _, errs := runCmd(t, "", "backup", "--db", db); code != 2 || !strings.Contains(errs, "name the backup file") {
		t.Fatalf("backup without a file: %d %s", code, errs)
	}
}

// ally person export prints a person's data as JSON; erase needs --yes,
// and afterwards the address is gone.
func TestPersonCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	if code, _, errs := runCmd(t, "", "demo", "--db", db, "--cases", "50", "--days", "10"); code != 0 {
		t.Fatalf("demo: %d %s", code, errs)
	}
	email := "sam.taylor@example.com"
	code, out, errs := runCmd(t, "", "person", "export", email, "--db", db)
	if code != 0 || !strings.Contains(out, `"reports"`) || !strings.Contains(out, email) {
		t.Fatalf("export: %d %.300s %s", code, out, errs)
	}
	if code, _, errs := runCmd(t, "", "person", "erase", email, "--db", db); code != 2 || !strings.Contains(errs, "--yes") {
		t.Fatalf("erase without --yes: %d %s", code, errs)
	}
	if code, out, errs := runCmd(t, "", "person", "erase", email, "--db", db, "--yes"); code != 0 ||
		!strings.Contains(out, "Erased person") {
		t.Fatalf("erase: %d %s %s", code, out, errs)
	}
	if code, _, errs := runCmd(t, "", "person", "export", email, "--db", db); code != 2 || !strings.Contains(errs, "No account") {
		t.Fatalf("export after erase: %d %s", code, errs)
	}
}

// ally retention set, show and run: a bad rule is refused; the policy is
// applied to the demo's old closed cases.
func TestRetentionCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	if code, _, errs := runCmd(t, "", "demo", "--db", db, "--cases", "200", "--days", "400"); code != 0 {
		t.Fatalf("demo: %d %s", code, errs)
	}
	if code, out, _ := runCmd(t, "", "retention", "show", "--db", db); code != 0 || !strings.Contains(out, "No retention rules") {
		t.Fatalf("show with no rules: %d %s", code, out)
	}
	for _, bad := range []string{"lost_device", "lost_device=delete:soon", "laptop=delete:90"} {
		if code, _, errs := runCmd(t, "", "retention", "set", "--db", db, "--rule", bad); code != 2 || errs == "" {
			t.Fatalf("--rule %s: %d %s", bad, code, errs)
		}
	}
	code, out, errs := runCmd(t, "", "retention", "set", "--db", db, "--rule", "*=deidentify:60", "--rule", "lost_device=delete:30")
	if code != 0 || !strings.Contains(out, "lost_device") {
		t.Fatalf("set: %d %s %s", code, out, errs)
	}
	code, out, errs = runCmd(t, "", "retention", "run", "--db", db)
	if code != 0 || !strings.Contains(out, "de-identified") || strings.HasPrefix(out, "0 cases de-identified and 0") {
		t.Fatalf("run: %d %s %s", code, out, errs)
	}
	if code, out, _ := runCmd(t, "", "verify", "--db", db); code != 0 {
		t.Fatalf("verify after retention: %d %s", code, out)
	}
}

// --help never prints a password or token taken from the environment.
func TestHelpHidesSecrets(t *testing.T) {
	t.Setenv("ALLY_DB", "postgres://ally:SECRET-DB@db/ally")
	t.Setenv("ALLY_SMTP_RELAY", "smtp://ally:SECRET-RELAY@relay:587")
	t.Setenv("ALLY_IMAP", "imaps://report:SECRET-IMAP@mail/INBOX")
	t.Setenv("ALLY_OIDC_CLIENT_SECRET", "SECRET-OIDC")
	t.Setenv("ALLY_SLACK_BOT_TOKEN", "SECRET-SLACK")
	for _, args := range [][]string{{"serve", "--help"}, {"mail", "test", "--help"}, {"backup", "--help"}} {
		code, out, errs := runCmd(t, "", args...)
		if code != 0 || strings.Contains(out+errs, "SECRET-") || !strings.Contains(out, "xxxxx") {
			t.Errorf("%v: %d, shows a secret or no redacted default:\n%s%s", args, code, out, errs)
		}
	}
}
