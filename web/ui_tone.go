package web

import (
	"net/http"
	"strconv"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/tone"
)

// tonePage is the leads' tone page: the newest replies to reporters, a page
// at a time, each with a form to mark it "reads as blaming" or "is fine", so
// that the tone check learns the team's own words.
type tonePage struct {
	chrome
	Replies []toneReply
	Cursor  string   // the page's own ?cursor=, "" on the first page; a mark comes back to it
	Back    []string // the page's way back (?back=), which a mark keeps
	Pages   pager
}

// toneLimit is how many replies the tone page shows at a time.
const toneLimit = 50

// toneReply is one reply on the tone page with its latest mark in words.
type toneReply struct {
	ally.ToneMessage
	Mark string // "reads as blaming", "is fine" or "" when not marked yet
}

// toneEngine is the engine in use now: the organisation's, when the
// server has a ToneService, else Config.Tone.
func (s *Server) toneEngine() *tone.Engine {
	if s.ToneMarks != nil {
		if e := s.ToneMarks.ToneEngine(); e != nil {
			return e
		}
	}
	return s.Tone
}

func (s *Server) pageTone(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if s.ToneMarks == nil {
		return ally.Errorf(ally.ENOTFOUND, "Teaching the tone check is not set up on this server.")
	}
	before, err := beforeCursor(r)
	if err != nil {
		return ally.Errorf(ally.EINVALID, "That link to older replies is not right. Start again from the tone page.")
	}
	replies, err := s.ToneMarks.RecentReplies(r.Context(), before, toneLimit+1)
	if err != nil {
		return err
	}
	p := tonePage{chrome: chromeFor(r, "Tone of our replies")}
	if before > 0 {
		p.Cursor, p.Back = strconv.FormatInt(before, 10), r.URL.Query()[backParam]
	}
	next := ""
	if len(replies) > toneLimit {
		replies = replies[:toneLimit]
		next = strconv.FormatInt(replies[toneLimit-1].ID, 10)
	}
	p.Pages = newPager(r, "/tone", next, replyWords)
	for _, m := range replies {
		tr := toneReply{ToneMessage: m}
		if m.Marked != nil {
			tr.Mark = map[bool]string{true: "reads as blaming", false: "is fine"}[*m.Marked]
		}
		p.Replies = append(p.Replies, tr)
	}
	return s.render(w, http.StatusOK, "tone", p)
}

func (s *Server) postToneMark(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if s.ToneMarks == nil {
		return ally.Errorf(ally.ENOTFOUND, "Teaching the tone check is not set up on this server.")
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return ally.Errorf(ally.EINVALID, "That is not a message number; pick a message from the list.")
	}
	var blame bool
	switch r.PostFormValue("verdict") {
	case "blame":
		blame = true
	case "fine":
	default:
		return ally.Errorf(ally.EINVALID, "Choose \"This reads as blaming\" or \"This is fine\".")
	}
	back := "/tone?done=tone"
	if before, err := strconv.ParseInt(r.PostFormValue("cursor"), 10, 64); err == nil && before > 0 {
		back = "/tone?cursor=" + strconv.FormatInt(before, 10) + idTrail(r.PostForm[backParam]) + "&done=tone"
	}
	if err := s.ToneMarks.MarkTone(r.Context(), id, blame); err != nil {
		return err
	}
	return redirect(w, r, back+"#reply-"+strconv.FormatInt(id, 10)) // back at the reply, its mark in sight
}

// errTeachTone is why someone else may not teach the tone check.
const errTeachTone = "Only leads and admins can teach the tone check."
