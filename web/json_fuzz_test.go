package web

import (
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// FuzzDecodeNewCase feeds arbitrary bodies to the case-creation decoder: it
// must never panic, and whatever it accepts must either validate or be
// refused with an invalid-input error.
func FuzzDecodeNewCase(f *testing.F) {
	for _, s := range []string{`{"kind":"other"}`, `{"kind":"clicked_link","summary":"x","occurred_at":"2026-11-27T09:14:00Z","answers":{"a":"yes"}}`,
		`{"kind":5}`, `{"answers":{"a":1}}`, `[]`, `null`, `{"kind":"other"}{}`, "\x00", `{"occurred_at":"tomorrow"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var in newCaseRequest
		if err := decodeJSONBody(strings.NewReader(body), &in); err != nil {
			if code := ally.ErrorCode(err); code != ally.EINVALID {
				t.Fatalf("decode error code %q for %q: %v", code, body, err)
			}
			return
		}
		n, err := in.toNewCase()
		if err == nil {
			err = n.Validate()
		}
		if err != nil && ally.ErrorCode(err) != ally.EINVALID {
			t.Fatalf("validation error code %q: %v", ally.ErrorCode(err), err)
		}
	})
}

// FuzzDecodeMessage does the same for messages.
func FuzzDecodeMessage(f *testing.F) {
	for _, s := range []string{`{"body":"hi"}`, `{"body":"x","internal":true}`, `{"body":1}`, `{"internal":"yes"}`, `{}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var m ally.NewMessage
		if err := decodeJSONBody(strings.NewReader(body), &m); err != nil {
			if ally.ErrorCode(err) != ally.EINVALID {
				t.Fatalf("decode error code %q: %v", ally.ErrorCode(err), err)
			}
			return
		}
		if err := m.Validate(); err != nil && ally.ErrorCode(err) != ally.EINVALID {
			t.Fatalf("validate: %v", err)
		}
	})
}
