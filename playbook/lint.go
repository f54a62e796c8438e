package playbook

import (
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/allydesk/ally/tone"
)

// ToneChecker reads a text for an audience; *tone.Engine is one.
type ToneChecker interface {
	Check(text string, aud tone.Audience) tone.Result
}

// MaxGrade is the highest reading grade (Flesch–Kincaid) Lint accepts in
// words a reporter reads.
const MaxGrade = 8.0

// SampleVars fill templates' placeholders before their wording is checked,
// so the tone engine reads what a reporter would.
var SampleVars = map[string]string{"first_name": "Sam", "ref": "AL-1042", "next_update": "10:30"}

// Lint checks every playbook file in the top folder of fsys: all that Check
// does, one playbook per kind, and the wording of every string a reporter
// reads (see Playbook.ReporterTexts), read by tc for the reporter audience:
// an error-level finding or a grade above MaxGrade is a problem. A nil tc
// skips the wording checks. Its error means fsys could not be read.
func Lint(fsys fs.FS, tc ToneChecker) ([]Problem, error) {
	files, err := readFiles(fsys)
	if err != nil {
		return nil, err
	}
	return checkFiles(files, tc), nil
}

// ReporterText is one string a reporter reads, and where it is in the
// playbook.
type ReporterText struct {
	Field string
	Text  string
}

// ReporterTexts returns every string a reporter reads: the message, first
// aid, each question and its options (as one list), the titles of reporter
// tasks, and the templates.
func (p *Playbook) ReporterTexts() []ReporterText {
	out := []ReporterText{{"message", p.Message}}
	for i, s := range p.FirstAid {
		out = append(out, ReporterText{item("first_aid", i, ""), s.Text})
		if s.Otherwise != "" {
			out = append(out, ReporterText{item("first_aid", i, "") + ".otherwise", s.Otherwise})
		}
	}
	for i, q := range p.Questions {
		field := item("questions", i, q.ID)
		out = append(out, ReporterText{field + ".text", q.Text})
		if len(q.Options) > 0 {
			// Options are read as a list: a grade for one or two words alone is noise.
			out = append(out, ReporterText{field + ".options", strings.Join(q.Options, ". ") + "."})
		}
	}
	for i, t := range p.Tasks {
		if t.Owner == "reporter" {
			out = append(out, ReporterText{item("tasks", i, t.ID) + ".title", t.Title})
		}
	}
	for _, name := range sortedKeys(p.Templates) {
		out = append(out, ReporterText{"templates." + name, p.Templates[name]})
	}
	return out
}

func wording(file string, p *Playbook, tc ToneChecker) []Problem {
	var ps []Problem
	for _, t := range p.ReporterTexts() {
		if strings.TrimSpace(t.Text) == "" {
			continue // Check reports it missing
		}
		res := tc.Check(Fill(t.Text, SampleVars), tone.AudienceReporter)
		for _, f := range res.Findings {
			if f.Severity == tone.SeverityError {
				ps = append(ps, Problem{File: file, Field: t.Field, Text: t.Text, Message: FindingMessage(f)})
			}
		}
		if res.Grade > MaxGrade {
			ps = append(ps, Problem{File: file, Field: t.Field, Text: t.Text,
				Message: fmt.Sprintf("reads at grade %.1f, above %g; use shorter words and sentences", res.Grade, MaxGrade)})
		}
	}
	return ps
}

// FindingMessage describes a tone finding for a lint problem: category, rule,
// the words at fault, why, and a kinder phrasing when there is one.
func FindingMessage(f tone.Finding) string {
	msg := fmt.Sprintf("%s (%s): %q: %s", f.Category, f.Rule, f.Match, f.Message)
	if f.Suggestion != "" {
		msg += "; try: " + f.Suggestion
	}
	return msg
}

// LintDir is Lint over the folder dir, naming each file with its path.
func LintDir(dir string, tc ToneChecker) ([]Problem, error) {
	ps, err := Lint(os.DirFS(dir), tc)
	return Problems(ps).in(dir), err
}
