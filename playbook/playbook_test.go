package playbook

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

func TestDefaultsCoverEveryKind(t *testing.T) {
	set := Default()
	if got := set.Kinds(); !slices.Equal(got, kinds) {
		t.Fatalf("Kinds() = %v; want %v", got, kinds)
	}
	for _, p := range set.All() {
		owners := map[string]bool{}
		for _, task := range p.Tasks {
			owners[task.Owner] = true
		}
		if !owners["responder"] || !owners["reporter"] || len(p.Questions) < 3 || len(p.FirstAid) < 3 {
			t.Errorf("%s: want tasks for both sides, 3+ questions and 3+ first-aid steps", p.Kind)
		}
	}
}

func TestSeverityFor(t *testing.T) {
	yes := "yes"
	tests := []struct {
		kind    string
		answers map[string]string
		want    string
	}{
		{"clicked_link", nil, "medium"},
		{"clicked_link", map[string]string{"typed_password": "no"}, "medium"},
		{"clicked_link", map[string]string{"typed_password": " Yes "}, "high"},
		{"clicked_link", map[string]string{"approved_prompt": yes}, "high"},
		{"clicked_link", map[string]string{"downloaded": yes}, "high"},
		{"clicked_link", map[string]string{"typed_password": yes, "approved_prompt": yes}, "critical"},
		{"entered_credentials", nil, "high"},
		{"entered_credentials", map[string]string{"approved_prompt": yes}, "critical"},
		{"opened_attachment", map[string]string{"enabled_content": yes}, "high"},
		{"opened_attachment", map[string]string{"odd_behavior": yes}, "high"},
		{"opened_attachment", map[string]string{"typed_password": yes}, "high"},
		{"opened_attachment", map[string]string{"enabled_content": yes, "odd_behavior": yes}, "critical"},
		{"unexpected_mfa_prompt", map[string]string{"got_call": yes}, "medium"},
		{"unexpected_mfa_prompt", map[string]string{"approved": yes}, "high"},
		{"unexpected_mfa_prompt", map[string]string{"gave_code": yes}, "high"},
		{"unexpected_mfa_prompt", map[string]string{"how_many": "more than five"}, "high"},
		{"unexpected_mfa_prompt", map[string]string{"approved": yes, "got_call": yes}, "critical"},
		{"lost_device", map[string]string{"customer_data": "no", "encrypted": "no"}, "medium"},
		{"lost_device", map[string]string{"customer_data": yes, "encrypted": "not sure"}, "high"},
		{"lost_device", map[string]string{"locked": "no"}, "high"},
		{"lost_device", map[string]string{"customer_data": yes, "encrypted": "no"}, "critical"},
		{"lost_device", map[string]string{"customer_data": yes, "device_type": "USB stick or drive"}, "critical"},
		{"misdirected_data", map[string]string{"outside": yes}, "medium"},
		{"misdirected_data", map[string]string{"outside": yes, "personal_data": yes}, "high"},
		{"misdirected_data", map[string]string{"special_data": yes}, "high"},
		{"misdirected_data", map[string]string{"outside": yes, "special_data": yes}, "critical"},
		{"misdirected_data", map[string]string{"outside": yes, "how_many_people": "More than 100"}, "critical"},
		{"malware_warning", nil, "medium"},
		{"malware_warning", map[string]string{"clicked_warning": yes}, "high"},
		{"malware_warning", map[string]string{"called_number": yes}, "high"},
		{"malware_warning", map[string]string{"remote_access": yes}, "high"},
		{"malware_warning", map[string]string{"files_changed": yes}, "critical"},
		{"suspicious_call", nil, "low"},
		{"suspicious_call", map[string]string{"gave_password": yes}, "high"},
		{"suspicious_call", map[string]string{"installed_app": yes}, "high"},
		{"suspicious_call", map[string]string{"paid": yes, "gave_password": yes}, "critical"},
		{"suspicious_email", nil, "low"},
		{"suspicious_email", map[string]string{"clicked": yes}, "medium"},
		{"suspicious_email", map[string]string{"replied": yes}, "medium"},
		{"suspicious_email", map[string]string{"asked_for": "pay or change bank details"}, "medium"},
		{"suspicious_email", map[string]string{"typed_password": yes, "clicked": yes}, "high"},
		{"other", nil, "low"},
		{"other", map[string]string{"still_happening": yes}, "medium"},
		{"other", map[string]string{"customer_data": yes}, "medium"},
		{"other", map[string]string{"shared_password": yes}, "high"},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		p, ok := Default().Get(tt.kind)
		if !ok {
			t.Fatalf("no playbook for %s", tt.kind)
		}
		covered[tt.kind] = true
		if got := p.SeverityFor(tt.answers); got != tt.want {
			t.Errorf("%s.SeverityFor(%v) = %s; want %s", tt.kind, tt.answers, got, tt.want)
		}
	}
	if len(covered) != len(ally.Kinds) {
		t.Errorf("the table covers %d kinds; want all %d", len(covered), len(ally.Kinds))
	}
}

// Every default rule fires on its own answers.
func TestEveryDefaultRuleFires(t *testing.T) {
	for _, p := range Default().All() {
		for i, r := range p.SeverityRules {
			got := ally.Severity(p.SeverityFor(r.When))
			if got.Rank() < ally.Severity(r.Severity).Rank() {
				t.Errorf("%s severity_rules[%d]: SeverityFor(%v) = %s; want at least %s", p.Kind, i+1, r.When, got, r.Severity)
			}
		}
	}
}

func TestSeverityForNeverLowers(t *testing.T) {
	p := &Playbook{Severity: "high", SeverityRules: []SeverityRule{{When: map[string]string{"a": "yes"}, Severity: "low"}}}
	if got := p.SeverityFor(map[string]string{"a": "yes"}); got != "high" {
		t.Errorf("SeverityFor = %s; want high", got)
	}
	if got := (&Playbook{}).SeverityFor(nil); got != "medium" {
		t.Errorf("no starting severity: SeverityFor = %s; want medium", got)
	}
}

func TestTargets(t *testing.T) {
	p, _ := Default().Get("clicked_link")
	ack, res := p.Targets("critical")
	if ack.Minutes() != 5 || res.Hours() != 8 {
		t.Errorf("Targets(critical) = %v, %v; want 5m, 8h", ack, res)
	}
	if ack, res := p.Targets("unknown"); ack != 0 || res != 0 {
		t.Errorf("Targets(unknown) = %v, %v; want zero", ack, res)
	}
}

func TestFill(t *testing.T) {
	vars := map[string]string{"first_name": "Sam", "ref": "AL-1042", "next_update": "{ref}"}
	tests := []struct{ in, want string }{
		{"Hi {first_name}, {ref} is resolved.", "Hi Sam, AL-1042 is resolved."},
		{"By {next_update}.", "By {ref}."}, // values are never expanded again
		{"{unknown} and {first_name}", "{unknown} and Sam"},
		{"no placeholders {", "no placeholders {"},
	}
	for _, tt := range tests {
		if got := Fill(tt.in, vars); got != tt.want {
			t.Errorf("Fill(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want string // time.Duration's String, or "error"
	}{
		{"30m", "30m0s"}, {"1h30m", "1h30m0s"}, {"2d", "48h0m0s"}, {"1w", "168h0m0s"}, {"", "0s"},
		{"-1h", "error"}, {"-1d", "error"}, {"+1d", "error"}, {"d", "error"}, {"1.5d", "error"},
		{"soon", "error"}, {"99999999999d", "error"},
	}
	for _, tt := range tests {
		d, err := ParseDuration(tt.in)
		got := d.String()
		if err != nil {
			got = "error"
		}
		if got != tt.want {
			t.Errorf("ParseDuration(%q) = %s (%v); want %s", tt.in, got, err, tt.want)
		}
	}
}

func TestCheckAnswers(t *testing.T) {
	p, _ := Default().Get("lost_device")
	tests := []struct {
		answers map[string]string
		want    string // "" for no error
	}{
		{nil, ""},
		{map[string]string{"encrypted": "Not sure", "device_type": "laptop", "when": "yesterday", "where": "on the train"}, ""},
		{map[string]string{"encrypted": "maybe"}, `answers.encrypted: "maybe" is not an answer; use one of ["yes" "no" "not sure"]`},
		{map[string]string{"device_type": "Car"}, `answers.device_type: "Car" is not an answer`},
		{map[string]string{"colour": "red"}, "answers.colour: this playbook asks no such question"},
	}
	for _, tt := range tests {
		err := p.CheckAnswers(tt.answers)
		if (tt.want == "") != (err == nil) || err != nil && !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("CheckAnswers(%v) = %v; want %q", tt.answers, err, tt.want)
		}
	}
}

// TestFirstAidListens: steps with when follow the answers; plain steps stay
// plain text in JSON.
func TestFirstAidListens(t *testing.T) {
	p := mustGet(t, Default(), "clicked_link")
	typed := p.FirstAidFor(map[string]string{"typed_password": " Yes ", "downloaded": "no"})
	none := p.FirstAidFor(nil)
	has := func(steps []string, s string) bool {
		return slices.ContainsFunc(steps, func(x string) bool { return strings.HasPrefix(x, s) })
	}
	if !has(typed, "Change your password now from your phone") || has(typed, "If you typed a password") {
		t.Errorf("typed a password: %q", typed)
	}
	if !has(none, "If you typed a password") || has(none, "Change your password now") || has(none, "If your phone asks") {
		t.Errorf("no answers: %q", none)
	}
	if !has(typed, "If a file downloaded") || has(typed, "Do not open the file that downloaded") {
		t.Errorf("no download: %q", typed)
	}
	b, err := json.Marshal(p.FirstAid)
	if err != nil || !strings.HasPrefix(string(b), `["Close the page that opened.",`) || !strings.Contains(string(b), `"when":{"typed_password":"yes"}`) {
		t.Errorf("first aid as JSON: %s %v", b, err)
	}
}
