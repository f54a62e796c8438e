package signals_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/allydesk/ally/signals"
	"github.com/allydesk/ally/tone"
)

// TestDefaultsLintClean checks the shipped types: every one the issue names
// is there and passes the checks and the tone engine.
func TestDefaultsLintClean(t *testing.T) {
	ps, err := signals.Lint("", tone.Default())
	if err != nil || len(ps) > 0 {
		t.Fatalf("built-in signal types: %v\n%v", err, ps)
	}
	want := []string{"large_download", "mail_forwarding_rule", "mfa_approved", "new_place_sign_in",
		"oauth_consent", "password_changed"}
	if got := signals.Default().IDs(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("types = %v, want %v", got, want)
	}
}

// TestLintFindsProblems checks that a folder's bad type is named with the
// field and a fix, including blaming wording.
func TestLintFindsProblems(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(signals.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	bad := `id: Bad-Id
title: Odd
question: "Why did you ignore the policy again? {where}"
yes: "Fine."
no: "Ok."
timeout: soon
severity: urgent
kind: nothing
`
	if err := os.WriteFile(filepath.Join(signals.Dir(dir), "bad.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	ps, err := signals.Lint(dir, tone.Default())
	if err != nil {
		t.Fatal(err)
	}
	text := ps.Error()
	for _, want := range []string{"id: \"Bad-Id\" is not an id", "{where} is not a placeholder", "timeout:",
		"severity: \"urgent\"", "kind: \"nothing\"", "question: \"Why did you ignore"} {
		if !strings.Contains(text, want) {
			t.Errorf("lint output lacks %q:\n%s", want, text)
		}
	}
	if _, err := signals.LoadDir(dir); err == nil {
		t.Fatal("LoadDir took a broken type")
	}
}

// TestLoadDirOverrides checks that a folder's type replaces the built-in one
// by id and that an empty folder keeps the defaults.
func TestLoadDirOverrides(t *testing.T) {
	dir := t.TempDir()
	s, err := signals.LoadDir(dir)
	if err != nil || s != signals.Default() {
		t.Fatalf("no signals/ folder: %v", err)
	}
	if err := os.MkdirAll(signals.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	mine := `id: password_changed
title: Password changed
question: "Hi {first_name}, your password was changed at {when}. Was this you?"
yes: "Thank you. All is well."
no: "Thank you for telling us. We will help you."
timeout: 5m
severity: critical
kind: entered_credentials
`
	if err := os.WriteFile(filepath.Join(signals.Dir(dir), "mine.yaml"), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err = signals.LoadDir(dir); err != nil {
		t.Fatal(err)
	}
	typ, _ := s.Get("password_changed")
	if typ.TimeoutOrDefault().Minutes() != 5 || typ.Severity != "critical" || len(s.IDs()) != 6 {
		t.Fatalf("override = %+v, ids %v", typ, s.IDs())
	}
	if typ.QuietOrDefault() != signals.DefaultQuiet || typ.DedupOrDefault() != signals.DefaultDedupWindow {
		t.Fatalf("defaults not applied: %v %v", typ.QuietOrDefault(), typ.DedupOrDefault())
	}
}
