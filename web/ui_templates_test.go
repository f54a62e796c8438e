package web

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/allydesk/ally/tone"
)

// templateFiles returns every template's path and source.
func templateFiles(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, p)
		out[strings.TrimPrefix(p, "templates/")] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTemplatesHaveNoInlineCode keeps the pages within the CSP: no inline
// scripts, styles, style attributes or event handler attributes.
func TestTemplatesHaveNoInlineCode(t *testing.T) {
	bad := regexp.MustCompile(`(?i)\sstyle=|<style|<script>|<script\s+(?:[^>s]|s[^r]|sr[^c])*>|\son[a-z]+=`)
	for name, src := range templateFiles(t) {
		if m := bad.FindString(src); m != "" {
			t.Errorf("%s has inline code %q, which the CSP blocks", name, m)
		}
	}
}

// TestPostFormsCarryCSRF checks that every form that posts sends the CSRF
// token (sign-in has no session yet; it checks the Origin instead).
func TestPostFormsCarryCSRF(t *testing.T) {
	form := regexp.MustCompile(`(?s)<form[^>]*method="post"[^>]*>.*?</form>`)
	for name, src := range templateFiles(t) {
		for _, f := range form.FindAllString(src, -1) {
			if !strings.Contains(f, `{{template "csrf"`) && !strings.Contains(f, `action="/login"`) {
				t.Errorf("%s: a form posts without the CSRF token:\n%s", name, f[:min(len(f), 200)])
			}
		}
	}
}

// TestReporterWordsReadKindly runs Ally's own tone engine over every word a
// reporter reads: the reporter templates' text and the plain-language
// labels. None may have an error-level finding, and the reading grade must
// be 8 or lower.
func TestReporterWordsReadKindly(t *testing.T) {
	texts, err := ReporterWords()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range reporterTemplates {
		if len(texts[name]) == 0 && name != "partials/questions.html" {
			t.Errorf("%s: found no text to check", name)
		}
	}
	engine := tone.Default()
	for name, nodes := range texts {
		for _, s := range nodes {
			res := engine.Check(s, tone.AudienceReporter)
			for _, f := range res.Findings {
				if f.Severity == tone.SeverityError {
					t.Errorf("%s: %q: %s (%s) %s", name, s, f.Match, f.Rule, f.Message)
				}
			}
		}
		if res := engine.Check(strings.Join(nodes, "\n"), tone.AudienceReporter); res.Grade > 8 {
			t.Errorf("%s reads at grade %.1f, above 8", name, res.Grade)
		}
	}
}

func TestTextNodes(t *testing.T) {
	got := textNodes(`<h1>Hi {{.User.Name}}.</h1><script src="x"></script><p class="a">Tell us <b>anything</b>.</p> {{if .X}}…{{end}}`)
	want := []string{"Hi .", "Tell us", "anything"}
	if !slices.Equal(got, want) {
		t.Errorf("textNodes = %q, want %q", got, want)
	}
}
