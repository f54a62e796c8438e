package playbook

import (
	"os"
	"strings"
	"testing"

	"github.com/allydesk/ally/tone"
)

// fakeTone flags "Why did you" as an error and rates texts holding
// "notwithstanding" at grade 14, so wording rules are tested apart from the
// real engine's rules.
type fakeTone struct{}

func (fakeTone) Check(text string, _ tone.Audience) tone.Result {
	var r tone.Result
	if i := strings.Index(text, "Why did you"); i >= 0 {
		r.Findings = append(r.Findings, tone.Finding{Rule: "why-did-you", Category: "blame",
			Severity: tone.SeverityError, Match: "Why did you", Message: "asks for a defence",
			Suggestion: "What happened next?"})
	}
	if strings.Contains(text, "Write down") {
		r.Findings = append(r.Findings, tone.Finding{Rule: "style", Severity: tone.SeverityWarning})
	}
	if strings.Contains(text, "notwithstanding") {
		r.Grade = 14
	}
	return r
}

// Each folder under testdata breaks one rule once; valid breaks none.
func TestLintFixtures(t *testing.T) {
	tests := []struct {
		dir, field, message string
	}{
		{"unknown_field", "", `line 43: unknown field "colour"`},
		{"unknown_nested_field", "", `unknown field "assignee"`},
		{"bad_yaml", "", "line"},
		{"wrong_type", "", "line 5: found text `Write d...` where a list belongs"},
		{"empty_file", "", "the file is empty"},
		{"two_documents", "", "more than one document"},
		{"missing_kind", "kind", "is missing; use one of clicked_link"},
		{"unknown_kind", "kind", `"phishing" is not a kind`},
		{"duplicate_kind", "kind", `"other" already has a playbook in a.yaml`},
		{"missing_title", "title", "is missing"},
		{"missing_message", "message", "is missing"},
		{"no_first_aid", "first_aid", "has no steps"},
		{"bad_severity", "severity", `"urgent" is not a severity`},
		{"missing_question_text", "questions[when].text", "is missing"},
		{"bad_id", "tasks[Triage Report].id", "is not an id"},
		{"duplicate_question_id", "questions[when].id", `"when" is used twice in questions`},
		{"duplicate_task_id", "tasks[triage].id", `"triage" is used twice in tasks`},
		{"unknown_type", "questions[when].type", `"number" is not a question type`},
		{"choice_without_options", "questions[device].options", "needs at least two options"},
		{"options_on_yes_no", "questions[shared].options", "only choice questions take options"},
		{"duplicate_option", "questions[where].options[3]", `"at home" is listed twice`},
		{"unknown_phase", "tasks[triage].phase", `"triage" is not a phase`},
		{"unknown_owner", "tasks[triage].owner", `"lead" is not an owner`},
		{"bad_due_in", "tasks[triage].due_in", `"soon" is not a duration`},
		{"missing_due_in", "tasks[triage].due_in", "is missing or zero"},
		{"rule_unknown_question", "severity_rules[1].when.typed", `refers to question "typed"`},
		{"rule_bad_severity", "severity_rules[1].severity", `"huge" is not a severity`},
		{"rule_impossible_yes_no", "severity_rules[1].when.shared", `"maybe" is not a possible answer`},
		{"rule_impossible_choice", "severity_rules[2].when.where", `"On the moon" is not a possible answer`},
		{"rule_free_answer", "severity_rules[1].when.when", "is type time, whose answers are free"},
		{"rule_no_conditions", "severity_rules[1].when", "has no conditions"},
		{"rule_never_raises", "severity_rules[1].severity", "never raises the starting severity"},
		{"missing_template", "templates.update", "is missing"},
		{"unknown_placeholder", "templates.update", "{case} is not a placeholder"},
		{"sla_missing_severity", "sla.critical", "is missing"},
		{"sla_unknown_severity", "sla.urgent", `"urgent" is not a severity`},
		{"sla_bad_duration", "sla.critical.resolve", `"forever" is not a duration`},
		{"sla_ack_after_resolve", "sla.low", "acknowledge (6d) is later than resolve (5d)"},
		{"tone_error", "first_aid[2]", `blame (why-did-you): "Why did you": asks for a defence; try: What happened next?`},
		{"tone_grade", "first_aid[2]", "reads at grade 14.0, above 8"},
		{"first_aid_unknown_question", "first_aid[2].when.typed", `refers to question "typed"`},
		{"first_aid_impossible_answer", "first_aid[2].when.shared", `"maybe" is not a possible answer`},
		{"first_aid_otherwise_alone", "first_aid[2].otherwise", "only a step with when has an otherwise"},
		{"first_aid_unknown_field", "", `unknown field "if" in a first-aid step`},
		{"done_when_unknown", "tasks[write-down].done_when", `"email_sent" is not an event`},
	}
	fixtures, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	if len(fixtures) != len(tests)+1 { // and valid
		t.Errorf("testdata has %d folders, the table %d (+ valid): give each fixture a row", len(fixtures), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			ps, err := Lint(os.DirFS("testdata/"+tt.dir), fakeTone{})
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 1 {
				t.Fatalf("want 1 problem, got %d:\n%v", len(ps), Problems(ps))
			}
			p := ps[0]
			if p.File == "" || p.Field != tt.field || !strings.Contains(p.Message, tt.message) {
				t.Errorf("got %s\nwant field %q, message containing %q", p, tt.field, tt.message)
			}
		})
	}
	t.Run("valid", func(t *testing.T) {
		if ps, err := Lint(os.DirFS("testdata/valid"), fakeTone{}); err != nil || len(ps) != 0 {
			t.Errorf("Lint = %v, %v; want no problems", Problems(ps), err)
		}
	})
}

func TestLintNamesTheText(t *testing.T) {
	ps, _ := Lint(os.DirFS("testdata/tone_grade"), fakeTone{})
	if len(ps) != 1 || !strings.HasPrefix(ps[0].Text, "Immediately disconnect") {
		t.Fatalf("problems = %v; want the text at fault", Problems(ps))
	}
	want := `other.yaml: first_aid[2]: "Immediately disconnect`
	if !strings.HasPrefix(ps[0].String(), want) {
		t.Errorf("String() = %q; want prefix %q", ps[0].String(), want)
	}
}

func TestLintUnreadable(t *testing.T) {
	if _, err := Lint(os.DirFS("testdata/no such folder"), fakeTone{}); err == nil {
		t.Error("Lint of a missing folder: want an error")
	}
}

// The embedded defaults read clean with the real tone engine.
func TestDefaultsLintClean(t *testing.T) {
	ps, err := Lint(DefaultFS(), tone.Default())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		t.Error(p)
	}
}

// Templates are read with their placeholders filled, as a reporter sees them.
func TestWordingFillsTemplates(t *testing.T) {
	var seen []string
	rec := recorder(func(s string) { seen = append(seen, s) })
	p := &Playbook{Templates: map[string]string{"acknowledge": "Hi {first_name}, about {ref}."}}
	wording("x.yaml", p, rec)
	if len(seen) != 1 || seen[0] != "Hi Sam, about AL-1042." {
		t.Errorf("engine read %q; want the filled template", seen)
	}
}

type recorder func(string)

func (r recorder) Check(text string, _ tone.Audience) tone.Result {
	r(text)
	return tone.Result{}
}
