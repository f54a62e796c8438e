// Package practice plays the sessions in which responders rehearse hard
// conversations: it starts a scenario, resumes a kept session, plays the
// trainee's reply or stops early, scores the end, and keeps the state
// through an ally.PracticeService. Web pages and any API call it alike.
package practice

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/roleplay"
)

// MaxReply is the longest reply a trainee may type, in characters.
const MaxReply = 2000

// Service plays practice sessions kept in Store, with the scenarios of
// Scenarios.
type Service struct {
	Store     ally.PracticeService
	Scenarios *roleplay.Library
}

// Start begins a session of the scenario with the given id for the
// signed-in user. Errors: EFORBIDDEN (not a responder), EINVALID.
func (s *Service) Start(ctx context.Context, scenario string) (*ally.Practice, error) {
	if !ally.CanTriage(ally.UserFromContext(ctx)) {
		return nil, ally.Errorf(ally.EFORBIDDEN, "Practice is for responders.")
	}
	sc, ok := s.Scenarios.Get(scenario)
	if !ok {
		return nil, ally.Errorf(ally.EINVALID, "We do not know that scenario. Pick one from the practice page.")
	}
	data, err := json.Marshal(roleplay.Start(sc))
	if err != nil {
		return nil, err
	}
	p := &ally.Practice{Scenario: sc.ID, Title: sc.Title, Session: data}
	return p, s.Store.StartPractice(ctx, p)
}

// Resume loads a session the user may read and its conversation.
// Errors: EFORBIDDEN (not a responder), ENOTFOUND.
func (s *Service) Resume(ctx context.Context, id int64) (*ally.Practice, *roleplay.Session, error) {
	if !ally.CanTriage(ally.UserFromContext(ctx)) {
		return nil, nil, ally.Errorf(ally.EFORBIDDEN, "Practice is for responders.")
	}
	p, err := s.Store.FindPractice(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	var sess roleplay.Session
	if err := json.Unmarshal(p.Session, &sess); err != nil {
		return nil, nil, fmt.Errorf("practice %d: %w", p.ID, err)
	}
	if sess.Scenario == nil { // a session kept without its scenario takes the library's
		sc, ok := s.Scenarios.Get(p.Scenario)
		if !ok {
			return nil, nil, fmt.Errorf("practice %d: no scenario %q", p.ID, p.Scenario)
		}
		sess.Scenario = sc
	}
	return p, &sess, nil
}

// Say plays the trainee's reply (trimmed) and keeps the session; the last
// turn ends it with its debrief score. Errors: as for Resume, EFORBIDDEN
// (someone else's session), ECONFLICT (ended), EINVALID (an empty or
// overlong reply; nothing is kept).
func (s *Service) Say(ctx context.Context, id int64, reply string) (*ally.Practice, error) {
	p, sess, err := s.playable(ctx, id)
	if err != nil {
		return nil, err
	}
	reply = strings.TrimSpace(reply)
	switch n := utf8.RuneCountInString(reply); {
	case n == 0:
		return nil, ally.Errorf(ally.EINVALID, "Please type a reply first.")
	case n > MaxReply:
		return nil, ally.Errorf(ally.EINVALID,
			"Your reply is %d characters long. Please keep it under %d: short replies work better on a call.", n, MaxReply)
	}
	sess.Say(reply)
	return p, s.save(ctx, p, sess)
}

// Stop ends the session early and scores it. Errors: as for Say, but for
// EINVALID.
func (s *Service) Stop(ctx context.Context, id int64) (*ally.Practice, error) {
	p, sess, err := s.playable(ctx, id)
	if err != nil {
		return nil, err
	}
	sess.Stop()
	return p, s.save(ctx, p, sess)
}

// playable resumes a session its trainee may still carry on.
func (s *Service) playable(ctx context.Context, id int64) (*ally.Practice, *roleplay.Session, error) {
	p, sess, err := s.Resume(ctx, id)
	switch {
	case err != nil:
		return nil, nil, err
	case !ally.CanContinuePractice(ally.UserFromContext(ctx), p.TraineeID):
		return nil, nil, ally.Errorf(ally.EFORBIDDEN, "You can read this session, but only the person practising can reply.")
	case sess.Ended != "":
		return nil, nil, ally.Errorf(ally.ECONFLICT, "This session has ended. Start a new one from the practice page.")
	}
	return p, sess, nil
}

// save keeps the session's new state, with its overall score once ended.
func (s *Service) save(ctx context.Context, p *ally.Practice, sess *roleplay.Session) error {
	data, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	p.Turns, p.Ended, p.Session, p.Overall = len(sess.Turns), string(sess.Ended), data, nil
	if sess.Ended != "" {
		overall := sess.Debrief().Scores.Overall
		p.Overall = &overall
	}
	return s.Store.SavePractice(ctx, p)
}
