package roleplay

import (
	"context"
	"strings"
)

// Voice speaks the persona's reply in its own words, for example through a
// language model. The engine still decides everything that is scored: trust,
// stress, state, which fact is told and when the session ends. A Voice only
// ever sees facts already told, so it cannot give away a hidden one.
type Voice interface {
	Speak(ctx context.Context, req VoiceRequest) (string, error)
}

// VoiceRequest is what a Voice needs to speak one reply.
type VoiceRequest struct {
	Title   string     `json:"title"`
	Persona Persona    `json:"persona"`
	State   State      `json:"state"`
	Told    []string   `json:"told"`     // what the persona has said about the facts so far, this turn's last
	NewFact string     `json:"new_fact"` // what the persona must say this turn, or ""
	Line    string     `json:"line"`     // the engine's own reply: a guide to content and mood
	History []Exchange `json:"history"`  // the conversation so far, this turn's message last
}

// Exchange is one message of the conversation.
type Exchange struct {
	Trainee bool   `json:"trainee"` // false: the persona
	Text    string `json:"text"`
}

// maxVoiced caps a voiced reply, in bytes.
const maxVoiced = 600

// SayVoiced is Say with the reply spoken by v. If v fails or says nothing,
// the engine's own line stays and the error is returned with the turn.
func (s *Session) SayVoiced(ctx context.Context, msg string, v Voice) (Turn, error) {
	t := s.Say(msg)
	if t.N == 0 {
		return t, nil
	}
	req := VoiceRequest{Title: s.Scenario.Title, Persona: s.Scenario.Persona, State: t.State, Line: t.Reply,
		History: s.history()}
	for _, id := range s.Revealed {
		f, _ := s.Scenario.Fact(id)
		req.Told = append(req.Told, f.Says)
	}
	if f, ok := s.Scenario.Fact(t.Revealed); ok {
		req.NewFact = f.Says
	}
	text, err := v.Speak(ctx, req)
	if text = strings.TrimSpace(truncate(text, maxVoiced)); err != nil || text == "" {
		return t, err
	}
	t.Reply = text
	s.Turns[len(s.Turns)-1].Reply = text
	return t, nil
}

// history is the conversation so far, opening line first and the last
// trainee message last.
func (s *Session) history() []Exchange {
	h := []Exchange{{Text: s.Scenario.Opening}}
	for i, t := range s.Turns {
		h = append(h, Exchange{Trainee: true, Text: t.Trainee})
		if i < len(s.Turns)-1 {
			h = append(h, Exchange{Text: t.Reply})
		}
	}
	return h
}
