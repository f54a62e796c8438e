package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/roleplay"
)

// practicePageSize is how many sessions each list of the practice page
// shows at a time; older ones are a link away.
const practicePageSize = 25

// The query parameters holding the cursors of the practice page's two
// lists, so each pages on its own.
const (
	mineCursor = "mine"
	teamCursor = "team"
)

// practicePage lists the scenarios and the sessions so far; leads and
// admins also see every trainee's sessions and progress.
type practicePage struct {
	chrome
	Scenarios []roleplay.Brief
	Mine      practiceList
	CanSeeAll bool
	Team      practiceList
	Progress  []*ally.PracticeProgress // every trainee, over all their sessions
}

// practiceList is one page of a list of sessions, newest first.
type practiceList struct {
	Rows    []practiceRow
	Heading string // the id of the list's heading, which its links land on
	Older   string // the link to the next, older page; empty on the last
	Newest  string // the link back to the first page; empty on it
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
	EndNote  string // a kind word to the trainee about how it ended, if any
	CanPlay  bool   // the trainee's own session, still going
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
	string(roleplay.EndStopped):    "Stopped early",
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
	mine, err := s.practiceList(r, false, mineCursor, "mine-h")
	if err != nil {
		return err
	}
	p := practicePage{chrome: chromeFor(r, "Practice"), Mine: mine, CanSeeAll: ally.CanSeeEveryonesPractice(u)}
	for _, sc := range s.Scenarios.List() {
		p.Scenarios = append(p.Scenarios, sc.Brief())
	}
	if p.CanSeeAll {
		if p.Team, err = s.practiceList(r, true, teamCursor, "team-all-h"); err != nil {
			return err
		}
		if p.Progress, err = s.Practice.FindPracticeProgress(r.Context()); err != nil {
			return err
		}
	}
	return s.render(w, http.StatusOK, "practice", p)
}

// practiceList loads one page of sessions, the user's own or with everyone
// set all trainees', older than the cursor in the query parameter param.
// Its links keep the other list's page and land on its heading.
func (s *Server) practiceList(r *http.Request, everyone bool, param, heading string) (practiceList, error) {
	before, err := practiceCursor(r, param)
	if err != nil {
		return practiceList{}, err
	}
	ps, err := s.Practice.FindPractices(r.Context(), everyone, before, practicePageSize+1)
	if err != nil {
		return practiceList{}, err
	}
	l := practiceList{Heading: heading}
	if len(ps) > practicePageSize {
		ps = ps[:practicePageSize]
		l.Older = practiceListLink(r, param, strconv.FormatInt(ps[len(ps)-1].ID, 10), heading)
	}
	if before != 0 {
		l.Newest = practiceListLink(r, param, "", heading)
	}
	l.Rows = practiceRows(ps)
	return l, nil
}

// practiceCursor reads the cursor of one of the page's lists from the query
// parameter param.
func practiceCursor(r *http.Request, param string) (int64, error) {
	before, err := beforeParam(r, param)
	if err != nil {
		return 0, ally.Errorf(ally.EINVALID, "That link to older sessions is not right. Start again from the practice page.")
	}
	return before, nil
}

// practiceListLink is the practice page with the list named by param at
// the cursor value ("" for its first page) and the other list kept as it is.
func practiceListLink(r *http.Request, param, value, frag string) string {
	q := url.Values{}
	for _, k := range []string{mineCursor, teamCursor} {
		if v := r.URL.Query().Get(k); v != "" && k != param {
			q.Set(k, v)
		}
	}
	if value != "" {
		q.Set(param, value)
	}
	link := "/practice"
	if len(q) > 0 {
		link += "?" + q.Encode()
	}
	return link + "#" + frag
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

// postPractice starts a session of the chosen scenario.
func (s *Server) postPractice(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	p, err := s.practice.Start(r.Context(), r.PostFormValue("scenario"))
	if err != nil {
		return err
	}
	return redirect(w, r, practicePath(p.ID, "#reply"))
}

func practicePath(id int64, frag string) string {
	return "/practice/" + strconv.FormatInt(id, 10) + frag
}

// loadPractice finds the session named in the path and resumes its
// conversation.
func (s *Server) loadPractice(r *http.Request) (*ally.Practice, *roleplay.Session, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	return s.practice.Resume(r.Context(), id)
}

func (s *Server) pagePracticeSession(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	p, sess, err := s.loadPractice(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "practice_session", sessionPage(r, u, p, sess))
}

// sessionPage builds the page of one session.
func sessionPage(r *http.Request, u *ally.User, p *ally.Practice, sess *roleplay.Session) *practiceSessionPage {
	sc := sess.Scenario
	pg := &practiceSessionPage{chrome: chromeFor(r, "Practice: "+sc.Title), Practice: p, Persona: sc.Persona,
		Opening: sc.Opening, Outcome: endedWords[string(sess.Ended)], Own: ally.CanContinuePractice(u, p.TraineeID),
		Left: sc.MaxTurns - len(sess.Turns)}
	pg.CanPlay = pg.Own && sess.Ended == ""
	if pg.Own {
		pg.EndNote = roleplay.EndNote(sess.Ended)
	}
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

// postPracticeSay plays the trainee's reply (practice.Service.Say). An
// empty or overlong reply brings the page back (422) with the words kept
// and nothing saved.
func (s *Server) postPracticeSay(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.practice.Say(r.Context(), id, r.PostFormValue("message"))
	if ally.ErrorCode(err) == ally.EINVALID {
		p, sess, lerr := s.loadPractice(r)
		if lerr != nil {
			return lerr
		}
		pg := sessionPage(r, u, p, sess)
		pg.Reply, pg.Error = r.PostFormValue("message"), pageMessage(err)
		return s.render(w, http.StatusUnprocessableEntity, "practice_session", pg)
	} else if err != nil {
		return err
	}
	return redirect(w, r, practicePath(p.ID, practiceFrag(p)))
}

// postPracticeStop ends the session early and shows the debrief.
func (s *Server) postPracticeStop(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.practice.Stop(r.Context(), id)
	if err != nil {
		return err
	}
	return redirect(w, r, practicePath(p.ID, practiceFrag(p)))
}

// practiceFrag is where the session page opens after a turn: the latest
// exchange, or the debrief once it has ended.
func practiceFrag(p *ally.Practice) string {
	if p.Ended != "" {
		return "#debrief"
	}
	return "#latest"
}
