package ally

import (
	"errors"
	"testing"

	"github.com/allydesk/ally/tone"
)

func TestHoldReply(t *testing.T) {
	blaming := &tone.Result{Findings: []tone.Finding{{Rule: "why-did-you", Severity: tone.SeverityError},
		{Rule: "long", Severity: tone.SeverityWarning}}}
	mild := &tone.Result{Findings: []tone.Finding{{Rule: "long", Severity: tone.SeverityWarning}}}
	for _, tc := range []struct {
		name   string
		m      NewMessage
		t      *tone.Result
		held   bool
		anyway string
	}{
		{"blaming reply", NewMessage{}, blaming, true, ""},
		{"blaming reply confirmed", NewMessage{Confirmed: true}, blaming, false, "why-did-you"},
		{"blaming internal note", NewMessage{Internal: true}, blaming, false, ""},
		{"warning only", NewMessage{}, mild, false, ""},
		{"warning only confirmed", NewMessage{Confirmed: true}, mild, false, ""},
		{"not checked", NewMessage{}, nil, false, ""},
	} {
		err := HoldReply(tc.m, tc.t)
		var h *ReplyHeld
		if got := errors.As(err, &h); got != tc.held || (got && ErrorCode(err) != EHELD) {
			t.Errorf("%s: HoldReply = %v, want held %v", tc.name, err, tc.held)
		}
		if got := SentAnyway(tc.m, tc.t); got != tc.anyway {
			t.Errorf("%s: SentAnyway = %q, want %q", tc.name, got, tc.anyway)
		}
	}
}

func TestMessageAudience(t *testing.T) {
	if (NewMessage{}).Audience() != tone.AudienceReporter || (NewMessage{Internal: true}).Audience() != tone.AudienceResponder {
		t.Error("replies are checked for the reporter, internal notes for colleagues")
	}
}
