package tone

// ExampleFailure is a rule example that the engine did not treat as written:
// a Match example the rule missed, or a Clean example it flagged.
type ExampleFailure struct {
	Rule      string
	Text      string
	WantMatch bool
	Findings  []Finding // everything the engine found in Text
}

// TestRules checks every rule's examples and returns the failures; none
// means every example behaves. It also returns how many examples it ran.
func (e *Engine) TestRules() (failures []ExampleFailure, ran int) {
	for i := range e.rules {
		r := &e.rules[i]
		aud := r.Audience
		if aud == "" {
			aud = AudienceReporter
		}
		for _, group := range []struct {
			texts []string
			want  bool
		}{{r.Examples.Match, true}, {r.Examples.Clean, false}} {
			for _, text := range group.texts {
				ran++
				res := e.Check(text, aud)
				if res.has(r.ID) != group.want {
					failures = append(failures, ExampleFailure{Rule: r.ID, Text: text, WantMatch: group.want, Findings: res.Findings})
				}
			}
		}
	}
	return failures, ran
}

// has reports whether a finding of the rule is present.
func (r *Result) has(rule string) bool {
	for _, f := range r.Findings {
		if f.Rule == rule {
			return true
		}
	}
	return false
}
