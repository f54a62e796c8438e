package playbook

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/allydesk/ally/tone"
)

func defaultFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(DefaultFS(), name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLoadDirOverride(t *testing.T) {
	dir := t.TempDir()
	b := bytes.Replace(defaultFile(t, "clicked_link.yaml"), []byte("title: I clicked a link"), []byte("title: I clicked on a link"), 1)
	write(t, filepath.Join(dir, "clicked_link.yaml"), b)
	write(t, filepath.Join(dir, "README.md"), []byte("not a playbook"))
	set, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(set.All()); got != 10 {
		t.Errorf("LoadDir has %d playbooks; want the 10 defaults", got)
	}
	if p, _ := set.Get("clicked_link"); p.Title != "I clicked on a link" {
		t.Errorf("clicked_link title = %q; want the folder's", p.Title)
	}
	if p, _ := Default().Get("clicked_link"); p.Title != "I clicked a link" {
		t.Errorf("LoadDir changed the defaults: title = %q", p.Title)
	}
	if p, _ := set.Get("lost_device"); p != mustGet(t, Default(), "lost_device") {
		t.Error("lost_device: want the default playbook")
	}
}

func mustGet(t *testing.T, s *Set, kind string) *Playbook {
	t.Helper()
	p, ok := s.Get(kind)
	if !ok {
		t.Fatalf("no playbook for %s", kind)
	}
	return p
}

func TestLoadDirErrorsNameFileAndField(t *testing.T) {
	_, err := LoadDir("testdata/rule_impossible_yes_no")
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("LoadDir error = %v; want Problems", err)
	}
	want := filepath.Join("testdata", "rule_impossible_yes_no", "other.yaml") + `: severity_rules[1].when.shared: "maybe" is not a possible answer`
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error = %q; want it to start %q", err, want)
	}
	if _, err := LoadDir("testdata/no such folder"); err == nil {
		t.Error("LoadDir of a missing folder: want an error")
	}
}

// init → edit → lint, then init refuses to overwrite unless forced.
func TestWriteDefaultsRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "playbooks")
	paths, err := WriteDefaults(dir, false)
	if err != nil || len(paths) != 10 {
		t.Fatalf("WriteDefaults = %d files, %v; want 10", len(paths), err)
	}
	file := filepath.Join(dir, "lost_device.yaml")
	edit(t, file, "  - If you find it, tell us before you use it again.\n",
		"  - If you find it, tell us before you use it again.\n  - Tell your manager, if you like.\n")
	if ps, err := LintDir(dir, tone.Default()); err != nil || len(ps) != 0 {
		t.Fatalf("after a good edit: Lint = %v, %v; want no problems", Problems(ps), err)
	}
	set, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p := mustGet(t, set, "lost_device"); p.FirstAid[len(p.FirstAid)-1].Text != "Tell your manager, if you like." {
		t.Errorf("LoadDir did not read the edit: %q", p.FirstAid)
	}
	edit(t, file, "phase: contain", "phase: contian")
	ps, _ := LintDir(dir, tone.Default())
	if len(ps) != 1 || ps[0].File != file || !strings.Contains(ps[0].Message, `"contian" is not a phase`) {
		t.Fatalf("after a bad edit: Lint = %v; want one phase problem in %s", Problems(ps), file)
	}

	if _, err := WriteDefaults(dir, false); !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), file) {
		t.Fatalf("second WriteDefaults = %v; want ErrExists naming %s", err, file)
	}
	if b, _ := os.ReadFile(file); !bytes.Contains(b, []byte("contian")) {
		t.Fatal("WriteDefaults overwrote a file without force")
	}
	if _, err := WriteDefaults(dir, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(file); !bytes.Equal(b, defaultFile(t, "lost_device.yaml")) {
		t.Error("WriteDefaults with force did not restore the default")
	}
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func edit(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil || !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s: cannot find %q (%v)", path, old, err)
	}
	write(t, path, bytes.Replace(b, []byte(old), []byte(new), 1))
}

// Decode and Check take any bytes without panicking; Decode explains every
// failure. The seeds are the small fixtures: on the 4-5 KB defaults the Go
// fuzzer slows to a few executions a second.
func FuzzDecode(f *testing.F) {
	for _, dir := range []string{"valid", "bad_yaml", "two_documents", "wrong_type", "rule_free_answer", "sla_bad_duration"} {
		b, err := os.ReadFile(filepath.Join("testdata", dir, "other.yaml"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Decode(b)
		if (p == nil) != (err != nil) {
			t.Fatalf("Decode = %v, %v; want a playbook or an error", p, err)
		}
		if err != nil {
			return
		}
		Check("f.yaml", p)
		answers := map[string]string{}
		for _, q := range p.Questions {
			answers[q.ID] = "yes"
		}
		p.SeverityFor(answers)
		p.ReporterTexts()
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30m", "1h30m", "2d", "1w", "", "-1d", "d", "9223372036854775807d", "1.5h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := ParseDuration(s); err == nil && d < 0 {
			t.Fatalf("ParseDuration(%q) = %v; want no negative durations", s, d)
		}
	})
}

func FuzzFill(f *testing.F) {
	f.Add("Hi {first_name}, {ref} by {next_update}.", "Sam")
	f.Add("{ref}{ref}", "{ref}")
	f.Fuzz(func(t *testing.T, template, value string) {
		got := Fill(template, map[string]string{"ref": value})
		if want := strings.ReplaceAll(template, "{ref}", value); got != want {
			t.Fatalf("Fill(%q, ref=%q) = %q; want %q", template, value, got, want)
		}
	})
}
