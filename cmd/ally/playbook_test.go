package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPlaybookLint(t *testing.T) {
	broken := filepath.Join("..", "..", "playbook", "testdata", "unknown_kind")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"defaults", []string{"playbook", "lint"}, 0, "10 playbooks built in: no problems.\n", ""},
		{"broken", []string{"playbook", "lint", broken}, 1,
			filepath.Join(broken, "other.yaml") + `: kind: "phishing" is not a kind`, ""},
		{"summary", []string{"playbook", "lint", broken}, 1, "1 problem in 1 playbook file in " + broken + ".\n", ""},
		{"missing folder", []string{"playbook", "lint", "no/such/folder"}, 2, "", "cannot read the playbooks in no/such/folder: no such file or directory"},
		{"no playbooks", []string{"playbook", "lint", t.TempDir()}, 2, "", "no playbook files (*.yaml)"},
		{"two folders", []string{"playbook", "lint", "a", "b"}, 2, "", "at most one folder"},
		{"bad format", []string{"playbook", "lint", "--format", "xml"}, 2, "", `--format "xml" is not known`},
		{"init without folder", []string{"playbook", "init"}, 2, "", "needs one folder"},
		{"init into a file", []string{"playbook", "init", "playbook.go"}, 2, "", "cannot write the playbooks to playbook.go: not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, "", tt.args...)
			if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q",
					code, out, errOut, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

func TestPlaybookLintJSON(t *testing.T) {
	code, out, _ := runCmd(t, "", "playbook", "lint", "--format", "json", filepath.Join("..", "..", "playbook", "testdata", "sla_ack_after_resolve"))
	var report struct {
		Files    int `json:"files"`
		Problems []struct{ File, Field, Message string }
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	if code != 1 || report.Files != 1 || len(report.Problems) != 1 || report.Problems[0].Field != "sla.low" {
		t.Errorf("exit %d, report %+v; want exit 1 and one sla.low problem", code, report)
	}
}

// init writes editable files, refuses to overwrite them without --force, and
// what it writes lints clean; a folder with some kinds says the rest are built in.
func TestPlaybookInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "playbooks")
	if code, out, errOut := runCmd(t, "", "playbook", "init", dir); code != 0 || !strings.Contains(out, "Wrote 10 playbooks to "+dir) {
		t.Fatalf("init: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	file := filepath.Join(dir, "other.yaml")
	if err := os.WriteFile(file, []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCmd(t, "", "playbook", "init", dir); code != 2 || !strings.Contains(errOut, file) || !strings.Contains(errOut, "--force") {
		t.Errorf("init again: exit %d, stderr %q; want 2 naming %s and --force", code, errOut, file)
	}
	if b, _ := os.ReadFile(file); string(b) != "edited" {
		t.Error("init overwrote a file without --force")
	}
	if code, _, errOut := runCmd(t, "", "playbook", "init", "--force", dir); code != 0 {
		t.Fatalf("init --force: exit %d, stderr %q", code, errOut)
	}
	if code, out, _ := runCmd(t, "", "playbook", "lint", dir); code != 0 || out != "10 playbooks in "+dir+": no problems.\n" {
		t.Errorf("lint after init: exit %d, stdout %q", code, out)
	}

	partial := t.TempDir()
	b, err := os.ReadFile(filepath.Join(dir, "lost_device.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(partial, "lost_device.yaml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCmd(t, "", "playbook", "lint", partial); code != 0 || !strings.Contains(out, "1 playbook in "+partial+": no problems; the other 9 kinds use the built-in playbooks.") {
		t.Errorf("lint of one file: exit %d, stdout %q", code, out)
	}
}
