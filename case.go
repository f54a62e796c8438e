package ally

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind is what happened, in the reporter's terms.
type Kind string

// The kinds of incident a person can report.
const (
	KindSuspiciousEmail     Kind = "suspicious_email"
	KindClickedLink         Kind = "clicked_link"
	KindEnteredCredentials  Kind = "entered_credentials"
	KindOpenedAttachment    Kind = "opened_attachment"
	KindUnexpectedMFAPrompt Kind = "unexpected_mfa_prompt"
	KindLostDevice          Kind = "lost_device"
	KindMisdirectedData     Kind = "misdirected_data"
	KindMalwareWarning      Kind = "malware_warning"
	KindSuspiciousCall      Kind = "suspicious_call"
	KindOther               Kind = "other"
)

// Kinds lists every kind in the order the report form shows them.
var Kinds = []Kind{KindClickedLink, KindEnteredCredentials, KindOpenedAttachment,
	KindUnexpectedMFAPrompt, KindLostDevice, KindMisdirectedData, KindMalwareWarning,
	KindSuspiciousCall, KindSuspiciousEmail, KindOther}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return contains(Kinds, k) }

// Status is where a case is in its life.
type Status string

// Case statuses, in order.
const (
	StatusNew           Status = "new"
	StatusAcknowledged  Status = "acknowledged"
	StatusInvestigating Status = "investigating"
	StatusContained     Status = "contained"
	StatusResolved      Status = "resolved"
	StatusClosed        Status = "closed"
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{StatusNew, StatusAcknowledged, StatusInvestigating,
	StatusContained, StatusResolved, StatusClosed}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return contains(Statuses, s) }

// Open reports whether a case in status s still needs work.
func (s Status) Open() bool { return s != StatusResolved && s != StatusClosed }

// Urgent reports whether c's reporter should call the security desk now
// rather than wait for a reply: the case is critical and still open.
func (c *Case) Urgent() bool { return c.Severity == SeverityCritical && c.Status.Open() }

func (s Status) rank() int {
	for i, v := range Statuses {
		if v == s {
			return i
		}
	}
	return -1
}

// CanMoveTo reports whether a case may go from s to next: forward one or more
// steps while open (skipping is allowed), resolved to closed, and resolved or
// closed back to investigating (reopening).
func (s Status) CanMoveTo(next Status) bool {
	switch {
	case !next.Valid() || s == next:
		return false
	case s.Open():
		return next.rank() > s.rank()
	case s == StatusResolved:
		return next == StatusClosed || next == StatusInvestigating
	default: // closed
		return next == StatusInvestigating
	}
}

// Severity is how much harm a case may cause.
type Severity string

// Severities, lowest first.
const (
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Severities lists every severity, lowest first.
var Severities = []Severity{SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}

// Valid reports whether s is a known severity.
func (s Severity) Valid() bool { return contains(Severities, s) }

// Rank orders severities: low 0 … critical 3, unknown -1.
func (s Severity) Rank() int {
	for i, v := range Severities {
		if v == s {
			return i
		}
	}
	return -1
}

// Max returns the higher of two severities.
func (s Severity) Max(o Severity) Severity {
	if o.Rank() > s.Rank() {
		return o
	}
	return s
}

// Person is the public face of a user on a case.
type Person struct {
	Email      string `json:"email"`
	Name       string `json:"name"`
	Department string `json:"department,omitempty"`
}

// FirstName is the first word of a name, or "there" ("Hi there"), as mail
// greets people.
func FirstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return "there"
}

// Guidance is what the reporter is told right after reporting.
type Guidance struct {
	Message string   `json:"message"`
	Steps   []string `json:"steps"`
}

// SLA holds a case's service targets, fixed when its clock started (see
// FixSLA), the version of the playbook they came from, and which of them
// were missed.
type SLA struct {
	AcknowledgeBy   *time.Time `json:"acknowledge_by"`
	ResolveBy       *time.Time `json:"resolve_by"`
	PlaybookVersion string     `json:"playbook_version,omitempty"`
	Breached        []string   `json:"breached"`
}

// Case is one reported concern.
type Case struct {
	ID             int64             `json:"-"`
	Ref            string            `json:"ref"`
	Kind           Kind              `json:"kind"`
	Summary        string            `json:"summary"`
	Details        string            `json:"details"`
	Status         Status            `json:"status"`
	Severity       Severity          `json:"severity"`
	Confidential   bool              `json:"confidential"`
	Department     string            `json:"department"`
	Reporter       Person            `json:"reporter"`
	ReporterID     int64             `json:"-"`
	Assignee       *Person           `json:"assignee"`
	AssigneeID     int64             `json:"-"`
	Answers        map[string]string `json:"answers"`
	OccurredAt     *time.Time        `json:"occurred_at"`
	ReportedAt     time.Time         `json:"reported_at"`
	AcknowledgedAt *time.Time        `json:"acknowledged_at"`
	ContainedAt    *time.Time        `json:"contained_at"`
	ResolvedAt     *time.Time        `json:"resolved_at"`
	ClosedAt       *time.Time        `json:"closed_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
	Guidance       Guidance          `json:"guidance"`
	SLA            SLA               `json:"sla"`
	Feedback       *Feedback         `json:"feedback,omitempty"`
	// Source is how the case arrived: SourceWeb, SourceEmail or
	// SourceAnonymous.
	Source string `json:"source"`
	// Unread is news for the person reading since they last opened the case:
	// for its reporter a reply ("New reply"), for anyone else a message from
	// the reporter ("Reporter wrote").
	Unread bool `json:"unread"`
}

// Where cases come from.
const (
	SourceWeb   = "web"   // the report form or the API
	SourceEmail = "email" // the report mailbox
	// SourceAnonymous is the report form without signing in: the case is
	// marked "not signed in" and followed by a private link.
	SourceAnonymous = "anonymous"
	SourceSignal    = "signal" // a signal from another security tool, escalated (signal.go)
)

// RefPrefix starts every case reference.
const RefPrefix = "AL-"

// refOffset makes the first reference AL-1001 rather than AL-1.
const refOffset = 1000

// CaseRef returns the human reference for a case id.
func CaseRef(id int64) string { return RefPrefix + strconv.FormatInt(id+refOffset, 10) }

// ParseCaseRef returns the case id for a reference such as "AL-1042"
// (case-insensitive), or ENOTFOUND.
func ParseCaseRef(ref string) (int64, error) {
	if len(ref) > len(RefPrefix) && strings.EqualFold(ref[:len(RefPrefix)], RefPrefix) {
		if n, err := strconv.ParseInt(ref[len(RefPrefix):], 10, 64); err == nil && n > refOffset {
			return n - refOffset, nil
		}
	}
	return 0, Errorf(ENOTFOUND, "No case %q was found.", ref)
}

// SetStatus moves c to next at time now, setting the timestamp of next and of
// every earlier status reached for the first time. Timestamps are never
// cleared. It returns EINVALID for a transition the lifecycle forbids.
func (c *Case) SetStatus(next Status, now time.Time) error {
	if !c.Status.CanMoveTo(next) {
		return Errorf(EINVALID, "status: a case cannot go from %s to %s.", c.Status, next)
	}
	stamps := []**time.Time{nil, &c.AcknowledgedAt, nil, &c.ContainedAt, &c.ResolvedAt, &c.ClosedAt}
	for i := 1; i <= next.rank(); i++ {
		if p := stamps[i]; p != nil && *p == nil {
			t := now
			*p = &t
		}
	}
	c.Status = next
	return nil
}

// NewCase is what a reporter sends to open a case.
type NewCase struct {
	Kind         Kind              `json:"kind"`
	Summary      string            `json:"summary"`
	Details      string            `json:"details"`
	OccurredAt   *time.Time        `json:"occurred_at"`
	Answers      map[string]string `json:"answers"`
	Confidential bool              `json:"confidential"`
	// Severity, when set, is the case's starting severity instead of the
	// playbook's: an escalated signal's. Reporters cannot set it.
	Severity Severity `json:"-"`
}

// Limits on free text, in characters (see TooLong).
const (
	MaxSummary = 300
	MaxDetails = 20000
	MaxBody    = 20000
)

// Validate checks a new case and returns EINVALID naming the first bad field.
func (n *NewCase) Validate() error {
	switch {
	case n.Kind == "":
		return Errorf(EINVALID, "kind: is required; choose one of %s.", list(Kinds))
	case !n.Kind.Valid():
		return Errorf(EINVALID, "kind: %q is not a kind; choose one of %s.", n.Kind, list(Kinds))
	case TooLong(n.Summary, MaxSummary):
		return Errorf(EINVALID, "summary: is longer than %s characters; shorten it.", Count(MaxSummary))
	case TooLong(n.Details, MaxDetails):
		return Errorf(EINVALID, "details: is longer than %s characters; shorten it, or add the rest as a message "+
			"once the report is sent.", Count(MaxDetails))
	case len(n.Answers) > 50:
		return Errorf(EINVALID, "answers: at most 50 answers are accepted.")
	}
	for k, v := range n.Answers {
		if len(k) > 64 || TooLong(v, 2000) {
			return Errorf(EINVALID, "answers: answer %q is too long.", k)
		}
	}
	return nil
}

// EarliestOccurred is the earliest time a concern can have happened: before
// it, a time is a typing slip (or an attempt to skew the time-to-report
// figures), not an incident anyone here could report.
var EarliestOccurred = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// ClockSkew is how far in the future an occurred_at may be, for clocks that
// run a little fast.
const ClockSkew = 5 * time.Minute

// CheckOccurredAt checks when a concern happened, given the time now: not
// before 2000 and not more than a few minutes from now. Errors: EINVALID.
func CheckOccurredAt(at *time.Time, now time.Time) error {
	switch {
	case at == nil:
		return nil
	case at.Before(EarliestOccurred):
		return Errorf(EINVALID, "occurred_at: %s is before %d; give the time it happened, or leave it out.",
			at.Format(time.DateOnly), EarliestOccurred.Year())
	case at.After(now.Add(ClockSkew)):
		return Errorf(EINVALID, "occurred_at: is in the future; give the time it happened, or leave it out.")
	}
	return nil
}

// CaseUpdate changes a case's status, severity or assignee. Nil fields are
// left alone; an empty Assignee unassigns. Finishing an open case (resolved
// or closed) takes an Outcome: the message that tells the reporter what
// happened, sent as a reply and tone-checked like one (Confirmed sends it
// even when the tone gate would hold it).
type CaseUpdate struct {
	Status    *Status   `json:"status"`
	Severity  *Severity `json:"severity"`
	Assignee  *string   `json:"assignee"` // email, or "" to unassign
	Outcome   *string   `json:"outcome"`
	Confirmed bool      `json:"confirmed"`
}

// errOutcome answers a change that would finish a case without telling the
// reporter what happened.
var errOutcome = Errorf(EREQUIRED, "outcome: is required to resolve a case; "+
	"write the reporter a short message saying what happened and what was done.")

// NeedsOutcome reports whether moving a case from status from to to
// finishes it, and so needs an outcome message to the reporter.
func NeedsOutcome(from, to Status) bool { return from.Open() && !to.Open() }

// CheckOutcome returns EREQUIRED when moving from status from makes the
// update finish the case without an outcome message.
func (up *CaseUpdate) CheckOutcome(from Status) error {
	if up.Status != nil && NeedsOutcome(from, *up.Status) && up.OutcomeText() == "" {
		return errOutcome
	}
	return nil
}

// OutcomeText is the outcome message without surrounding space, or "".
func (up *CaseUpdate) OutcomeText() string {
	if up.Outcome == nil {
		return ""
	}
	return strings.TrimSpace(*up.Outcome)
}

// Validate checks an update and returns EINVALID naming the first bad
// field.
func (up *CaseUpdate) Validate() error {
	switch {
	case up.Status == nil && up.Severity == nil && up.Assignee == nil:
		return Errorf(EINVALID, "body: send at least one of status, severity or assignee.")
	case up.Severity != nil && !up.Severity.Valid():
		return Errorf(EINVALID, "severity: %q is not a severity; use low, medium, high or critical.", *up.Severity)
	case up.Status != nil && !up.Status.Valid():
		return Errorf(EINVALID, "status: %q is not a status.", *up.Status)
	case up.Outcome != nil && (up.Status == nil || up.Status.Open()):
		return Errorf(EINVALID, `outcome: goes with "status": "resolved"; send it when resolving the case.`)
	case up.Status != nil && *up.Status == StatusResolved && up.OutcomeText() == "":
		return errOutcome
	case TooLong(up.OutcomeText(), MaxBody):
		return Errorf(EINVALID, "outcome: is longer than %s characters; shorten it.", Count(MaxBody))
	}
	return nil
}

// MaxBulk is the most cases one bulk update (or bulk link) may change.
const MaxBulk = 500

// ValidateBulkRefs checks the references of a bulk request: from 1 to
// MaxBulk of them, or EINVALID naming refs.
func ValidateBulkRefs(refs []string) error {
	if len(refs) == 0 || len(refs) > MaxBulk {
		return Errorf(EINVALID, "refs: send from 1 to %d case references, not %d.", MaxBulk, len(refs))
	}
	return nil
}

// BulkResult is the outcome of a bulk update for one case: done, or the
// error that case met (its code and message), the others unaffected.
type BulkResult struct {
	Ref   string     `json:"ref"`
	Done  bool       `json:"done"`
	Error *BulkError `json:"error,omitempty"`
	// Survivor marks, in a bulk link, the surviving case itself when it was
	// among the references: done, and left as it was.
	Survivor bool `json:"survivor,omitempty"`
}

// BulkError is why one case of a bulk update was not changed.
type BulkError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// CaseFilter selects and pages cases.
type CaseFilter struct {
	Status   []Status
	Kind     Kind
	Severity Severity
	Assignee string // an email, "me", or "none"
	Reporter int64  // only this reporter's cases (set by the service for reporters)
	Open     bool   // only open statuses
	Sort     string // "newest" (default), or priority, due, created, updated, severity; "-" before for reverse
	Query    string // search words, or a case reference
	Unread   bool   // only cases with news for the caller (see Case.Unread)
	Limit    int
	Cursor   string
}

// Page limits.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// CasePage is one page of cases.
type CasePage = Page[*Case]

// Feedback is a reporter's rating of how they were treated.
type Feedback struct {
	Rating    int       `json:"rating"`
	Comment   string    `json:"comment,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// CaseService manages cases and their timelines. Every method reads the
// signed-in user from the context and applies the rules in authz.go.
type CaseService interface {
	// CreateCase opens a case reported by the signed-in user.
	// Errors: EUNAUTHORIZED, EINVALID.
	CreateCase(ctx context.Context, n *NewCase) (*Case, error)
	// FindCase returns a case the user may see. Errors: ENOTFOUND.
	FindCase(ctx context.Context, ref string) (*Case, error)
	// FindCases lists cases the user may see, newest first or by priority.
	// Errors: EINVALID (bad cursor or filter).
	FindCases(ctx context.Context, f CaseFilter) (*CasePage, error)
	// BulkUpdate applies one update to many cases (at most MaxBulk), each
	// on its own: the result for each reference says whether it was done or
	// why not. Errors (for the whole request): EINVALID, EUNAUTHORIZED.
	BulkUpdate(ctx context.Context, refs []string, u CaseUpdate) ([]BulkResult, error)
	// MarkRead records that the user opened the case (clearing Unread).
	// Errors: ENOTFOUND.
	MarkRead(ctx context.Context, ref string) error
	// CountCases counts the cases the user may see, by status.
	CountCases(ctx context.Context) (map[Status]int, error)
	// UpdateCase changes status, severity or assignee and writes timeline
	// entries and audit records. Errors: ENOTFOUND, EFORBIDDEN, EINVALID.
	UpdateCase(ctx context.Context, ref string, u CaseUpdate) (*Case, error)
	// Timeline lists a case's entries, oldest first; reporters never see
	// internal ones. Errors: ENOTFOUND, EINVALID.
	Timeline(ctx context.Context, ref string, after int64, limit int) ([]*Entry, error)
	// AddMessage posts a message or (responders and up) an internal note.
	// A responder's first reply on a new case acknowledges it. A reply the
	// tone gate holds back (HoldReply) is refused with *ReplyHeld unless
	// m.Confirmed; one sent anyway is recorded in the audit log.
	// Errors: ENOTFOUND, EFORBIDDEN, EINVALID, EHELD.
	AddMessage(ctx context.Context, ref string, m NewMessage) (*Entry, error)
	// AddFeedback records the reporter's rating once the case is resolved or
	// closed, once. Errors: ENOTFOUND, EFORBIDDEN, ECONFLICT, EINVALID.
	AddFeedback(ctx context.Context, ref string, f Feedback) (*Feedback, error)
}

func contains[T comparable](s []T, v T) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func list[T any](s []T) string {
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, ", ")
}
