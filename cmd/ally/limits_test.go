package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Issue 20 F16: tone check's text output lists a bounded number of findings
// and refuses input over its limit, saying what to do instead.
func TestToneCheckBoundsOutputAndInput(t *testing.T) {
	text := strings.Repeat("Why did you click that? ", 2*maxTextFindings)
	code, out, _ := runCmd(t, text, "tone", "check")
	if code != 1 || !strings.Contains(out, "more; use --format json") {
		t.Fatalf("exit %d, output ends %q", code, out[max(0, len(out)-300):])
	}
	if lines := strings.Count(out, "\n"); lines > 3*maxTextFindings+2 {
		t.Errorf("%d lines of output for %d findings shown", lines, maxTextFindings)
	}
	code, _, errOut := runCmd(t, strings.Repeat("a", maxToneInput+1), "tone", "check")
	if code != 2 || !strings.Contains(errOut, "larger than 1 MiB") {
		t.Errorf("oversized input: exit %d, %q", code, errOut)
	}
}

// Issue 20 F16: a command stops promptly on SIGINT/SIGTERM (the context
// ending) even while it waits on input that never comes.
func TestCommandsStopWhenInterrupted(t *testing.T) {
	old := stopGrace
	stopGrace = 50 * time.Millisecond
	defer func() { stopGrace = old }()
	stdin, never := io.Pipe()
	defer never.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var out, errOut strings.Builder
	go func() { done <- run(ctx, []string{"tone", "check"}, stdin, &out, &errOut) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case code := <-done:
		if code != 130 || !strings.Contains(errOut.String(), "interrupted") {
			t.Errorf("exit %d, %q", code, errOut.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("tone check went on after it was interrupted")
	}
}

// Issue 20 F16: only migrate, serve and demo create a database; the others
// say there is none and create nothing.
func TestNoDatabaseIsNotCreated(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nonexistent", "dir")
	db := filepath.Join(dir, "x.db")
	for _, args := range [][]string{{"user", "list"}, {"insights"}, {"token", "list"}} {
		code, _, errOut := runCmd(t, "", append(args, "--db", db)...)
		if code != 2 || !strings.Contains(errOut, "no database at "+db) {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("a command created %s (%v)", dir, err)
	}
	if code, _, errOut := runCmd(t, "", "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate: %d %s", code, errOut)
	}
}

// Issue 20 F16: a --from before 2000 is refused, not silently replaced by
// the default period.
func TestInsightsRefusesAncientFrom(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	if code, _, errOut := runCmd(t, "", "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate: %d %s", code, errOut)
	}
	for _, cmd := range []string{"insights", "metrics"} {
		code, _, errOut := runCmd(t, "", cmd, "--db", db, "--from", "0001-01-01")
		if code != 2 || !strings.Contains(errOut, "before 2000") {
			t.Errorf("%s --from 0001-01-01: exit %d, %q", cmd, code, errOut)
		}
	}
}
