package ally

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// Signals are alerts about a person from another security tool (a SIEM, the
// identity provider, EDR), sent by an integration. Ally asks the person
// first, kindly: "yes, that was me" closes the signal; "no", "not sure" or
// no answer within the type's timeout makes it a case. The types (what to
// ask, the timeout, the case it becomes) are data: package signals.

// Signal states.
const (
	SignalAsking    = "asking"    // waiting for the person's answer
	SignalConfirmed = "confirmed" // the person said it was them (or it was quiet after a recent yes)
	SignalEscalated = "escalated" // it became a case
)

// Answers a person can give to a signal's question.
const (
	AnswerYes     = "yes"      // "Yes, that was me"
	AnswerNo      = "no"       // "No, that wasn't me"
	AnswerNotSure = "not_sure" // "I'm not sure"
)

// Why a signal's answer is what it is, beyond the person's own answers.
const (
	AnswerTimeout   = "timeout"    // nobody answered in time
	AnswerQuiet     = "quiet"      // the person said yes to this type recently
	AnswerNoAccount = "no_account" // nobody with that email to ask
)

// SignalAnswers lists the answers, in the order the page shows them.
var SignalAnswers = []string{AnswerYes, AnswerNo, AnswerNotSure}

// Limits on a signal, in bytes.
const (
	MaxSignalBody    = 64 << 10 // the whole JSON body
	MaxSignalDetails = 20000
	MaxSignalShort   = 200 // source, type, dedup_key
	MaxSignalTimeout = 7 * 24 * time.Hour
)

// NewSignal is what an integration sends (POST /api/v1/signals).
type NewSignal struct {
	Source       string     `json:"source"`
	Type         string     `json:"type"`
	SubjectEmail string     `json:"subject_email"`
	Summary      string     `json:"summary"`
	Details      string     `json:"details"`
	Severity     Severity   `json:"severity"`
	OccurredAt   *time.Time `json:"occurred_at"`
	DedupKey     string     `json:"dedup_key"`
	// Timeout in seconds overrides the type's; 0 keeps it.
	Timeout int64 `json:"timeout"`
}

// Validate checks and normalises a new signal, returning EINVALID naming
// the first bad field. The type is checked against the known types by the
// service.
func (n *NewSignal) Validate() error {
	n.Source, n.Type = strings.TrimSpace(n.Source), strings.TrimSpace(n.Type)
	n.SubjectEmail = strings.ToLower(strings.TrimSpace(n.SubjectEmail))
	n.Summary, n.Details = strings.TrimSpace(n.Summary), strings.TrimSpace(n.Details)
	n.DedupKey = strings.TrimSpace(n.DedupKey)
	a, err := mail.ParseAddress(n.SubjectEmail)
	switch {
	case n.Source == "" || len(n.Source) > MaxSignalShort:
		return Errorf(EINVALID, "source: is required: the tool that raised it, e.g. \"okta\" (at most %d characters).",
			MaxSignalShort)
	case n.Type == "" || len(n.Type) > MaxSignalShort:
		return Errorf(EINVALID, "type: is required; GET /api/v1/signal-types lists the types.")
	case err != nil || a.Address != n.SubjectEmail:
		return Errorf(EINVALID, "subject_email: %q is not an email address; give the person's work email.",
			truncate(n.SubjectEmail, 100))
	case n.Summary == "" || len(n.Summary) > MaxSummary:
		return Errorf(EINVALID, "summary: is required, in a few words the person will read (at most %d characters).",
			MaxSummary)
	case len(n.Details) > MaxSignalDetails:
		return Errorf(EINVALID, "details: is longer than %d characters.", MaxSignalDetails)
	case n.Severity != "" && !n.Severity.Valid():
		return Errorf(EINVALID, "severity: %q is not a severity; choose one of %s, or leave it out.", n.Severity,
			list(Severities))
	case len(n.DedupKey) > MaxSignalShort:
		return Errorf(EINVALID, "dedup_key: is longer than %d characters.", MaxSignalShort)
	case n.Timeout < 0 || time.Duration(n.Timeout)*time.Second > MaxSignalTimeout:
		return Errorf(EINVALID, "timeout: must be a number of seconds from 1 to %d, or left out.",
			int64(MaxSignalTimeout/time.Second))
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Signal is a stored signal, as its sender and responders see it.
type Signal struct {
	ID           int64      `json:"id"`
	Source       string     `json:"source"`
	Type         string     `json:"type"`
	SubjectEmail string     `json:"subject_email"`
	Summary      string     `json:"summary"`
	Severity     Severity   `json:"severity"`
	Status       string     `json:"status"`
	Answer       string     `json:"answer,omitempty"` // yes, no, not_sure, or timeout
	CaseRef      string     `json:"case_ref,omitempty"`
	OccurredAt   *time.Time `json:"occurred_at,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	Deadline     time.Time  `json:"deadline"`
	AnsweredAt   *time.Time `json:"answered_at,omitempty"`
	// Duplicate is set when the signal was sent before within its dedup
	// window: this is the earlier one.
	Duplicate bool `json:"duplicate,omitempty"`
	// Quiet is set when the person said "yes" to the same kind of signal
	// recently, so they were not asked again.
	Quiet bool `json:"quiet,omitempty"`

	SenderID int64 `json:"-"`
}

// SignalQuestion is what the answer page shows the person.
type SignalQuestion struct {
	ID       int64
	Question string // filled in, tone-checked wording
	Status   string
	Answer   string
	Yes, No  string // what the type says after "yes", and after "no" or "not sure"
}

// SignalService takes signals in and records the person's answers.
type SignalService interface {
	// SendSignal stores a signal and asks its subject, or returns the one
	// already sent with the same dedup key within its window (Duplicate
	// set). Errors: EINVALID (unknown type, bad field), EUNAUTHORIZED,
	// EFORBIDDEN (not an integration).
	SendSignal(ctx context.Context, n *NewSignal) (*Signal, error)
	// FindSignal returns a signal for responders and the integration that
	// sent it. Errors: ENOTFOUND, EUNAUTHORIZED.
	FindSignal(ctx context.Context, id int64) (*Signal, error)
	// SignalQuestion returns the question behind an answer link; it needs
	// no sign-in, only the link's token. Errors: ENOTFOUND (forged or
	// unknown link).
	SignalQuestion(ctx context.Context, id int64, token string) (*SignalQuestion, error)
	// AnswerSignal records the person's answer by the link's token: yes
	// closes the signal, no and not sure make it a case. Errors: ENOTFOUND
	// (forged link), ECONFLICT (already answered or timed out), EINVALID.
	AnswerSignal(ctx context.Context, id int64, token, answer string) (*Signal, error)
	// MySignals lists the questions waiting for the signed-in person, with
	// their answer links. Errors: EUNAUTHORIZED.
	MySignals(ctx context.Context) ([]*SignalNotice, error)
	// SignalStats sums up the signals received from from until to, for
	// leads, admins and the operator (/metrics). Errors: EUNAUTHORIZED,
	// EFORBIDDEN.
	SignalStats(ctx context.Context, from, to time.Time) (*SignalStats, error)
}

// SignalNotice is a question waiting for the signed-in person, shown on
// their home page.
type SignalNotice struct {
	ID       int64
	Question string
	Link     string // the answer page's path on this server
}

// SignalTimeouts is what the timeout worker needs: every signal still
// asking past its deadline becomes a case.
type SignalTimeouts interface {
	// EscalateDue escalates up to limit signals past their deadline and
	// returns how many. Only the server's own workers call it.
	EscalateDue(ctx context.Context, limit int) (int, error)
}

// SignalStats sums up the signals received in a period. An escalation
// counts as real unless a responder lowered its case to low severity (the
// way to say it was nothing).
type SignalStats struct {
	Received  int `json:"received"`
	Answered  int `json:"answered"` // by the person: yes, no or not sure
	Confirmed int `json:"confirmed"`
	Escalated int `json:"escalated"`
	Real      int `json:"escalations_real"`
	// Shares of Received (AnsweredShare, EscalatedShare) and of Escalated
	// (RealShare); nil when there is nothing to divide.
	AnsweredShare  *float64 `json:"answered_share"`
	EscalatedShare *float64 `json:"escalated_share"`
	RealShare      *float64 `json:"real_share"`
	// MedianAnswerSeconds is the nearest-rank median time from a signal to
	// the person's answer; nil when nobody answered.
	MedianAnswerSeconds *float64 `json:"median_answer_seconds"`
}

// CaseSummary is the summary of the case s becomes: its type's title, then
// what the sender said, cut to MaxSummary bytes at a character boundary.
func (s *Signal) CaseSummary(title string) string {
	summary := title + ": " + s.Summary
	if len(summary) > MaxSummary {
		summary = summary[:MaxSummary]
	}
	return strings.ToValidUTF8(summary, "")
}

// EscalationReason says, for responders, why the signal became a case.
func EscalationReason(answer string) string {
	switch answer {
	case AnswerNo:
		return "The person said it was not them."
	case AnswerNotSure:
		return "The person was not sure it was them."
	case AnswerTimeout:
		return "The person did not answer in time."
	}
	return "Nobody has an account with that email, so nobody was asked."
}

// SignalThanks is what the person reads on their case about their answer.
func SignalThanks(answer string) string {
	switch answer {
	case AnswerNo:
		return "You told us this wasn't you. Thank you, that helps us act fast."
	case AnswerNotSure:
		return "You said you were not sure. Thank you, that helps us check quickly."
	case AnswerTimeout:
		return "We asked you about this and did not hear back, so the security team is taking a look. " +
			"There is nothing you need to do unless they ask."
	}
	return ""
}

// ValidIntegrationName reports whether s can name an integration.
func ValidIntegrationName(s string) bool {
	if s == "" || len(s) > 60 || s[0] == '-' {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}
