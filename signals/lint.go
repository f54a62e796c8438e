package signals

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/playbook"
	"github.com/allydesk/ally/tone"
)

// Lint checks the signal types in Dir(playbooks) ("" checks the built-in
// ones): fields, ids, durations, severities, kinds, placeholders, one type
// per id, and the wording a person reads (question, yes, no) by tc: an
// error-level finding or a grade above playbook.MaxGrade is a problem. A
// folder without signals/ has no problems. The error means the folder
// could not be read.
func Lint(playbooks string, tc playbook.ToneChecker) (playbook.Problems, error) {
	fsys, dir := DefaultFS(), ""
	if playbooks != "" {
		dir = Dir(playbooks)
		if _, err := os.Stat(dir); err != nil {
			if os.IsNotExist(err) {
				return nil, nil
			}
			return nil, err
		}
		fsys = os.DirFS(dir)
	}
	files, err := readFiles(fsys, dir)
	if err != nil {
		return nil, err
	}
	return checkFiles(files, tc), nil
}

var idRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// checkFiles returns what is wrong in files, with wording when tc is set.
func checkFiles(files []file, tc playbook.ToneChecker) playbook.Problems {
	var ps playbook.Problems
	seen := map[string]string{}
	for _, f := range files {
		if f.err != nil {
			ps = append(ps, playbook.Problem{File: f.name, Message: f.err.Error()})
			continue
		}
		ps = append(ps, check(f.name, f.t)...)
		if other, ok := seen[f.t.ID]; ok && f.t.ID != "" {
			ps = append(ps, playbook.Problem{File: f.name, Field: "id",
				Message: fmt.Sprintf("%q is also the id in %s; give each type its own id", f.t.ID, other)})
		}
		seen[f.t.ID] = f.name
		if tc != nil {
			ps = append(ps, wording(f.name, f.t, tc)...)
		}
	}
	return ps
}

// check returns what is wrong with one type, apart from wording.
func check(file string, t *Type) playbook.Problems {
	var ps playbook.Problems
	add := func(field, format string, args ...any) {
		ps = append(ps, playbook.Problem{File: file, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if !idRE.MatchString(t.ID) {
		add("id", "%q is not an id; use lower case letters, digits and _ (e.g. new_place_sign_in)", t.ID)
	}
	for field, v := range map[string]string{"title": t.Title, "question": t.Question, "yes": t.Yes, "no": t.No} {
		if strings.TrimSpace(v) == "" {
			add(field, "is required")
		}
		for _, m := range placeholderRE.FindAllStringSubmatch(v, -1) {
			if !slices.Contains(Placeholders, m[1]) {
				add(field, "{%s} is not a placeholder; use %s", m[1], strings.Join(Placeholders, ", "))
			}
		}
	}
	for field, v := range map[string]string{"timeout": t.Timeout, "quiet": t.Quiet, "dedup_window": t.DedupWindow} {
		if _, err := playbook.ParseDuration(v); err != nil {
			add(field, "%v", err)
		}
	}
	if !ally.Severity(t.Severity).Valid() {
		add("severity", "%q is not a severity; use one of %s", t.Severity, joinSeverities())
	}
	if !slices.Contains(kinds(), t.Kind) {
		add("kind", "%q is not a case kind; use one of %s", t.Kind, strings.Join(kinds(), ", "))
	}
	slices.SortFunc(ps, func(a, b playbook.Problem) int { return strings.Compare(a.Field, b.Field) })
	return ps
}

var placeholderRE = regexp.MustCompile(`\{([^{}]*)\}`)

func joinSeverities() string {
	out := make([]string, len(ally.Severities))
	for i, s := range ally.Severities {
		out[i] = string(s)
	}
	return strings.Join(out, ", ")
}

// wording reads what the person reads, filled with SampleVars.
func wording(file string, t *Type, tc playbook.ToneChecker) playbook.Problems {
	var ps playbook.Problems
	for _, f := range []struct{ field, text string }{{"question", t.Question}, {"yes", t.Yes}, {"no", t.No}} {
		if strings.TrimSpace(f.text) == "" {
			continue // check reports it missing
		}
		res := tc.Check(playbook.Fill(f.text, SampleVars), tone.AudienceReporter)
		for _, x := range res.Findings {
			if x.Severity == tone.SeverityError {
				ps = append(ps, playbook.Problem{File: file, Field: f.field, Text: f.text,
					Message: playbook.FindingMessage(x)})
			}
		}
		if res.Grade > playbook.MaxGrade {
			ps = append(ps, playbook.Problem{File: file, Field: f.field, Text: f.text,
				Message: fmt.Sprintf("reads at grade %.1f, above %g; use shorter words and sentences",
					res.Grade, playbook.MaxGrade)})
		}
	}
	return ps
}
