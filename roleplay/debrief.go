package roleplay

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/allydesk/ally/tone"
)

// Scores rate a conversation from 0 to 100 on each dimension; Overall is
// their rounded mean.
type Scores struct {
	Overall       int `json:"overall"`
	Empathy       int `json:"empathy"`
	BlameAvoided  int `json:"blame_avoided"`
	FactsGathered int `json:"facts_gathered"`
	FirstSteps    int `json:"first_steps"`
	Clarity       int `json:"clarity"`
}

// FactReview is one hidden fact: whether it came out, and what unlocks it.
type FactReview struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Revealed bool   `json:"revealed"`
	Turn     int    `json:"turn,omitempty"` // the turn it was told on
	MinTrust int    `json:"min_trust"`
	Unlock   string `json:"unlock"` // what would have unlocked it
}

// StepReview is one first step and whether the trainee gave it.
type StepReview struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Given bool   `json:"given"`
}

// TurnReview is one turn of the transcript with its findings and, when the
// message had a problem, a kinder way to say it.
type TurnReview struct {
	N        int            `json:"n"`
	Trainee  string         `json:"trainee"`
	Reply    string         `json:"reply"`
	State    State          `json:"state"`
	Trust    int            `json:"trust"`
	Stress   int            `json:"stress"`
	Revealed string         `json:"revealed,omitempty"`
	Withheld string         `json:"withheld,omitempty"`
	Findings []tone.Finding `json:"findings"`
	Advice   []string       `json:"advice,omitempty"` // why advice given this turn was wrong, and what to do instead
	Better   string         `json:"better,omitempty"`
}

// Debrief is the review of a session.
type Debrief struct {
	Scenario      string       `json:"scenario"`
	Title         string       `json:"title"`
	Persona       Persona      `json:"persona"`
	Opening       string       `json:"opening"`
	Ended         EndReason    `json:"ended"` // empty while the session is still going
	Turns         int          `json:"turns"`
	Scores        Scores       `json:"scores"`
	Goals         []Goal       `json:"goals"`
	FactsRevealed []string     `json:"facts_revealed"` // fact ids, in the order told
	Facts         []FactReview `json:"facts"`
	Steps         []StepReview `json:"first_steps"`
	Transcript    []TurnReview `json:"transcript"`
	Lessons       []string     `json:"lessons"`
}

// Scoring weights; docs/roleplay.md explains them.
const (
	blamePenalty     = 40 // per blaming turn
	harshPenalty     = 15 // per other harsh turn
	jargonPenalty    = 15 // per jargon term used
	wordyPenalty     = 10 // per wordy turn
	wrongStepPenalty = 25 // per turn giving wrong advice
	warmTurnsFull    = 2  // warm turns for full marks on that half of empathy
	lessonBelow      = 80 // a dimension under this gets a lesson
)

// Debrief reviews the session so far.
func (s *Session) Debrief() Debrief {
	sc := s.Scenario
	d := Debrief{Scenario: sc.ID, Title: sc.Title, Persona: sc.Persona, Opening: sc.Opening, Ended: s.Ended,
		Turns: len(s.Turns), Scores: s.scores(), Goals: s.Goals(), FactsRevealed: append([]string{}, s.Revealed...)}
	for _, f := range sc.Facts {
		d.Facts = append(d.Facts, s.reviewFact(f))
	}
	for _, st := range sc.Steps {
		d.Steps = append(d.Steps, StepReview{ID: st.ID, Text: st.Text, Given: slices.Contains(s.StepsGiven, st.ID)})
	}
	d.Transcript = []TurnReview{}
	for _, t := range s.Turns {
		d.Transcript = append(d.Transcript, TurnReview{N: t.N, Trainee: t.Trainee, Reply: t.Reply, State: t.State,
			Trust: t.Trust, Stress: t.Stress, Revealed: t.Revealed, Withheld: t.Withheld,
			Findings: t.Reading.Findings, Advice: s.advice(t.Reading), Better: s.better(t.Reading, t.Trainee)})
	}
	d.Lessons = s.lessons(d.Scores)
	return d
}

func (s *Session) scores() Scores {
	n := len(s.Turns)
	if n == 0 {
		return Scores{}
	}
	sc := s.Scenario
	warm := s.count(func(r Reading) bool { return (r.Acknowledge || r.Reassure) && !r.Blame })
	var calm int
	switch {
	case sc.Stress > calmAt:
		calm = clamp((sc.Stress - s.Stress) * 100 / (sc.Stress - calmAt))
	case s.Stress <= calmAt:
		calm = 100
	}
	jargonTerms := 0
	for _, t := range s.Turns {
		jargonTerms += len(t.Reading.Jargon)
	}
	contact := 0
	if s.NextContact {
		contact = 1
	}
	blamed := s.count(func(r Reading) bool { return r.Blame })
	harsh := s.count(func(r Reading) bool { return r.Harsh })
	wrongSteps := s.count(func(r Reading) bool { return len(r.WrongSteps) > 0 })
	out := Scores{
		Empathy:       min(warm, warmTurnsFull)*50/warmTurnsFull + calm/2,
		BlameAvoided:  clamp(100 - blamePenalty*blamed - harshPenalty*harsh),
		FactsGathered: 100 * len(s.Revealed) / len(sc.Facts),
		FirstSteps:    clamp(100*(len(s.StepsGiven)+contact)/(len(sc.Steps)+1) - wrongStepPenalty*wrongSteps),
		Clarity:       clamp(100 - jargonPenalty*jargonTerms - wordyPenalty*s.count(func(r Reading) bool { return r.Wordy })),
	}
	out.Overall = (out.Empathy + out.BlameAvoided + out.FactsGathered + out.FirstSteps + out.Clarity + 2) / 5
	return out
}

func (s *Session) reviewFact(f Fact) FactReview {
	fr := FactReview{ID: f.ID, Text: f.Text, MinTrust: f.MinTrust}
	var labels []string
	var example string
	for _, id := range f.Topics {
		t, _ := topicByID(id)
		labels = append(labels, t.Label)
		if example == "" {
			example = t.Question
		}
	}
	name := s.Scenario.Persona.Name
	fr.Unlock = fmt.Sprintf("Ask about %s, for example: %q %s shares this once trust reaches %d "+
		"(in this practice it reached %d at most).",
		strings.Join(labels, " or "), example, name, f.MinTrust, s.PeakTrust)
	for _, t := range s.Turns {
		switch f.ID {
		case t.Revealed:
			fr.Revealed, fr.Turn = true, t.N
		case t.Withheld:
			if !fr.Revealed {
				fr.Unlock += fmt.Sprintf(" You asked on turn %d, when trust was %d.", t.N, t.Trust)
			}
		}
	}
	return fr
}

// advice explains each wrong step a message gave.
func (s *Session) advice(r Reading) []string {
	var out []string
	for _, st := range s.Scenario.Avoid {
		if slices.Contains(r.WrongSteps, st.ID) {
			out = append(out, st.Text)
		}
	}
	return out
}

var jargonReplace = regexp.MustCompile(`(?i)` + jargonPattern.String())

// better returns a kinder way to say a message that blamed, was harsh or used
// jargon, and "" for a message with none of these.
func (s *Session) better(r Reading, msg string) string {
	switch {
	case r.Blame || r.Harsh:
		parts := []string{temperaments[s.Scenario.Persona.Temperament].opener, "Can you walk me through what happened?"}
		if len(r.Topics) > 0 {
			t, _ := topicByID(r.Topics[0])
			parts[1] = t.Question
		}
		for _, st := range s.Scenario.Steps {
			if slices.Contains(r.Steps, st.ID) {
				parts = append(parts, st.Text)
			}
		}
		return strings.Join(parts, " ")
	case len(r.Jargon) > 0:
		return jargonReplace.ReplaceAllStringFunc(msg, func(m string) string {
			if plain, ok := jargon[normalize(m)]; ok {
				return plain
			}
			return m
		})
	}
	return ""
}

func (s *Session) lessons(sc Scores) []string {
	name := s.Scenario.Persona.Name
	var out []string
	add := func(score int, lesson string) {
		if score < lessonBelow {
			out = append(out, lesson)
		}
	}
	add(sc.BlameAvoided, fmt.Sprintf("Blame made %s hold back. "+
		"Swap \"why did you...\" for \"can you walk me through...\".", name))
	add(sc.Empathy, "Name the feeling early and thank them: \"That sounds stressful. Thank you for telling me.\"")
	add(sc.FactsGathered, fmt.Sprintf("Ask open questions about what happened; %s shares more as trust grows.", name))
	add(sc.FirstSteps, "Give clear first steps, and agree when you will next be in touch.")
	add(sc.Clarity, "Use plain words instead of security terms, and keep sentences short.")
	if out == nil {
		out = []string{fmt.Sprintf("Well done: %s felt safe, told you what happened and knows what to do next.", name)}
	}
	return out
}
