package ally

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Retention actions: what happens to a closed case once it is old enough.
// Either way the case's row stays, with its kind, department, severity and
// times, so that every figure in the metrics keeps its count.
const (
	// RetainDeidentify replaces the reporter with a stable pseudonym,
	// deletes the attachments, and keeps the free text only where the
	// personal-data check finds no name, email address or phone number.
	RetainDeidentify = "deidentify"
	// RetainDelete does the same and removes all free text as well.
	RetainDelete = "delete"
)

// RetainAnyKind is the Kind of the rule for every kind without its own.
const RetainAnyKind = "*"

// RetentionRule says what happens to closed cases of a kind after Days days.
type RetentionRule struct {
	Kind   string `json:"kind"`   // a case kind, or "*" for every other kind
	Action string `json:"action"` // deidentify or delete
	Days   int    `json:"days"`   // days after the case was resolved or closed
}

// Retention bounds: nothing is removed sooner than a month after closing
// (people still ask about their case) or kept past twenty years.
const (
	MinRetentionDays = 30
	MaxRetentionDays = 20 * 365
)

// ValidateRetention checks a whole policy: known kinds and actions, days in
// bounds, each kind once. It returns EINVALID naming the rule.
func ValidateRetention(rules []RetentionRule) error {
	seen := map[string]bool{}
	for i, r := range rules {
		switch {
		case r.Kind != RetainAnyKind && !slices.Contains(Kinds, Kind(r.Kind)):
			return Errorf(EINVALID, "rules[%d].kind: %q is not a kind of case; use one of %s, or * for every other kind",
				i, r.Kind, kindList())
		case seen[r.Kind]:
			return Errorf(EINVALID, "rules[%d].kind: %q has two rules; keep one", i, r.Kind)
		case r.Action != RetainDeidentify && r.Action != RetainDelete:
			return Errorf(EINVALID, "rules[%d].action: %q is not an action; use deidentify or delete", i, r.Action)
		case r.Days < MinRetentionDays || r.Days > MaxRetentionDays:
			return Errorf(EINVALID, "rules[%d].days: %d is out of range; use %d to %d days after a case is closed",
				i, r.Days, MinRetentionDays, MaxRetentionDays)
		}
		seen[r.Kind] = true
	}
	return nil
}

func kindList() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// RetentionFor returns the rule for kind: its own, or the "*" rule.
func RetentionFor(rules []RetentionRule, kind Kind) (RetentionRule, bool) {
	i := slices.IndexFunc(rules, func(r RetentionRule) bool { return r.Kind == string(kind) })
	if i < 0 {
		i = slices.IndexFunc(rules, func(r RetentionRule) bool { return r.Kind == RetainAnyKind })
	}
	if i < 0 {
		return RetentionRule{}, false
	}
	return rules[i], true
}

// Due reports whether a case closed at closed is old enough for r
// at now.
func (r RetentionRule) Due(closed, now time.Time) bool {
	return !closed.IsZero() && now.Sub(closed) >= time.Duration(r.Days)*24*time.Hour
}

// RetentionResult counts what a retention run changed.
type RetentionResult struct {
	Deidentified int `json:"deidentified"`
	Deleted      int `json:"deleted"`
	TextsRemoved int `json:"texts_removed"` // free texts that named someone, removed in de-identified cases
	Attachments  int `json:"attachments"`
	// Signals counts the confirmed signals ("yes, that was me") de-identified
	// on their own; those that became a case go with it.
	Signals int `json:"signals"`
}

// RetentionService keeps and applies the retention policy.
type RetentionService interface {
	// RetentionRules returns the policy, for admins and the operator.
	RetentionRules(ctx context.Context) ([]RetentionRule, error)
	// SetRetentionRules replaces the policy, for admins and the operator;
	// audited. Errors: EINVALID, EUNAUTHORIZED, EFORBIDDEN.
	SetRetentionRules(ctx context.Context, rules []RetentionRule) ([]RetentionRule, error)
	// ApplyRetention de-identifies or deletes every closed case the policy
	// makes due, for the operator (the server's worker, the CLI). It works
	// in batches; after each one it tells progress, when not nil, how many
	// cases and signals are done so far (what names them).
	ApplyRetention(ctx context.Context, progress func(what string, done int64)) (*RetentionResult, error)
}

// RemovedText replaces free text that retention removed.
const RemovedText = "(Removed by the retention policy.)"

var (
	emailPattern = regexp.MustCompile(`(?i)[a-z0-9._%+'-]+@[a-z0-9-]+(\.[a-z0-9-]+)+`)
	// A phone number: 7 or more digits, maybe with a leading + and spaces,
	// dots, dashes or brackets between them.
	phonePattern = regexp.MustCompile(`\+?\(?\d[\d\s().-]{5,}\d`)
)

// PersonalData names the kinds of personal data found in text: an email
// address, a phone number, or one of the given names (whole words, any
// letter case). It is what decides whether de-identification keeps a text.
func PersonalData(text string, names []string) []string {
	var found []string
	if emailPattern.MatchString(text) {
		found = append(found, "an email address")
	}
	for _, m := range phonePattern.FindAllString(text, -1) {
		if countDigits(m) >= 7 {
			found = append(found, "a phone number")
			break
		}
	}
	lower := strings.ToLower(text)
	for _, n := range names {
		if n = strings.ToLower(strings.TrimSpace(n)); len(n) >= 3 && containsWord(lower, n) {
			found = append(found, "a name")
			break
		}
	}
	return found
}

func countDigits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// containsWord reports whether word occurs in s not inside a longer word.
func containsWord(s, word string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], word)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(word)
		if (start == 0 || !isWordByte(s[start-1])) && (end == len(s) || !isWordByte(s[end])) {
			return true
		}
		i = start + 1
	}
}

func isWordByte(b byte) bool {
	return b == '_' || b >= 0x80 || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
}

// Cutoff is the latest time a case may have been resolved or closed for
// rule r to apply to it now.
func (r RetentionRule) Cutoff(now time.Time) time.Time {
	return now.Add(-time.Duration(r.Days) * 24 * time.Hour)
}
