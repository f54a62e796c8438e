package mailtext

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/allydesk/ally/playbook"
	"github.com/allydesk/ally/tone"
)

// Lint checks the mail templates of a playbooks folder (Path(playbooks);
// "" checks the built-in ones): their names, fields and placeholders, and
// their wording read by tc, filled with SampleVars, for their audience: an
// error-level finding is a problem, and so is a reading grade above
// playbook.MaxGrade in a reporter's email. A folder without the file has no
// problems. The error means the file could not be read.
func Lint(playbooks string, tc playbook.ToneChecker) (playbook.Problems, error) {
	file, b := "templates.yaml (built in)", defaults
	if playbooks != "" {
		file = Path(playbooks)
		var err error
		if b, err = os.ReadFile(file); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
	}
	s, err := parse(file, b, playbooks == "")
	var ps playbook.Problems
	if errors.As(err, &ps) {
		return ps, nil
	}
	for _, name := range sortedNames(s.byName) {
		ps = append(ps, wording(file, name, s.byName[name], tc)...)
	}
	return ps, nil
}

func wording(file, name string, t Template, tc playbook.ToneChecker) playbook.Problems {
	aud := tone.AudienceReporter
	if t.Audience == AudienceResponder {
		aud = tone.AudienceResponder
	}
	var ps playbook.Problems
	for _, field := range []string{"subject", "body"} {
		text := t.field(field)
		res := tc.Check(playbook.Fill(text, SampleVars), aud)
		for _, f := range res.Findings {
			if f.Severity == tone.SeverityError {
				ps = append(ps, playbook.Problem{File: file, Field: name + "." + field, Text: text,
					Message: playbook.FindingMessage(f)})
			}
		}
		if aud == tone.AudienceReporter && field == "body" && res.Grade > playbook.MaxGrade {
			ps = append(ps, playbook.Problem{File: file, Field: name + "." + field, Text: text,
				Message: fmt.Sprintf("reads at grade %.1f, above %g; use shorter words and sentences",
					res.Grade, playbook.MaxGrade)})
		}
	}
	return ps
}
