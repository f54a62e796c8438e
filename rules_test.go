package ally_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailin"
	"github.com/allydesk/ally/mailscan"
	"github.com/allydesk/ally/tone"
)

// TestSignalCaseSummary: the case a signal becomes is summarised as its
// type's title and the sender's words, cut within MaxSummary bytes without
// breaking a character.
func TestSignalCaseSummary(t *testing.T) {
	s := &ally.Signal{Summary: "Sign-in from Lisbon"}
	if got := s.CaseSummary("New sign-in"); got != "New sign-in: Sign-in from Lisbon" {
		t.Errorf("CaseSummary = %q", got)
	}
	s.Summary = strings.Repeat("é", ally.MaxSummary) // two bytes each
	got := s.CaseSummary("Odd")
	if len(got) > ally.MaxSummary || !utf8.ValidString(got) || !strings.HasPrefix(got, "Odd: é") {
		t.Errorf("long CaseSummary: %d bytes, valid=%t, %.20q", len(got), utf8.ValidString(got), got)
	}
}

// TestSecretOverlap: a rotated webhook secret signs on for no time up to a
// week, never less nor more.
func TestSecretOverlap(t *testing.T) {
	for d, ok := range map[time.Duration]bool{0: true, time.Hour: true, ally.MaxSecretOverlap: true,
		-time.Second: false, ally.MaxSecretOverlap + time.Second: false} {
		if err := ally.CheckSecretOverlap(d); (err == nil) != ok || (err != nil && ally.ErrorCode(err) != ally.EINVALID) {
			t.Errorf("CheckSecretOverlap(%v) = %v", d, err)
		}
	}
}

// TestAnalysisNote: responders' note names the file, verdict, score and
// every signal, or says there were none.
func TestAnalysisNote(t *testing.T) {
	r := &mailscan.Report{Verdict: "malicious", Score: 92,
		Signals: []mailscan.Signal{{ID: "lookalike-domain"}, {ID: "credential-form"}}}
	if got, want := ally.AnalysisNote("invoice.eml", r),
		"Email analysis of invoice.eml: malicious (score 92). Signals: lookalike-domain, credential-form."; got != want {
		t.Errorf("AnalysisNote = %q, want %q", got, want)
	}
	r.Signals = nil
	if got, want := ally.AnalysisNote("a.eml", r), "Email analysis of a.eml: malicious (score 92). No signals."; got != want {
		t.Errorf("AnalysisNote without signals = %q, want %q", got, want)
	}
}

// TestCampaignTakesAutoVerdict: a campaign's automatic verdict is its first
// analysed email's, then only a more worrying one's.
func TestCampaignTakesAutoVerdict(t *testing.T) {
	c := &ally.Campaign{}
	if !c.TakesAutoVerdict(0) {
		t.Error("a campaign without a verdict does not take the first")
	}
	c.AutoVerdict, c.AutoScore = "suspicious", 50
	for score, want := range map[int]bool{49: false, 50: false, 51: true} {
		if got := c.TakesAutoVerdict(score); got != want {
			t.Errorf("TakesAutoVerdict(%d) over 50 = %t, want %t", score, got, want)
		}
	}
}

// TestRetentionCutoff: a rule of N days applies to cases closed N days ago
// or earlier.
func TestRetentionCutoff(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	if got, want := (ally.RetentionRule{Days: 30}).Cutoff(now), time.Date(2026, 11, 7, 9, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Cutoff = %v, want %v", got, want)
	}
}

// TestMailOutcomeOf: automatic mail with nothing reported is ignored (an
// automatic forward of a report still counts), practice emails only are
// counted, anything else opens a case.
func TestMailOutcomeOf(t *testing.T) {
	practice := []mailin.Reported{{Name: "a.eml", Simulation: "X-PHISHTEST"}}
	real := []mailin.Reported{{Name: "b.eml"}}
	for _, tc := range []struct {
		name  string
		m     mailin.Message
		files int
		want  ally.MailOutcome
	}{
		{"auto reply", mailin.Message{AutoReply: true}, 0, ally.MailIgnored},
		{"auto forward of a report", mailin.Message{AutoReply: true, Reported: real}, 1, ally.MailOpened},
		{"practice email", mailin.Message{Reported: practice}, 1, ally.MailSimulation},
		{"practice and real", mailin.Message{Reported: append(practice, real...)}, 2, ally.MailOpened},
		{"words only", mailin.Message{}, 0, ally.MailOpened},
	} {
		if got := ally.MailOutcomeOf(&tc.m, tc.files); got != tc.want {
			t.Errorf("%s: MailOutcomeOf = %s, want %s", tc.name, got, tc.want)
		}
	}
	if got := ally.OpenedReply("AL-1042"); !strings.Contains(got, "Your reference is AL-1042.") {
		t.Errorf("OpenedReply = %q", got)
	}
}

// TestWithinAndFirstName: mail promises a target rounded up, never sooner,
// and greets people by their first name.
func TestWithinAndFirstName(t *testing.T) {
	for d, want := range map[time.Duration]string{30 * time.Minute: "within 30 minutes", time.Minute: "within 1 minute",
		90 * time.Minute: "within 2 hours", 48 * time.Hour: "within 48 hours", 49 * time.Hour: "within 3 days"} {
		if got := ally.Within(d); got != want {
			t.Errorf("Within(%v) = %q, want %q", d, got, want)
		}
	}
	if ally.FirstName("Riley Chen") != "Riley" || ally.FirstName("  ") != "there" {
		t.Error("FirstName")
	}
}

// TestSignalWords: what a person reads about their answer on their case
// passes the tone engine for reporters (grade 8 or lower), for each answer
// that makes a case; responders read why it became one, for every reason.
func TestSignalWords(t *testing.T) {
	for _, a := range []string{ally.AnswerNo, ally.AnswerNotSure, ally.AnswerTimeout} {
		text := ally.SignalThanks(a)
		r := tone.Default().Check(text, tone.AudienceReporter)
		if text == "" || r.HasError() || r.Grade > 8 {
			t.Errorf("SignalThanks(%s) = %q: grade %.1f findings %+v", a, text, r.Grade, r.Findings)
		}
	}
	reasons := map[string]bool{}
	for _, a := range []string{ally.AnswerNo, ally.AnswerNotSure, ally.AnswerTimeout, ally.AnswerNoAccount} {
		reasons[ally.EscalationReason(a)] = true
	}
	if len(reasons) != 4 {
		t.Errorf("EscalationReason gives %d different reasons for 4 answers", len(reasons))
	}
	for name, ok := range map[string]bool{"okta": true, "siem-prod": true, "": false, "-x": false, "Okta": false,
		strings.Repeat("a", 61): false} {
		if ally.ValidIntegrationName(name) != ok {
			t.Errorf("ValidIntegrationName(%q) = %t", name, !ok)
		}
	}
}

// TestDigestLine: a digest says each gathered event in one line naming
// its case.
func TestDigestLine(t *testing.T) {
	for event, want := range map[string]string{
		ally.NotifyAssigned:      "AL-1042 is now yours: Odd email",
		ally.NotifyReporterWrote: "Sam Taylor wrote on AL-1042 (Odd email)",
		ally.NotifyCritical:      "Critical: AL-1042 (Odd email)",
	} {
		if got := ally.DigestLine(event, "AL-1042", "Sam Taylor", "Odd email"); got != want {
			t.Errorf("DigestLine(%s) = %q, want %q", event, got, want)
		}
	}
}

// TestUrgent: only a critical case that is still open asks its reporter to
// call now.
func TestUrgent(t *testing.T) {
	for _, tc := range []struct {
		sev  ally.Severity
		st   ally.Status
		want bool
	}{
		{ally.SeverityCritical, ally.StatusNew, true}, {ally.SeverityCritical, ally.StatusResolved, false},
		{ally.SeverityHigh, ally.StatusNew, false}, {ally.SeverityCritical, ally.StatusClosed, false},
	} {
		if got := (&ally.Case{Severity: tc.sev, Status: tc.st}).Urgent(); got != tc.want {
			t.Errorf("Urgent(%s, %s) = %t", tc.sev, tc.st, got)
		}
	}
}
