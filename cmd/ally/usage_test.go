package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/allydesk/ally/store/storetest"
	"github.com/spf13/cobra"
)

// cobraWords are cobra's and Go's own wordings of a refusal, which
// checkUsage and flagError replace with what to do instead.
var cobraWords = []string{"accepts ", "received", "unknown command", "required flag(s)", "strconv.", "time: ",
	"invalid argument", "invalid syntax"}

// TestBadUsageSaysWhatToDo: an unknown command, a missing required flag, a
// missing or extra argument and a flag value of the wrong type are bad
// usage (exit 2, the contract), say what was wrong and how to fix it in
// Ally's words, and create no database.
func TestBadUsageSaysWhatToDo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "never.db")
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"bogus"}, []string{`"bogus" is not a command`, "user", `"ally --help"`}},
		{[]string{"usr"}, []string{`did you mean "user"?`}},
		{[]string{"user", "bogus"}, []string{`ally user: "bogus" is not a command`, "add, disable, enable, list"}},
		{[]string{"tone", "chek"}, []string{`did you mean "check"?`}},
		{[]string{"help", "bogus"}, []string{`ally: "bogus" is not a command`}},
		{[]string{"help", "user", "bogus"}, []string{`ally user: "bogus" is not a command`}},
		{[]string{"user", "add", "--db", db, "--email", "sam@example.com"}, []string{"needs --name, --role"}},
		{[]string{"user", "disable", "--db", db}, []string{"argument is missing", "ally user disable EMAIL"}},
		{[]string{"user", "disable", "--db", db, "a@example.com", "b@example.com"},
			[]string{`too many arguments ("a@example.com" "b@example.com")`}},
		{[]string{"version", "extra"}, []string{`too many arguments ("extra")`, `"ally version --help"`}},
		{[]string{"tone", "eval"}, []string{"argument is missing", "FILE.jsonl"}},
		{[]string{"demo", "--db", db, "--cases", "lots"}, []string{`--cases: "lots" is not a whole number`}},
		{[]string{"serve", "--db", db, "--drain-delay", "soon"}, []string{`--drain-delay: "soon" is not a duration`}},
		{[]string{"serve", "--db", db, "--secure-cookies=maybe"}, []string{`"maybe" is not true or false`}},
	} {
		code, out, errs := runCmd(t, "", tc.args...)
		if code != 2 || out != "" {
			t.Errorf("ally %s: exit %d, stdout %q; want 2 and nothing (stderr %s)", strings.Join(tc.args, " "), code, out, errs)
		}
		for _, w := range tc.want {
			if !strings.Contains(errs, w) {
				t.Errorf("ally %s: %q lacks %q", strings.Join(tc.args, " "), errs, w)
			}
		}
		for _, w := range cobraWords {
			if strings.Contains(errs, w) {
				t.Errorf("ally %s: %q says %q", strings.Join(tc.args, " "), errs, w)
			}
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("bad usage created the database")
	}
	// A group alone, or asked for help, still shows its help.
	for _, args := range [][]string{{"user"}, {"user", "--help"}, {"help", "user"}} {
		if code, out, errs := runCmd(t, "", args...); code != 0 || !strings.Contains(out, "reset-password") {
			t.Errorf("ally %s: %d %q %q", strings.Join(args, " "), code, out, errs)
		}
	}
}

// TestEveryCommandRefusesStrayArguments runs every command with four
// arguments no command takes: each refuses them as bad usage (exit 2) in
// its own words, never runs, and creates no database in the working folder.
func TestEveryCommandRefusesStrayArguments(t *testing.T) {
	t.Chdir(t.TempDir())
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() {
				walk(sub, append(append([]string(nil), path...), sub.Name()))
			}
		}
		if len(path) > 0 {
			paths = append(paths, path)
		}
	}
	walk(newRootCmd(), nil)
	if len(paths) < 40 {
		t.Fatalf("found only %d commands", len(paths))
	}
	stray := []string{"zz-1", "zz-2", "zz-3", "zz-4"}
	for _, p := range paths {
		code, out, errs := runCmd(t, "", append(p, stray...)...)
		if code != 2 || out != "" || errs == "" {
			t.Errorf("ally %s %s: exit %d, stdout %q, stderr %q; want 2 and a message",
				strings.Join(p, " "), strings.Join(stray, " "), code, out, errs)
		}
		for _, w := range cobraWords {
			if strings.Contains(errs, w) {
				t.Errorf("ally %s: %q says %q", strings.Join(p, " "), errs, w)
			}
		}
	}
	if _, err := os.Stat("ally.db"); err == nil {
		t.Error("a refused command created ally.db")
	}
}

// TestDatabaseThatCannotBeUsed: --db naming a folder, or a database in a
// folder Ally may not write to (SQLite must create its -wal and -shm files
// there), is bad usage (exit 2) that says so and what to check, not exit 1
// with the driver's words ("store: open: … is a directory", "attempt to
// write a readonly database (1544)"); the folder is left as it was. A
// read-only database file can still be read. The read-only cases need a
// user that file modes bind (not root).
func TestDatabaseThatCannotBeUsed(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"user", "list"}, {"migrate"}, {"serve", "--addr", "127.0.0.1:0"}} {
		code, _, errs := runCmd(t, "", append(args, "--db", dir)...)
		if code != 2 || !strings.Contains(errs, dir+" is a folder, not a database file") ||
			!strings.Contains(errs, filepath.Join(dir, "ally.db")) || strings.Contains(errs, "store:") {
			t.Errorf("%v --db FOLDER: exit %d, %q", args, code, errs)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("the folder now holds %d files", len(left))
	}
	if os.Geteuid() == 0 {
		t.Skip("root writes to read-only files: the read-only case needs another user")
	}
	roDir := t.TempDir()
	roDB := filepath.Join(roDir, "ro.db")
	if code, _, errs := runCmd(t, "", "migrate", "--db", roDB); code != 0 {
		t.Fatalf("migrate: %d %s", code, errs)
	}
	if err := os.Chmod(roDir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(roDir, 0o700)
	code, _, errs := runCmd(t, "", "user", "list", "--db", roDB)
	if code != 2 || !strings.Contains(errs, "cannot write to the database "+roDB+", or to the folder it is in") ||
		strings.Contains(errs, "1544") {
		t.Errorf("read-only folder: exit %d, %q", code, errs)
	}
	if err := os.Chmod(roDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(roDB, 0o400); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCmd(t, "", "user", "list", "--db", roDB); code != 0 || !strings.Contains(out, "EMAIL") {
		t.Errorf("read-only file, user list: exit %d, %q %q", code, out, errs)
	}
}

// TestVersionFlag: "ally --version" and "-v" print what "ally version"
// prints (they were unknown flags, exit 2).
func TestVersionFlag(t *testing.T) {
	code, want, _ := runCmd(t, "", "version")
	if code != 0 || !strings.HasPrefix(want, "ally ") {
		t.Fatalf("ally version: %d %q", code, want)
	}
	for _, flag := range []string{"--version", "-v"} {
		if code, out, errs := runCmd(t, "", flag); code != 0 || out != want {
			t.Errorf("ally %s: %d %q %q; want %q", flag, code, out, errs, want)
		}
	}
}

// TestReadOnlyDatabaseIsBadUsage: a write to a database Ally may only read
// (a SQLite file without write permission in a folder it may write; a
// read-only PostgreSQL session or standby) is exit 2 saying the database is
// read-only and what to check, not exit 1 with "store: create user:
// attempt to write a readonly database (8)" (or "store: migrate: … SQLSTATE
// 25006"). Root writes to read-only
// files, so the SQLite case needs another user (checked with setpriv as
// nobody); PostgreSQL is made read-only with default_transaction_read_only.
func TestReadOnlyDatabaseIsBadUsage(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			if engine == "sqlite" && os.Geteuid() == 0 {
				t.Skip("root writes to read-only files: the SQLite case needs another user")
			}
			dsn := storetest.DSN(t, engine)
			if code, _, errs := runCmd(t, "", "migrate", "--db", dsn); code != 0 {
				t.Fatalf("migrate: %d %s", code, errs)
			}
			if engine == "sqlite" {
				if err := os.Chmod(dsn, 0o400); err != nil {
					t.Fatal(err)
				}
			} else {
				dsn += "&default_transaction_read_only=on"
			}
			code, _, errs := runCmd(t, "", "user", "add", "--email", "ro@example.org", "--name", "R O",
				"--role", "reporter", "--db", dsn)
			if code != 2 || !strings.Contains(errs, "the database is read-only") ||
				!strings.Contains(errs, "Check the permissions of the database file") || strings.Contains(errs, "store:") {
				t.Errorf("user add on a read-only database: exit %d, %q", code, errs)
			}
			// SQLite reads a read-only file; PostgreSQL stops at migrate, which
			// writes even when nothing is due (its tables, IF NOT EXISTS).
			if code, out, errs := runCmd(t, "", "user", "list", "--db", dsn); engine == "sqlite" &&
				(code != 0 || !strings.Contains(out, "EMAIL")) {
				t.Errorf("user list on a read-only database: exit %d, %q %q", code, out, errs)
			}
		})
	}
}
