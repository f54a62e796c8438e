package roleplay

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/allydesk/ally/tone"
)

// State is how the persona feels after a turn.
type State string

// Persona states.
const (
	Calm        State = "calm"
	Worried     State = "worried"
	Withholding State = "withholding"
	Disengaged  State = "disengaged"
	Relieved    State = "relieved"
)

// EndReason says why a session ended.
type EndReason string

// End reasons. A session still going has none.
const (
	EndGoalsMet   EndReason = "goals_met"    // every goal was met
	EndDisengaged EndReason = "disengaged"   // trust fell so low the persona stopped talking
	EndOutOfTurns EndReason = "out_of_turns" // the trainee used every turn the scenario allows
	EndStopped    EndReason = "stopped"      // the trainee ended the session early
)

// Engine thresholds and base effects; docs/roleplay.md explains them.
const (
	disengageAt    = 10 // trust at or below: the persona disengages
	withholdBelow  = 30 // trust below: the persona withholds
	worriedAt      = 60 // stress at or above: worried
	calmAt         = 40 // the "calm" goal: stress at or below
	relievedStress = 30
	relievedTrust  = 60
	maxMessage     = 4000 // bytes of a message the engine reads

	blameTrust, blameStress       = 20, 15
	harshTrust, harshStress       = 10, 8
	ackTrust, ackStress           = 8, 12
	reassureTrust, reassureStress = 8, 8
	openTrust                     = 4
	stepTrust, stepStress         = 3, 8
	contactTrust, contactStress   = 3, 6
	jargonTrust, jargonStress     = 3, 6
	wordyStress                   = 4
	wrongStepStress               = 6
	fullWarmthTurns               = 2 // warmth counts in full this many times, then half as often again, then not at all
)

// Turn is one exchange: what the trainee said and how the persona answered.
type Turn struct {
	N        int       `json:"n"` // 1-based
	Trainee  string    `json:"trainee"`
	Reply    string    `json:"reply"`
	State    State     `json:"state"`
	Trust    int       `json:"trust"`
	Stress   int       `json:"stress"`
	Reading  Reading   `json:"reading"`
	Revealed string    `json:"revealed,omitempty"` // the fact told this turn
	Withheld string    `json:"withheld,omitempty"` // a fact asked about but held back
	Ended    EndReason `json:"ended,omitempty"`
}

// Session is one conversation in progress. It is plain data: marshal it to
// JSON to keep it and unmarshal it to resume. It holds the scenario's hidden
// facts, so keep it on the server.
type Session struct {
	Scenario    *Scenario      `json:"scenario"`
	Trust       int            `json:"trust"`
	Stress      int            `json:"stress"`
	PeakTrust   int            `json:"peak_trust"`
	State       State          `json:"state"`
	Turns       []Turn         `json:"turns"`
	Revealed    []string       `json:"revealed"`    // fact ids, in the order told
	StepsGiven  []string       `json:"steps_given"` // step ids, in the order given
	NextContact bool           `json:"next_contact"`
	Ended       EndReason      `json:"ended,omitempty"`
	LinesUsed   map[string]int `json:"lines_used"` // per line set, how many lines said so far

	checker Checker
}

// Start begins a session; the persona has said the scenario's opening line.
func Start(sc *Scenario) *Session {
	s := &Session{Scenario: sc, Trust: sc.Trust, Stress: sc.Stress, PeakTrust: sc.Trust,
		Turns: []Turn{}, Revealed: []string{}, StepsGiven: []string{}, LinesUsed: map[string]int{}}
	s.State = s.mood()
	return s
}

func (s *Session) tone() Checker {
	if s.checker == nil {
		s.checker = tone.Default()
	}
	return s.checker
}

// Say plays one trainee message and returns the persona's answer. Once the
// session has ended, Say changes nothing and returns a Turn with only Ended
// set. Messages longer than 4,000 bytes are cut.
func (s *Session) Say(msg string) Turn {
	if s.Ended != "" {
		return Turn{Ended: s.Ended}
	}
	if s.LinesUsed == nil {
		s.LinesUsed = map[string]int{}
	}
	msg = truncate(msg, maxMessage)
	r := Read(s.Scenario, msg, s.tone())
	newSteps := s.apply(r)
	t := Turn{N: len(s.Turns) + 1, Trainee: msg, Reading: r}
	t.Revealed, t.Withheld = s.unlock(r)
	s.Turns = append(s.Turns, t) // so the end check counts this turn
	s.Ended = s.endReason()
	s.State = s.stateAfter(r, t.Withheld != "")
	t.State, t.Trust, t.Stress, t.Ended = s.State, s.Trust, s.Stress, s.Ended
	t.Reply = s.reply(r, t, newSteps)
	s.Turns[len(s.Turns)-1] = t
	return t
}

// Stop ends a session the trainee leaves early, before it ended by itself;
// it ends as stopped. A session that has already ended keeps its reason.
func (s *Session) Stop() {
	if s.Ended == "" {
		s.Ended = EndStopped
	}
}

// apply moves trust and stress for one reading and records steps and next
// contact. It returns the steps given for the first time.
func (s *Session) apply(r Reading) (newSteps []string) {
	re := temperaments[s.Scenario.Persona.Temperament]
	trust, stress := 0, 0
	if r.Blame {
		// Blame undoes any warmth in the same message ("I'm sorry, but why did you...").
		trust -= pct(blameTrust, re.blame)
		stress += pct(blameStress, re.blame)
	} else {
		warm := pct(100, re.warmth)
		switch n := s.count(func(r Reading) bool { return r.Acknowledge || r.Reassure }); {
		case n >= 2*fullWarmthTurns: // the same comfort again and again rings hollow
			warm = 0
		case n >= fullWarmthTurns:
			warm /= 2
		}
		if r.Acknowledge {
			trust, stress = trust+pct(ackTrust, warm), stress-pct(ackStress, warm)
		}
		if r.Reassure {
			trust, stress = trust+pct(reassureTrust, warm), stress-pct(reassureStress, warm)
		}
		acked := r.Acknowledge || s.count(func(r Reading) bool { return r.Acknowledge }) > 0
		if r.OpenQuestion && (acked || !re.needsAck) {
			trust += openTrust
		}
	}
	if r.Harsh {
		trust, stress = trust-harshTrust, stress+harshStress
	}
	for _, id := range r.Steps {
		if !slices.Contains(s.StepsGiven, id) {
			s.StepsGiven = append(s.StepsGiven, id)
			newSteps = append(newSteps, id)
			trust, stress = trust+stepTrust, stress-pct(stepStress, re.steps)
		}
	}
	if r.NextContact && !s.NextContact {
		s.NextContact = true
		trust, stress = trust+contactTrust, stress-contactStress
	}
	if len(r.Jargon) > 0 {
		trust, stress = trust-jargonTrust, stress+pct(jargonStress, re.jargon)
	}
	if len(r.WrongSteps) > 0 {
		stress += wrongStepStress
	}
	if r.Wordy {
		stress += pct(wordyStress, re.wordy)
	}
	s.Trust, s.Stress = clamp(s.Trust+trust), clamp(s.Stress+stress)
	s.PeakTrust = max(s.PeakTrust, s.Trust)
	return newSteps
}

// unlock tells at most one fact the message asked about, if trust allows and
// the message did not blame. Otherwise it names the first fact held back.
func (s *Session) unlock(r Reading) (revealed, withheld string) {
	for _, f := range s.Scenario.Facts {
		if slices.Contains(s.Revealed, f.ID) || !overlaps(f.Topics, r.Topics) {
			continue
		}
		if !r.Blame && !r.Harsh && s.Trust >= f.MinTrust {
			s.Revealed = append(s.Revealed, f.ID)
			return f.ID, ""
		}
		if withheld == "" {
			withheld = f.ID
		}
	}
	return "", withheld
}

func (s *Session) endReason() EndReason {
	switch {
	case s.Trust <= disengageAt:
		return EndDisengaged
	case s.goalsMet():
		return EndGoalsMet
	case len(s.Turns) >= s.Scenario.MaxTurns:
		return EndOutOfTurns
	}
	return ""
}

// stateAfter is the persona's state after a turn read as r, in which a fact
// may have been held back.
func (s *Session) stateAfter(r Reading, withheld bool) State {
	switch {
	case s.Ended == EndDisengaged:
		return Disengaged
	case s.Ended == EndGoalsMet:
		return Relieved
	case r.Blame || r.Harsh || withheld:
		return Withholding
	}
	return s.mood()
}

// mood is the state trust and stress alone give.
func (s *Session) mood() State {
	switch {
	case s.Trust < withholdBelow:
		return Withholding
	case s.Stress >= worriedAt:
		return Worried
	case s.Stress <= relievedStress && s.Trust >= relievedTrust:
		return Relieved
	}
	return Calm
}

// reply picks the persona's words for a turn.
func (s *Session) reply(r Reading, t Turn, newSteps []string) string {
	l := &s.Scenario.Lines
	switch {
	case t.State == Disengaged:
		return s.line("disengaged", l.Disengaged)
	case t.Revealed != "":
		f, _ := s.Scenario.Fact(t.Revealed)
		if len(newSteps) > 0 {
			return s.line("agreeing", l.Agreeing) + " " + f.Says
		}
		return f.Says
	case t.State == Withholding:
		return s.line("withholding", l.Withholding)
	case len(r.Jargon) > 0:
		return strings.ReplaceAll(s.line("confused", l.Confused), "{term}", r.Jargon[0])
	case t.Ended == EndGoalsMet:
		return s.line("relieved", l.Relieved)
	case len(newSteps) > 0 || r.NextContact:
		return s.line("agreeing", l.Agreeing)
	case t.State == Relieved:
		return s.line("relieved", l.Relieved)
	case t.State == Worried:
		return s.line("worried", l.Worried)
	}
	return s.line("calm", l.Calm)
}

// line returns the next line of a set, cycling so replays are deterministic.
func (s *Session) line(set string, lines []string) string {
	n := s.LinesUsed[set]
	s.LinesUsed[set] = n + 1
	return lines[n%len(lines)]
}

// Goal is one thing the trainee is trying to achieve.
type Goal struct {
	ID    string `json:"id"` // calm, facts, first_steps, next_contact
	Title string `json:"title"`
	Met   bool   `json:"met"`
}

// Goals reports the session's goals and whether each is met so far.
func (s *Session) Goals() []Goal {
	return []Goal{
		{"calm", "Calm the person", s.Stress <= calmAt},
		{"facts", "Learn the facts", len(s.Revealed) == len(s.Scenario.Facts)},
		{"first_steps", "Give the right first steps", len(s.StepsGiven) == len(s.Scenario.Steps)},
		{"next_contact", "Agree when you'll next be in touch", s.NextContact},
	}
}

func (s *Session) goalsMet() bool {
	return !slices.ContainsFunc(s.Goals(), func(g Goal) bool { return !g.Met })
}

// count returns how many played turns have a reading for which f is true.
func (s *Session) count(f func(Reading) bool) int {
	n := 0
	for _, t := range s.Turns {
		if f(t.Reading) {
			n++
		}
	}
	return n
}

func overlaps(a, b []string) bool {
	return slices.ContainsFunc(a, func(x string) bool { return slices.Contains(b, x) })
}

// pct returns v scaled by p percent.
func pct(v, p int) int { return v * p / 100 }

func clamp(v int) int { return min(100, max(0, v)) }

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
