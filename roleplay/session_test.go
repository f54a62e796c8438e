package roleplay

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/allydesk/ally/tone"
)

// A session marshalled mid-conversation and resumed plays on exactly as the
// uninterrupted one.
func TestSessionResumesFromJSON(t *testing.T) {
	sc := mustGet(t, "waited-three-days")
	lines := transcript(t, sc.ID, "good")
	whole := play(sc, lines)

	s := Start(sc)
	for _, l := range lines[:3] {
		s.Say(l)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var resumed Session
	if err := json.Unmarshal(b, &resumed); err != nil {
		t.Fatal(err)
	}
	for _, l := range lines[3:] {
		resumed.Say(l)
	}
	resumed.Stop()
	if got, want := resumed.Debrief(), whole.Debrief(); !reflect.DeepEqual(got, want) {
		t.Errorf("resumed debrief differs:\n got %+v\nwant %+v", got, want)
	}
}

func TestSayAfterEndChangesNothing(t *testing.T) {
	s := play(mustGet(t, "parcel-link-new-hire"), []string{"Why did you click it?", "You should have known."})
	if s.Ended != EndDisengaged || s.State != Disengaged {
		t.Fatalf("ended %q state %q, want disengaged", s.Ended, s.State)
	}
	n := len(s.Turns)
	if turn := s.Say("Sorry, tell me what happened?"); turn.Ended != EndDisengaged || turn.N != 0 || turn.Reply != "" {
		t.Errorf("Say after end = %+v", turn)
	}
	if len(s.Turns) != n {
		t.Errorf("turns grew after the end")
	}
}

// Trust gates facts: the same question is withheld from a cold start and
// answered once warmth has raised trust.
func TestTrustUnlocksFacts(t *testing.T) {
	sc := mustGet(t, "parcel-link-new-hire") // has_forwarded needs trust 65
	s := Start(sc)
	turn := s.Say("Has the email gone to anyone else?")
	if turn.Withheld != "forwarded" || turn.Revealed != "" || turn.State != Withholding {
		t.Fatalf("cold question: %+v", turn)
	}
	s.Say("That sounds really stressful. Thank you for calling, you're not in trouble.")
	s.Say("It's okay to feel shaken. You did the right thing.")
	turn = s.Say("Has the email gone to anyone else?")
	if turn.Revealed != "forwarded" || turn.Reply != sc.Facts[2].Says {
		t.Errorf("warm question: %+v", turn)
	}
}

// One slip costs trust and score, but warmth can win the person back.
func TestRecoveryAfterOneSlip(t *testing.T) {
	sc := mustGet(t, "parcel-link-new-hire")
	lines := append([]string{"Why did you click it?"}, transcript(t, sc.ID, "good")...)
	d := play(sc, lines).Debrief()
	if d.Scores.BlameAvoided != 100-blamePenalty || d.Scores.Overall >= 100 || d.Scores.Overall < 70 {
		t.Errorf("scores %+v", d.Scores)
	}
	if d.Transcript[0].Better == "" || d.Transcript[0].Withheld != "typed_password" {
		t.Errorf("first turn review %+v", d.Transcript[0])
	}
}

// The tone engine's blame flag alone is enough to make the persona withhold.
func TestToneEngineBlameCounts(t *testing.T) {
	s := Start(mustGet(t, "parcel-link-new-hire"))
	s.checker = fakeTone{tone.Result{Blame: true}}
	turn := s.Say("Can you walk me through what happened after you clicked the link?")
	if !turn.Reading.Blame || turn.Revealed != "" || turn.Trust >= s.Scenario.Trust {
		t.Errorf("turn %+v", turn)
	}
}

func TestOutOfTurns(t *testing.T) {
	sc := mustGet(t, "lost-laptop-train")
	lines := make([]string, sc.MaxTurns+3)
	for i := range lines {
		lines[i] = "Okay."
	}
	s := play(sc, lines)
	if s.Ended != EndOutOfTurns || len(s.Turns) != sc.MaxTurns {
		t.Errorf("ended %q after %d turns", s.Ended, len(s.Turns))
	}
}

func TestJargonConfuses(t *testing.T) {
	s := Start(mustGet(t, "mfa-executive"))
	turn := s.Say("We saw IOCs from the threat actor.")
	if turn.Reply != "I don't know what iocs is and I don't have time to learn." {
		t.Errorf("reply %q", turn.Reply)
	}
	if d := s.Debrief(); d.Scores.Clarity != 100-2*jargonPenalty || d.Transcript[0].Better != "We saw warning signs from the attacker." {
		t.Errorf("clarity %d, better %q", d.Scores.Clarity, d.Transcript[0].Better)
	}
}

func TestLongMessageIsCut(t *testing.T) {
	s := Start(mustGet(t, "lost-laptop-train"))
	long := make([]byte, maxMessage+100)
	for i := range long {
		long[i] = 'a'
	}
	if turn := s.Say(string(long) + "é"); len(turn.Trainee) != maxMessage {
		t.Errorf("message kept %d bytes", len(turn.Trainee))
	}
	if got := truncate("aé", 2); got != "a" {
		t.Errorf("truncate split a character: %q", got)
	}
}

func TestDebriefOfEmptySession(t *testing.T) {
	d := Start(mustGet(t, "lost-laptop-train")).Debrief()
	if d.Scores != (Scores{}) || d.Ended != "" || len(d.Transcript) != 0 || len(d.Facts) != 4 || d.Facts[0].Unlock == "" {
		t.Errorf("debrief %+v", d)
	}
}

// Comfort repeated without substance stops earning trust.
func TestRepeatedComfortRingsHollow(t *testing.T) {
	s := Start(mustGet(t, "payroll-wrong-recipient")) // embarrassed: warmth 150%
	var trust []int
	for range 6 {
		trust = append(trust, s.Say("Thank you for telling us.").Trust)
	}
	want := []int{52, 64, 70, 76, 76, 76}
	if !reflect.DeepEqual(trust, want) {
		t.Errorf("trust %v, want %v", trust, want)
	}
}

// Wrong advice costs first-steps marks and is explained in the debrief.
func TestWrongStepIsExplained(t *testing.T) {
	sc := mustGet(t, "parcel-link-new-hire")
	lines := append([]string{"Please shut down your laptop now."}, transcript(t, sc.ID, "good")...)
	d := play(sc, lines).Debrief()
	if d.Scores.FirstSteps != 100-wrongStepPenalty || len(d.Transcript[0].Advice) != 1 || d.Transcript[0].Advice[0] != sc.Avoid[0].Text {
		t.Errorf("first steps %d, advice %v", d.Scores.FirstSteps, d.Transcript[0].Advice)
	}
	var b strings.Builder
	if err := WriteDebrief(&b, d); err != nil || !strings.Contains(b.String(), "! advice: Switching the computer off") {
		t.Errorf("text debrief lacks the advice (err %v)", err)
	}
}

// Stopping early ends the session as stopped, not out of turns, and keeps
// that through JSON; a session that ended by itself keeps its own reason.
func TestStopEndsAsStopped(t *testing.T) {
	sc := mustGet(t, "lost-laptop-train")
	for _, lines := range [][]string{nil, {"Thanks for calling. Where did you last have it?"}} {
		s := Start(sc)
		for _, l := range lines {
			s.Say(l)
		}
		s.Stop()
		if s.Ended != EndStopped || s.Debrief().Ended != EndStopped {
			t.Errorf("after %d turns Stop ended %q, want stopped", len(lines), s.Ended)
		}
		if turn := s.Say("Are you still there?"); turn.Ended != EndStopped || turn.N != 0 || len(s.Turns) != len(lines) {
			t.Errorf("Say after Stop = %+v", turn)
		}
		b, _ := json.Marshal(s)
		var resumed Session
		if err := json.Unmarshal(b, &resumed); err != nil || resumed.Ended != EndStopped || !strings.Contains(string(b), `"ended":"stopped"`) {
			t.Errorf("resumed ended %q (err %v)", resumed.Ended, err)
		}
	}
	for reason, lines := range map[EndReason][]string{
		EndGoalsMet:   transcript(t, "parcel-link-new-hire", "good"),
		EndDisengaged: {"Why did you click it?", "You should have known."},
	} {
		s := Start(mustGet(t, "parcel-link-new-hire"))
		for _, l := range lines {
			s.Say(l)
		}
		s.Stop()
		if s.Ended != reason {
			t.Errorf("Stop after the session ended changed %q to %q", reason, s.Ended)
		}
	}
}

// The text debrief of a stopped session says so kindly: plain words
// (reading grade 8 or lower), no blame, and an invitation to try again.
// Other endings carry no such note.
func TestStoppedDebriefIsKind(t *testing.T) {
	s := Start(mustGet(t, "lost-laptop-train"))
	s.Say("Thanks for calling. Where did you last have it?")
	s.Stop()
	var b strings.Builder
	if err := WriteDebrief(&b, s.Debrief()); err != nil {
		t.Fatal(err)
	}
	note := EndNote(EndStopped)
	if !strings.Contains(b.String(), "Ended: you stopped early after 1 turn\n"+note+"\n") {
		t.Errorf("the debrief does not say the session was stopped early:\n%s", b.String())
	}
	if !strings.Contains(note, "another go") {
		t.Errorf("the note does not invite another try: %q", note)
	}
	res := tone.Default().Check(note, tone.AudienceReporter)
	if res.Grade > 8 || res.Blame {
		t.Errorf("the note reads at grade %.1f, blame %v: %q", res.Grade, res.Blame, note)
	}
	for _, f := range res.Findings {
		if f.Severity != tone.SeverityInfo {
			t.Errorf("the note has a %s finding: %s %q", f.Severity, f.Message, f.Match)
		}
	}
	if r := Read(s.Scenario, note, fakeTone{}); r.Blame || r.Harsh {
		t.Errorf("the own cues read the note as blaming %v, harsh %v", r.Blame, r.Harsh)
	}
	for _, e := range []EndReason{"", EndGoalsMet, EndDisengaged, EndOutOfTurns} {
		if EndNote(e) != "" {
			t.Errorf("EndNote(%q) = %q, want none", e, EndNote(e))
		}
	}
}
