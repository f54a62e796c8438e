package roleplay

import "testing"

// BenchmarkSay measures one trainee message, tone engine included.
func BenchmarkSay(b *testing.B) {
	sc := mustGet(b, "parcel-link-new-hire")
	msg := "That sounds really stressful. Can you walk me through what happened after you clicked the link?"
	s := Start(sc)
	for b.Loop() {
		if s.Ended != "" || len(s.Turns) > 5 {
			s = Start(sc)
		}
		s.Say(msg)
	}
}

// BenchmarkGoodTranscript plays a whole good conversation and its debrief.
func BenchmarkGoodTranscript(b *testing.B) {
	sc := mustGet(b, "waited-three-days")
	lines := transcript(b, sc.ID, "good")
	for b.Loop() {
		play(sc, lines).Debrief()
	}
}
