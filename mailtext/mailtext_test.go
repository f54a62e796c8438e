package mailtext

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/allydesk/ally/tone"
)

func TestBuiltInTemplatesPassLint(t *testing.T) {
	ps, err := Lint("", tone.Default())
	if err != nil || len(ps) > 0 {
		t.Fatalf("built-in templates: %v %v", ps, err)
	}
}

func TestRenderFillsSubjectOnOneLine(t *testing.T) {
	subject, body, err := Default().Render(Reply, map[string]string{
		"first_name": "Sam", "ref": "AL-7", "summary": "Odd\nemail", "author": "Alex", "message": "Line one.\nLine two.",
		"link": "https://x/cases/AL-7"})
	if err != nil {
		t.Fatal(err)
	}
	if subject != "Odd email (AL-7)" {
		t.Errorf("subject %q", subject)
	}
	if !strings.Contains(body, "Line one.\nLine two.") || !strings.Contains(body, "https://x/cases/AL-7") {
		t.Errorf("body %q", body)
	}
	if _, _, err := Default().Render("nope", nil); err == nil {
		t.Error("an unknown template rendered")
	}
}

func writeTemplates(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "mail"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(Path(dir), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestOverrideReplacesByName(t *testing.T) {
	dir := writeTemplates(t, `resolve:
  audience: reporter
  subject: "All done: {ref}"
  body: "Hi {first_name}, we have finished with {ref}. Thank you for telling us."
`)
	s, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if subject, _, _ := s.Render(Resolve, map[string]string{"ref": "AL-1"}); subject != "All done: AL-1" {
		t.Errorf("override not used: %q", subject)
	}
	if a, _ := s.Get(Acknowledge); a != mustGet(t, Acknowledge) {
		t.Error("a template left out lost its built-in wording")
	}
	if ps, err := Lint(dir, tone.Default()); err != nil || len(ps) > 0 {
		t.Errorf("a good override: %v %v", ps, err)
	}
	s, err = LoadDir(t.TempDir())
	if err != nil || s != Default() {
		t.Errorf("a folder without mail templates: %v", err)
	}
}

func mustGet(t *testing.T, name string) Template {
	t.Helper()
	tpl, ok := Default().Get(name)
	if !ok {
		t.Fatalf("no %s", name)
	}
	return tpl
}

func TestLintFindsProblems(t *testing.T) {
	cases := map[string]struct{ yaml, want string }{
		"blaming": {`resolve:
  audience: reporter
  subject: "{ref}"
  body: "Why did you click the link? You should have known better."`, "blame"},
		"hard words": {`acknowledge:
  audience: reporter
  subject: "{ref}"
  body: "Notwithstanding organisational considerations, investigative prioritisation necessitates comprehensive consideration of circumstantial particularities."`,
			"grade"},
		"unknown placeholder": {`reply:
  audience: reporter
  subject: "{case}"
  body: "Hi {first_name}."`, "{case} is not a placeholder"},
		"unknown template": {`goodbye:
  audience: reporter
  subject: "x"
  body: "y"`, "is not a mail template"},
		"bad audience": {`reply:
  audience: everyone
  subject: "x {ref}"
  body: "Hi {first_name}."`, "is not an audience"},
		"empty body": {`reply:
  audience: reporter
  subject: "x {ref}"`, "is empty"},
		"unknown field": {`reply:
  audience: reporter
  subjet: "x"`, "not valid YAML"},
	}
	for name, c := range cases {
		dir := writeTemplates(t, c.yaml)
		ps, err := Lint(dir, tone.Default())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.Contains(ps.Error(), c.want) {
			t.Errorf("%s: problems %q, want one mentioning %q", name, ps.Error(), c.want)
		}
		if _, err := LoadDir(dir); err == nil && c.want != "blame" && c.want != "grade" {
			t.Errorf("%s: LoadDir accepted it", name)
		}
	}
}
