package ally

import (
	"strings"

	"github.com/allydesk/ally/tone"
)

// ReplyHeld is the error of a reply held back by the tone gate: it carries
// the tone check so that the sender can see what to change. Its code is
// EHELD.
type ReplyHeld struct {
	Tone tone.Result
}

// heldMessage tells the sender why the reply did not go out and what to do.
const heldMessage = "body: this reply may read as blaming the reporter (see tone). " +
	"Reword it, or send it again with confirmed set to send it anyway."

// Error implements the error interface.
func (h *ReplyHeld) Error() string { return h.Unwrap().Error() }

// Unwrap returns the *Error with code EHELD, so ErrorCode and ErrorMessage
// see it.
func (h *ReplyHeld) Unwrap() error { return Errorf(EHELD, heldMessage) }

// Audience is who a message's words are checked for: colleagues for an
// internal note, the reporter for anything else.
func (m NewMessage) Audience() tone.Audience {
	if m.Internal {
		return tone.AudienceResponder
	}
	return tone.AudienceReporter
}

// HoldReply is the tone gate: a responder's reply to a reporter whose tone
// check has an error-level finding is held back (*ReplyHeld) unless the
// message is Confirmed. Internal notes and unchecked messages pass.
func HoldReply(m NewMessage, checked *tone.Result) error {
	if m.Internal || m.Confirmed || checked == nil || !checked.HasError() {
		return nil
	}
	return &ReplyHeld{Tone: *checked}
}

// SentAnyway returns the rule ids of the error-level findings of a reply
// that went out confirmed despite them (for the audit log), or "" when the
// gate had nothing to hold.
func SentAnyway(m NewMessage, checked *tone.Result) string {
	if m.Internal || !m.Confirmed || checked == nil {
		return ""
	}
	return strings.Join(ErrorRules(checked), " ")
}

// ErrorFindings returns a tone result's error-level findings: the ones
// that hold a reply back.
func ErrorFindings(t *tone.Result) []tone.Finding {
	var out []tone.Finding
	for _, f := range t.Findings {
		if f.Severity == tone.SeverityError {
			out = append(out, f)
		}
	}
	return out
}

// ErrorRules lists the rule ids of a tone result's error-level findings.
func ErrorRules(t *tone.Result) []string {
	var rules []string
	for _, f := range ErrorFindings(t) {
		rules = append(rules, f.Rule)
	}
	return rules
}
