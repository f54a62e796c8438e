package ally

import (
	"slices"
	"strings"
	"testing"

	"github.com/allydesk/ally/tone"
)

// TestOutcomeWordsAreKind holds Ally's own words to reporters to its own
// standard: no error-level finding and reading grade 8 or lower.
func TestOutcomeWordsAreKind(t *testing.T) {
	for _, text := range AllCampaignOutcomes() {
		r := tone.Default().Check(text, tone.AudienceReporter)
		if r.HasError() || r.Grade > 8 {
			t.Errorf("%q: grade %.1f findings %+v", text, r.Grade, r.Findings)
		}
	}
	if len(AllCampaignOutcomes()) != 8 {
		t.Errorf("%d outcomes, want 5 verdicts and 3 of them blocked", len(AllCampaignOutcomes()))
	}
}

func TestCampaignDecision(t *testing.T) {
	no, yes := false, true
	for _, tc := range []struct {
		d       CampaignDecision
		valid   bool
		resolve bool
	}{
		{CampaignDecision{Verdict: "malicious"}, true, true},
		{CampaignDecision{Verdict: "clean", Resolve: &no}, true, false},
		{CampaignDecision{Verdict: "suspicious", Resolve: &yes}, true, true},
		{CampaignDecision{Verdict: "pending"}, false, true},
		{CampaignDecision{Verdict: ""}, false, true},
		{CampaignDecision{Verdict: "spam", Blocked: true}, true, true},
		{CampaignDecision{Verdict: "simulation"}, true, true},
		{CampaignDecision{Verdict: "clean", Blocked: true}, false, true},
		{CampaignDecision{Verdict: "simulation", Blocked: true}, false, true},
	} {
		err := tc.d.Validate()
		if (err == nil) != tc.valid || (err != nil && ErrorCode(err) != EINVALID) {
			t.Errorf("%q: Validate = %v, want valid %v", tc.d.Verdict, err, tc.valid)
		}
		if tc.d.Resolves() != tc.resolve {
			t.Errorf("%q: Resolves = %v, want %v", tc.d.Verdict, tc.d.Resolves(), tc.resolve)
		}
		if !tc.valid {
			continue
		}
		body := tc.d.Outcome().Body
		if !strings.HasPrefix(body, CampaignOutcomes[tc.d.Verdict]) || !tc.d.Outcome().Confirmed ||
			strings.Contains(body, "blocked") != tc.d.Blocked {
			t.Errorf("%+v: Outcome = %q (it may say blocked only when a responder blocked it)", tc.d, body)
		}
	}
}

// TestOutcomePromisesOnlyWhatWasDone: a reporter hears "blocked for
// everyone" only when the responder said it was blocked; otherwise they
// are asked to delete it. "Safe" never comes with "do not use its links".
func TestOutcomePromisesOnlyWhatWasDone(t *testing.T) {
	for _, tc := range []struct {
		d       CampaignDecision
		blocked bool
	}{
		{CampaignDecision{Verdict: "malicious"}, false},
		{CampaignDecision{Verdict: "malicious", Blocked: true}, true},
		{CampaignDecision{Verdict: "suspicious"}, false},
		{CampaignDecision{Verdict: "spam", Blocked: true}, true},
		{CampaignDecision{Verdict: "clean"}, false},
	} {
		body := tc.d.Outcome().Body
		if strings.Contains(body, "blocked") != tc.blocked || body == "" {
			t.Errorf("%+v: %q", tc.d, body)
		}
		if tc.d.Verdict != "clean" && !strings.Contains(body, "delete it") {
			t.Errorf("%+v: the reporter is not told what to do: %q", tc.d, body)
		}
		if strings.Contains(body, "safe, so") && strings.Contains(body, "links") {
			t.Errorf("%+v: safe and do-not-click together: %q", tc.d, body)
		}
	}
}

func TestCampaignShowTo(t *testing.T) {
	resp := &User{ID: 5, Role: RoleResponder}
	linked := []*Case{
		{Ref: "AL-1001", ReporterID: 1},
		{Ref: "AL-1002", ReporterID: 2, Confidential: true},
		{Ref: "AL-1003", ReporterID: 3, Confidential: true, AssigneeID: 5},
	}
	for _, tc := range []struct {
		name   string
		u      *User
		cases  []string
		hidden int
	}{
		{"responder", resp, []string{"AL-1001", "AL-1003"}, 1},
		{"lead", &User{ID: 9, Role: RoleLead}, []string{"AL-1001", "AL-1002", "AL-1003"}, 0},
	} {
		c := (&Campaign{}).ShowTo(tc.u, linked)
		if !slices.Equal(c.Cases, tc.cases) || c.HiddenCases != tc.hidden {
			t.Errorf("%s: cases %v hidden %d, want %v %d", tc.name, c.Cases, c.HiddenCases, tc.cases, tc.hidden)
		}
	}
}

// TestSeverityAfterAnalysis: a malicious email raises a case to high, with
// the reason; it never lowers one, and other verdicts change nothing.
func TestSeverityAfterAnalysis(t *testing.T) {
	for _, tc := range []struct {
		sev     Severity
		verdict string
		want    Severity
	}{
		{SeverityLow, "malicious", SeverityHigh},
		{SeverityMedium, "malicious", SeverityHigh},
		{SeverityHigh, "malicious", SeverityHigh},
		{SeverityCritical, "malicious", SeverityCritical},
		{SeverityLow, "suspicious", SeverityLow},
		{SeverityMedium, "clean", SeverityMedium},
	} {
		got, reason := SeverityAfterAnalysis(&Case{Severity: tc.sev}, "invoice.eml", tc.verdict, 92)
		if got != tc.want || (got != tc.sev) != (reason != "") {
			t.Errorf("%s %s: %s %q", tc.sev, tc.verdict, got, reason)
		}
		if reason != "" && !strings.Contains(reason, "invoice.eml malicious (score 92)") {
			t.Errorf("reason %q", reason)
		}
	}
}
