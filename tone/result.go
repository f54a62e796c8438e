// Package tone reads what a responder writes and finds blame, condescension,
// threats and unexplained jargon, explains why each hurts, and suggests a
// kinder phrasing. It is pure: no I/O beyond its embedded rules.
package tone

// Audience is who will read the text.
type Audience string

// Audiences.
const (
	AudienceReporter  Audience = "reporter"
	AudienceResponder Audience = "responder"
)

// Severity of a finding.
type Severity string

// Finding severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Finding is one explained problem in a text. Start and End count Unicode
// code points.
type Finding struct {
	Rule       string   `json:"rule"`
	Category   string   `json:"category"`
	Severity   Severity `json:"severity"`
	Start      int      `json:"start"`
	End        int      `json:"end"`
	Match      string   `json:"match"`
	Message    string   `json:"message"`
	Suggestion string   `json:"suggestion"`
}

// Scores rate a text from 0 to 100.
type Scores struct {
	Blame   int `json:"blame"`
	Warmth  int `json:"warmth"`
	Clarity int `json:"clarity"`
}

// Result is the tone engine's reading of one text. Blame is true exactly
// when an error-level finding of a blaming category is present.
type Result struct {
	Blame    bool      `json:"blame"`
	Scores   Scores    `json:"scores"`
	Grade    float64   `json:"grade"`
	Findings []Finding `json:"findings"`
}

// HasError reports whether any finding is at error level.
func (r *Result) HasError() bool {
	for _, f := range r.Findings {
		if f.Severity == SeverityError {
			return true
		}
	}
	return false
}
