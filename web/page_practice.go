package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/roleplay"
)

// maxPracticeReply is the longest reply the practice form takes, in
// characters.
const maxPracticeReply = 2000

// practiceLimit is how many sessions the practice page lists.
const practiceLimit = 200

// practicePage lists the scenarios and the sessions so far; leads and
// admins also see every trainee's sessions and progress.
type practicePage struct {
	chrome
	Scenarios []roleplay.Brief
	Mine      []practiceRow
	CanSeeAll bool
	Team      []practiceRow
	Progress  []traineeProgress
}

// practiceRow is one session in a list.
type practiceRow struct {
	ID      int64
	Trainee string
	Title   string
	Turns   int
	Outcome string
	Overall *int
	Date    string
}

// traineeProgress sums up one trainee's sessions: how many, and the latest
// and best overall scores of those that ended.
type traineeProgress struct {
	Name         string
	Sessions     int
	Latest, Best *int
}

// practiceSessionPage is one conversation: the chat, the reply form while
// it goes on, and the debrief once it has ended (or for a lead reading a
// trainee's session).
type practiceSessionPage struct {
	chrome
	Practice *ally.Practice
	Persona  roleplay.Persona
	Opening  string
	Turns    []practiceTurn
	Outcome  string
	CanPlay  bool // the trainee's own session, still going
	Own      bool
	Left     int // turns left
	Reply    string
	Error    string
	Debrief  *roleplay.Debrief
	Scores   []scoreBar
}

// practiceTurn is one exchange as the trainee sees it while playing.
type practiceTurn struct {
	Trainee string
	Reply   string
	Mood    string
	Latest  bool
}

// scoreBar is one score of a debrief, drawn as text and a bar.
type scoreBar struct {
	Name  string
	Value int
}

// endedWords say why a session ended, in plain words.
var endedWords = map[string]string{
	"":                             "Still going",
	string(roleplay.EndGoalsMet):   "Every goal met",
	string(roleplay.EndDisengaged): "They stopped talking",
	string(roleplay.EndOutOfTurns): "Finished",
}

// moodWords say gently how the persona feels after a turn; %s is their name.
var moodWords = map[roleplay.State]string{
	roleplay.Calm:        "%s seems calmer.",
	roleplay.Worried:     "%s still sounds worried.",
	roleplay.Withholding: "%s seems to be holding something back.",
	roleplay.Disengaged:  "%s has stopped talking.",
	roleplay.Relieved:    "%s sounds relieved.",
}

func (s *Server) pagePractice(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if !ally.CanTriage(u) {
		return ally.Errorf(ally.EFORBIDDEN, "Practice is for responders.")
	}
	mine, err := s.Practice.FindPractices(r.Context(), false, 0, practiceLimit)
	if err != nil {
		return err
	}
	p := practicePage{chrome: chromeFor(r, "Practice"), Mine: practiceRows(mine), CanSeeAll: ally.CanReadMetrics(u)}
	for _, sc := range s.Scenarios.List() {
		p.Scenarios = append(p.Scenarios, sc.Brief())
	}
	if p.CanSeeAll {
		all, err := s.Practice.FindPractices(r.Context(), true, 0, practiceLimit)
		if err != nil {
			return err
		}
		p.Team, p.Progress = practiceRows(all), progressOf(all)
	}
	return s.render(w, http.StatusOK, "practice", p)
}

// practiceRows turns sessions into list rows.
func practiceRows(ps []*ally.Practice) []practiceRow {
	out := make([]practiceRow, 0, len(ps))
	for _, p := range ps {
		out = append(out, practiceRow{ID: p.ID, Trainee: p.Trainee.Name, Title: p.Title, Turns: p.Turns,
			Outcome: endedWords[p.Ended], Overall: p.Overall, Date: p.UpdatedAt.Format("2 Jan 2006")})
	}
	return out
}

// progressOf sums up each trainee's sessions, in the order they first
// appear (the most recently active first, as sessions come newest first).
func progressOf(ps []*ally.Practice) []traineeProgress {
	var out []traineeProgress
	at := map[int64]int{}
	for _, p := range ps {
		i, ok := at[p.TraineeID]
		if !ok {
			i, at[p.TraineeID] = len(out), len(out)
			out = append(out, traineeProgress{Name: p.Trainee.Name})
		}
		t := &out[i]
		t.Sessions++
		if p.Overall == nil {
			continue
		}
		if t.Latest == nil { // sessions come newest first
			t.Latest = p.Overall
		}
		if t.Best == nil || *p.Overall > *t.Best {
			t.Best = p.Overall
		}
	}
	return out
}

// postPractice starts a session of the chosen scenario.
func (s *Server) postPractice(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if !ally.CanTriage(u) {
		return ally.Errorf(ally.EFORBIDDEN, "Practice is for responders.")
	}
	sc, ok := s.Scenarios.Get(r.PostFormValue("scenario"))
	if !ok {
		return ally.Errorf(ally.EINVALID, "We do not know that scenario. Pick one from the practice page.")
	}
	data, err := json.Marshal(roleplay.Start(sc))
	if err != nil {
		return err
	}
	p := &ally.Practice{Scenario: sc.ID, Title: sc.Title, Session: data}
	if err := s.Practice.StartPractice(r.Context(), p); err != nil {
		return err
	}
	return redirect(w, r, practicePath(p.ID, "#reply"))
}

func practicePath(id int64, frag string) string {
	return "/practice/" + strconv.FormatInt(id, 10) + frag
}

// loadPractice finds the session named in the path and resumes its
// conversation.
func (s *Server) loadPractice(r *http.Request, u *ally.User) (*ally.Practice, *roleplay.Session, error) {
	if !ally.CanTriage(u) {
		return nil, nil, ally.Errorf(ally.EFORBIDDEN, "Practice is for responders.")
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	p, err := s.Practice.FindPractice(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	var sess roleplay.Session
	if err := json.Unmarshal(p.Session, &sess); err != nil {
		return nil, nil, fmt.Errorf("web: practice %d: %w", p.ID, err)
	}
	if sess.Scenario == nil { // a session kept without its scenario takes the library's
		sc, ok := s.Scenarios.Get(p.Scenario)
		if !ok {
			return nil, nil, fmt.Errorf("web: practice %d: no scenario %q", p.ID, p.Scenario)
		}
		sess.Scenario = sc
	}
	return p, &sess, nil
}

func (s *Server) pagePracticeSession(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	p, sess, err := s.loadPractice(r, u)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "practice_session", sessionPage(r, u, p, sess))
}

// sessionPage builds the page of one session.
func sessionPage(r *http.Request, u *ally.User, p *ally.Practice, sess *roleplay.Session) *practiceSessionPage {
	sc := sess.Scenario
	pg := &practiceSessionPage{chrome: chromeFor(r, "Practice: "+sc.Title), Practice: p, Persona: sc.Persona,
		Opening: sc.Opening, Outcome: endedWords[string(sess.Ended)], Own: p.TraineeID == u.ID,
		Left: sc.MaxTurns - len(sess.Turns)}
	pg.CanPlay = pg.Own && sess.Ended == ""
	for i, t := range sess.Turns {
		pg.Turns = append(pg.Turns, practiceTurn{Trainee: t.Trainee, Reply: t.Reply,
			Mood: fmt.Sprintf(moodWords[t.State], sc.Persona.Name), Latest: i == len(sess.Turns)-1})
	}
	if !pg.CanPlay {
		d := sess.Debrief()
		pg.Debrief = &d
		ds := d.Scores
		pg.Scores = []scoreBar{{"Empathy", ds.Empathy}, {"Avoiding blame", ds.BlameAvoided},
			{"Facts gathered", ds.FactsGathered}, {"First steps", ds.FirstSteps}, {"Clarity", ds.Clarity}}
	}
	return pg
}

// postPracticeSay plays the trainee's reply. An empty or overlong reply
// brings the page back (422) with the words kept and nothing saved.
func (s *Server) postPracticeSay(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	p, sess, err := s.playable(r, u)
	if err != nil {
		return err
	}
	msg := strings.TrimSpace(r.PostFormValue("message"))
	var problem string
	switch n := utf8.RuneCountInString(msg); {
	case n == 0:
		problem = "Please type a reply first."
	case n > maxPracticeReply:
		problem = fmt.Sprintf("Your reply is %d characters long. Please keep it under %d: short replies work better on a call.", n, maxPracticeReply)
	}
	if problem != "" {
		pg := sessionPage(r, u, p, sess)
		pg.Reply, pg.Error = r.PostFormValue("message"), problem
		return s.render(w, http.StatusUnprocessableEntity, "practice_session", pg)
	}
	sess.Say(msg)
	return s.savePractice(w, r, p, sess)
}

// postPracticeStop ends the session early and shows the debrief.
func (s *Server) postPracticeStop(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	p, sess, err := s.playable(r, u)
	if err != nil {
		return err
	}
	sess.Stop()
	return s.savePractice(w, r, p, sess)
}

// playable loads a session its trainee may still carry on.
func (s *Server) playable(r *http.Request, u *ally.User) (*ally.Practice, *roleplay.Session, error) {
	p, sess, err := s.loadPractice(r, u)
	switch {
	case err != nil:
		return nil, nil, err
	case p.TraineeID != u.ID:
		return nil, nil, ally.Errorf(ally.EFORBIDDEN, "You can read this session, but only the person practising can reply.")
	case sess.Ended != "":
		return nil, nil, ally.Errorf(ally.ECONFLICT, "This session has ended. Start a new one from the practice page.")
	}
	return p, sess, nil
}

// savePractice stores the session's new state and goes back to its page.
func (s *Server) savePractice(w http.ResponseWriter, r *http.Request, p *ally.Practice, sess *roleplay.Session) error {
	data, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	p.Turns, p.Ended, p.Session, p.Overall = len(sess.Turns), string(sess.Ended), data, nil
	frag := "#latest"
	if sess.Ended != "" {
		overall := sess.Debrief().Scores.Overall
		p.Overall, frag = &overall, "#debrief"
	}
	if err := s.Practice.SavePractice(r.Context(), p); err != nil {
		return err
	}
	return redirect(w, r, practicePath(p.ID, frag))
}
