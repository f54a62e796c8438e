package roleplay

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func scenarioYAML(t testing.TB, id string) []byte {
	t.Helper()
	b, err := defaults.ReadFile("defaults/" + id + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLoadDirOverridesAndAdds(t *testing.T) {
	dir := t.TempDir()
	base := string(scenarioYAML(t, "lost-laptop-train"))
	changed := strings.Replace(base, "title: Laptop left on a train", "title: Laptop left on a bus", 1)
	added := strings.Replace(base, "id: lost-laptop-train", "id: lost-phone-bus", 1)
	for name, body := range map[string]string{"a.yaml": changed, "b.yml": added, "notes.txt": "ignored"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	lib, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(lib.List()); got != len(Default().List())+1 {
		t.Errorf("%d scenarios, want defaults plus one", got)
	}
	if sc, _ := lib.Get("lost-laptop-train"); sc.Title != "Laptop left on a bus" {
		t.Errorf("override not applied: %q", sc.Title)
	}
	if _, ok := lib.Get("lost-phone-bus"); !ok {
		t.Error("added scenario missing")
	}
	if _, ok := lib.Get("nope"); ok {
		t.Error("Get of an unknown id succeeded")
	}
	if ids := lib.IDs(); !strings.HasPrefix(strings.Join(ids, ","), "fake-it-support-code,invoice") {
		t.Errorf("ids not sorted: %v", ids)
	}
}

func TestLoadErrors(t *testing.T) {
	good := string(scenarioYAML(t, "lost-laptop-train"))
	tests := map[string]struct {
		files map[string]string
		want  string
	}{
		"not yaml":        {map[string]string{"x.yaml": "id: [unclosed"}, "x.yaml"},
		"unknown field":   {map[string]string{"x.yaml": good + "\nmood: grumpy\n"}, "mood"},
		"unknown topic":   {map[string]string{"x.yaml": strings.Replace(good, "topics: [data]", "topics: [dta]", 1)}, `unknown topic "dta"`},
		"bad kind":        {map[string]string{"x.yaml": strings.Replace(good, "kind: lost_device", "kind: lost", 1)}, `kind "lost"`},
		"bad temperament": {map[string]string{"x.yaml": strings.Replace(good, "temperament: rushed", "temperament: sleepy", 1)}, "temperament"},
		"no lines":        {map[string]string{"x.yaml": strings.Replace(good, "  disengaged:\n    - \"I don't have time for this. Email me. Bye.\"\n", "", 1)}, "lines.disengaged"},
		"bad id":          {map[string]string{"x.yaml": strings.Replace(good, "id: lost-laptop-train", "id: Lost Laptop", 1)}, "id"},
		"same id twice":   {map[string]string{"a.yaml": good, "b.yaml": good}, "already used by a.yaml"},
		"trust range":     {map[string]string{"x.yaml": strings.Replace(good, "trust: 45", "trust: 140", 1)}, "between 0 and 100"},
		"star cue":        {map[string]string{"x.yaml": strings.Replace(good, `"lost property"`, `"*"`, 1)}, "has no words"},
		"avoid no text":   {map[string]string{"x.yaml": strings.Replace(good, "lines:\n", "avoid:\n  - id: a\n    cues: [x]\nlines:\n", 1)}, "avoid[0]: text"},
	}
	for name, tc := range tests {
		fsys := fstest.MapFS{}
		for n, body := range tc.files {
			fsys[n] = &fstest.MapFile{Data: []byte(body)}
		}
		_, err := Load(fsys)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to mention %q", name, err, tc.want)
		}
	}
	if _, err := LoadDir(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("LoadDir of a missing folder succeeded")
	}
}

func TestParseFillsDefaults(t *testing.T) {
	body := strings.NewReplacer("\ntrust: 45\n", "\n", "\nstress: 60\n", "\n", "\nmax_turns: 8\n", "\n").Replace(string(scenarioYAML(t, "lost-laptop-train")))
	sc, err := Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Trust != DefaultTrust || sc.Stress != DefaultStress || sc.MaxTurns != DefaultMaxTurns {
		t.Errorf("defaults not filled: %d %d %d", sc.Trust, sc.Stress, sc.MaxTurns)
	}
}
