package roleplay

import (
	"slices"
	"testing"

	"github.com/allydesk/ally/tone"
)

func TestRead(t *testing.T) {
	sc := mustGet(t, "parcel-link-new-hire")
	quiet := fakeTone{tone.Result{}}
	tests := []struct {
		msg   string
		check func(Reading) bool
	}{
		{"Why did you click that?", func(r Reading) bool { return r.Blame && !r.OpenQuestion }},
		{"Why didn't you check the sender?", func(r Reading) bool { return r.Blame }},
		{"You should have known better.", func(r Reading) bool { return r.Blame }},
		{"Honestly, that was your own fault.", func(r Reading) bool { return r.Blame }},
		{"What were you thinking?", func(r Reading) bool { return r.Blame }},
		{"That was careless.", func(r Reading) bool { return r.Blame }},
		{"You were told about this in training.", func(r Reading) bool { return r.Blame }},
		{"It's not your fault, and you're not stupid.", func(r Reading) bool { return !r.Blame && r.Reassure }},
		{"Nobody thinks you were careless.", func(r Reading) bool { return !r.Blame }},
		{"Calm down, it's not a big deal.", func(r Reading) bool { return r.Harsh && !r.Blame }},
		{"That sounds really stressful.", func(r Reading) bool { return r.Acknowledge && !r.Reassure }},
		{"I\u2019m so sorry this happened.", func(r Reading) bool { return r.Acknowledge }},
		{"Thank you for telling us so quickly.", func(r Reading) bool { return r.Reassure && !r.Acknowledge }},
		{"What happened after you clicked?", func(r Reading) bool {
			return r.OpenQuestion && slices.Contains(r.Topics, "story") && slices.Contains(r.Topics, "link")
		}},
		{"Walk me through it.", func(r Reading) bool { return r.OpenQuestion && r.Question }},
		{"Did you type your password?", func(r Reading) bool {
			return r.Question && !r.OpenQuestion && slices.Equal(r.Topics, []string{"password"})
		}},
		{"Please change your password.", func(r Reading) bool {
			return slices.Equal(r.Steps, []string{"change_password"}) && !r.Question && len(r.Topics) == 0
		}},
		{"Can you disconnect from the Wi-Fi?", func(r Reading) bool {
			return slices.Equal(r.Steps, []string{"disconnect"}) && len(r.Topics) == 0
		}},
		{"I'll call you back in ten minutes.", func(r Reading) bool { return r.NextContact }},
		{"I'll update the ticket.", func(r Reading) bool { return !r.NextContact }},
		{"Did you approve the MFA prompt?", func(r Reading) bool {
			return slices.Equal(r.Jargon, []string{"mfa"}) && slices.Contains(r.Topics, "mfa")
		}},
		{"The threat actor may try lateral movement.", func(r Reading) bool {
			return slices.Equal(r.Jargon, []string{"threat actor", "lateral movement"})
		}},
		{"ok", func(r Reading) bool { return !r.Blame && !r.Question && len(r.Findings) == 0 }},
		{"Please restart your laptop.", func(r Reading) bool { return slices.Equal(r.WrongSteps, []string{"switch_off"}) }},
		{"Don't switch it off, just unplug it.", func(r Reading) bool {
			return len(r.WrongSteps) == 0 && slices.Equal(r.Steps, []string{"disconnect"})
		}},
	}
	for _, tc := range tests {
		if r := Read(sc, tc.msg, quiet); !tc.check(r) {
			t.Errorf("Read(%q) = %+v", tc.msg, r)
		}
	}
}

// The tone engine's Blame flag and its findings count even when the
// simulator's own rules see nothing.
func TestReadUsesToneEngine(t *testing.T) {
	sc := mustGet(t, "parcel-link-new-hire")
	f := tone.Finding{Rule: "x", Category: "blame", Severity: tone.SeverityError, Start: 0, End: 4, Match: "Sure"}
	r := Read(sc, "Sure, whatever.", fakeTone{tone.Result{Blame: true, Findings: []tone.Finding{f}}})
	if !r.Blame || len(r.Findings) != 1 {
		t.Errorf("tone blame ignored: %+v", r)
	}
	r = Read(sc, "Sure, whatever.", fakeTone{tone.Result{Findings: []tone.Finding{{Category: "condescension", Severity: tone.SeverityWarning}}}})
	if !r.Harsh || r.Blame {
		t.Errorf("tone warning not read as harsh: %+v", r)
	}
	r = Read(sc, "Sure, whatever.", fakeTone{tone.Result{Findings: []tone.Finding{{Category: "readability", Severity: tone.SeverityWarning}}}})
	if r.Harsh || r.Blame {
		t.Errorf("a readability warning read as harsh: %+v", r)
	}
}

// An own finding the tone engine already reported is not repeated.
func TestFindingsAreMerged(t *testing.T) {
	sc := mustGet(t, "parcel-link-new-hire")
	msg := "Why did you click?"
	engine := tone.Finding{Rule: "why-did-you", Category: "blame", Severity: tone.SeverityError, Start: 0, End: 11, Match: "Why did you"}
	r := Read(sc, msg, fakeTone{tone.Result{Blame: true, Findings: []tone.Finding{engine}}})
	if len(r.Findings) != 1 || r.Findings[0].Rule != "why-did-you" {
		t.Errorf("findings %+v, want only the engine's", r.Findings)
	}
	r = Read(sc, "Oh no… why did you click?", fakeTone{})
	if len(r.Findings) != 1 || r.Findings[0].Match != "why did you" || r.Findings[0].Start != 7 {
		t.Errorf("own finding %+v: want code point offsets", r.Findings)
	}
}
