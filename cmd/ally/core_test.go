package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// runCmd runs the CLI in-process and returns its exit code and output.
func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUserTokenDemoMetrics(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	if code, out, errs := runCmd(t, "", "migrate", "--db", db); code != 0 || !strings.Contains(out, "schema version") {
		t.Fatalf("migrate: %d %s %s", code, out, errs)
	}
	code, out, _ := runCmd(t, "", "user", "add", "--db", db, "--email", "sam@example.com", "--name", "Sam", "--role", "reporter")
	if code != 0 || !strings.Contains(out, "Password (shown once): ") {
		t.Fatalf("user add: %d %s", code, out)
	}
	code, _, errs := runCmd(t, "a very long password\n", "user", "add", "--db", db, "--email", "sam@example.com", "--name", "Sam", "--role", "reporter", "--password-stdin")
	if code != 2 || !strings.Contains(errs, "already exists") {
		t.Fatalf("duplicate user: %d %s", code, errs)
	}
	if code, _, errs = runCmd(t, "", "user", "add", "--db", db, "--email", "x@example.com", "--name", "X", "--role", "boss"); code != 2 || !strings.Contains(errs, "role") {
		t.Fatalf("bad role: %d %s", code, errs)
	}
	code, out, _ = runCmd(t, "", "token", "create", "--db", db, "--email", "sam@example.com")
	if code != 0 || !strings.HasPrefix(out, "ally_") || strings.Count(out, "\n") != 1 {
		t.Fatalf("token: %d %q", code, out)
	}
	if code, out, _ = runCmd(t, "", "user", "list", "--db", db); code != 0 || !strings.Contains(out, "sam@example.com") {
		t.Fatalf("list: %s", out)
	}
	if code, out, _ = runCmd(t, "", "demo", "--db", db, "--cases", "300", "--days", "20"); code != 0 || !strings.Contains(out, "Loaded 300 cases") {
		t.Fatalf("demo: %d %s", code, out)
	}
	code, out, errs = runCmd(t, "", "metrics", "--db", db, "--format", "json")
	var m map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &m) != nil {
		t.Fatalf("metrics: %d %s %s", code, out, errs)
	}
	if e := m["engagement"].(map[string]any); e["cases_reported"].(float64) < 250 {
		t.Fatalf("metrics engagement = %v", e)
	}
	if code, out, _ = runCmd(t, "", "metrics", "--db", db, "--format", "csv"); code != 0 || !strings.HasPrefix(out, "metric,value\n") {
		t.Fatalf("csv: %s", out)
	}
	if code, _, errs = runCmd(t, "", "metrics", "--db", db, "--from", "someday"); code != 2 || !strings.Contains(errs, "--from") {
		t.Fatalf("bad --from: %d %s", code, errs)
	}
	if code, out, _ = runCmd(t, "", "insights", "--db", db); code != 0 || !strings.Contains(out, "Recommended training") {
		t.Fatalf("insights: %d %s", code, out)
	}
	if code, out, _ = runCmd(t, "", "insights", "--db", db, "--format", "csv"); code != 0 || !strings.HasPrefix(out, "section,name,count,share\n") {
		t.Fatalf("insights csv: %d %s", code, out)
	}
	if code, out, _ = runCmd(t, "", "insights", "--db", db, "--timezone", "Europe/Berlin"); code != 0 || !strings.Contains(out, "(times of day in Europe/Berlin)") {
		t.Fatalf("insights in Berlin: %d %s", code, out)
	}
	for _, bad := range []string{"Mars/Base", "Local"} {
		if code, _, errs = runCmd(t, "", "insights", "--db", db, "--timezone", bad); code != 2 || !strings.Contains(errs, "IANA name") {
			t.Fatalf("--timezone %q: %d %s", bad, code, errs)
		}
	}
	if code, _, _ = runCmd(t, "", "user", "disable", "--db", db, "sam@example.com"); code != 0 {
		t.Fatal("disable failed")
	}
	if code, _, errs = runCmd(t, "", "nonsense"); code != 1 && code != 2 {
		t.Fatalf("unknown command: %d %s", code, errs)
	}
	if code, _, errs = runCmd(t, "", "serve", "--bogus"); code != 2 || !strings.Contains(errs, "--help") {
		t.Fatalf("bad flag: %d %s", code, errs)
	}
}

// TestFirstRun checks what "ally serve" does to an empty database: without
// --demo it creates one admin and prints a password that signs in; with
// --demo on an empty database it loads the demo organisation.
func TestFirstRun(t *testing.T) {
	for _, withDemo := range []bool{false, true} {
		dbf := dbFlags{create: true, dsn: filepath.Join(t.TempDir(), "first.db")} // as serve does
		d, err := dbf.open(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := firstRun(ally.NewOperatorContext(context.Background()), d, withDemo, &out); err != nil {
			t.Fatal(err)
		}
		n, _ := d.CountUsers(ally.NewOperatorContext(context.Background()))
		if !withDemo {
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			pw := strings.TrimSpace(lines[len(lines)-1])
			if n != 1 {
				t.Fatalf("%d accounts after the first run", n)
			}
			if _, err := d.Authenticate(context.Background(), "admin@localhost", pw); err != nil {
				t.Fatalf("the printed password %q does not sign in: %v", pw, err)
			}
		} else if n < 5 || !strings.Contains(out.String(), "lee.morgan@example.com") {
			t.Fatalf("demo: %d accounts, output %s", n, out.String())
		}
		// A second start changes nothing.
		out.Reset()
		if err := firstRun(ally.NewOperatorContext(context.Background()), d, false, &out); err != nil || out.Len() != 0 {
			t.Fatalf("second start printed %q (%v)", out.String(), err)
		}
		d.Close()
	}
}
