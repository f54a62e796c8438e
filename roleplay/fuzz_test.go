package roleplay

import (
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds scenario files to the parser: it must never panic, and a
// scenario it accepts must be playable.
func FuzzParse(f *testing.F) {
	f.Add(scenarioYAML(f, "lost-laptop-train"))
	f.Add(scenarioYAML(f, "unrequested-reset-angry"))
	f.Add([]byte("id: x\n"))
	f.Add([]byte("facts: [{id: a, topics: [nope]}]"))
	f.Add([]byte("- just\n- a list"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Parse(data)
		if err != nil {
			return
		}
		s := Start(sc)
		s.Say("Thank you for calling. What happened?")
		s.Debrief()
	})
}

// FuzzSay feeds trainee messages to a session: no panics, scores in range,
// and finding offsets inside the message.
func FuzzSay(f *testing.F) {
	for _, l := range []string{"Why did you click?", "That sounds stressful…", "", "?", "MFA MFA", "I’ll call you back.", "\xff\xfe", "not not your fault"} {
		f.Add(l)
	}
	sc := mustGet(f, "parcel-link-new-hire")
	f.Fuzz(func(t *testing.T, msg string) {
		s := Start(sc)
		turn := s.Say(msg)
		n := utf8.RuneCountInString(turn.Trainee)
		for _, fd := range turn.Reading.Findings {
			if fd.Start < 0 || fd.End > n || fd.Start > fd.End {
				t.Fatalf("finding %+v outside %d code points", fd, n)
			}
		}
		s.Say(msg)
		sc := s.Debrief().Scores
		for _, v := range []int{sc.Overall, sc.Empathy, sc.BlameAvoided, sc.FactsGathered, sc.FirstSteps, sc.Clarity} {
			if v < 0 || v > 100 {
				t.Fatalf("score out of range: %+v", sc)
			}
		}
	})
}
