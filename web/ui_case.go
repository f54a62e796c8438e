package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/playbook"
	"github.com/allydesk/ally/tone"
)

// casePage is the data of a case page, for the reporter or a responder.
type casePage struct {
	chrome
	Case       *ally.Case
	Now        time.Time
	Responder  bool
	Entries    []entryView
	Tasks      []taskView
	Answers    []answerView
	Statuses   []ally.Status
	Severities []ally.Severity
	Assignees  []*ally.User // nil when the user may not list accounts
	Templates  []templateView
	Reply      string         // the composer's text
	Findings   []tone.Finding // error-level findings that held the reply back
	More       bool           // the timeline has more entries than shown
	CanRate    bool
	Files      filesPart // the case's files; for responders, email analyses too
}

// entryView is a timeline entry with how to show it.
type entryView struct {
	*ally.Entry
	Mine bool
}

// taskView is a task and whether the viewer may tick it.
type taskView struct {
	*ally.Task
	CanTick bool
}

// answerView pairs a witness question with the reporter's answer.
type answerView struct{ Question, Answer string }

// templateView is a ready-to-send reply from the playbook.
type templateView struct{ Name, Label, Text string }

// timelineLimit bounds how many entries a case page shows.
const timelineLimit = 500

func (s *Server) pageCase(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	p, err := s.casePage(r, u)
	if err != nil {
		return err
	}
	p.Reply = s.templateText(p.Case, u, r.URL.Query().Get("template"))
	if err := s.Cases.MarkRead(r.Context(), p.Case.Ref); err != nil { // shown once as unread, then read
		return err
	}
	return s.render(w, http.StatusOK, "case", p)
}

// casePage loads everything a case page shows.
func (s *Server) casePage(r *http.Request, u *ally.User) (*casePage, error) {
	ctx, ref := r.Context(), r.PathValue("ref")
	c, err := s.Cases.FindCase(ctx, ref)
	if err != nil {
		return nil, err
	}
	entries, err := s.Cases.Timeline(ctx, c.Ref, 0, timelineLimit)
	if err != nil {
		return nil, err
	}
	tasks, err := s.Tasks.Tasks(ctx, c.Ref)
	if err != nil {
		return nil, err
	}
	p := &casePage{chrome: chromeFor(r, c.Ref), Case: c, Now: s.Now(), Responder: ally.CanTriage(u),
		CanRate: ally.CanGiveFeedback(u, c) && !c.Status.Open() && c.Feedback == nil, More: len(entries) == timelineLimit}
	for _, e := range entries {
		if p.Responder || (e.Type == ally.EntryMessage && !e.Internal) {
			p.Entries = append(p.Entries, entryView{Entry: e, Mine: e.Author != nil && e.Author.Email == u.Email})
		}
	}
	for _, t := range tasks {
		p.Tasks = append(p.Tasks, taskView{Task: t, CanTick: ally.CanTickTask(u, c, t.Owner)})
	}
	if p.Files, err = s.caseFiles(r, c.Ref, p.Responder); err != nil {
		return nil, err
	}
	if r.URL.Query().Get("file") == "added" {
		p.Notice = uploadAdded
	}
	if !p.Responder {
		return p, nil
	}
	pb, _ := s.Playbooks.Get(string(c.Kind))
	p.Answers = answers(pb, c.Answers)
	p.Templates = s.templates(pb, c, u)
	p.Severities = ally.Severities
	p.Statuses = []ally.Status{c.Status}
	for _, st := range ally.Statuses {
		if c.Status.CanMoveTo(st) {
			p.Statuses = append(p.Statuses, st)
		}
	}
	p.Assignees, err = s.assignees(r, c)
	return p, err
}

// answers lists the witness answers in the playbook's question order, then
// any others by id.
func answers(pb *playbook.Playbook, given map[string]string) []answerView {
	var out []answerView
	seen := map[string]bool{}
	if pb != nil {
		for _, q := range pb.Questions {
			if v, ok := given[q.ID]; ok {
				out = append(out, answerView{q.Text, v})
				seen[q.ID] = true
			}
		}
	}
	var rest []string
	for id := range given {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	slices.Sort(rest)
	for _, id := range rest {
		out = append(out, answerView{strings.ReplaceAll(id, "_", " "), given[id]})
	}
	return out
}

// templateOrder puts the usual replies first.
var templateOrder = map[string]int{"acknowledge": 0, "update": 1, "resolve": 2}

// templates fills the playbook's reply templates for this case.
func (s *Server) templates(pb *playbook.Playbook, c *ally.Case, u *ally.User) []templateView {
	if pb == nil {
		return nil
	}
	var out []templateView
	for name := range pb.Templates {
		label := strings.ToUpper(name[:1]) + strings.ReplaceAll(name[1:], "_", " ")
		out = append(out, templateView{Name: name, Label: label, Text: s.templateText(c, u, name)})
	}
	slices.SortFunc(out, func(a, b templateView) int {
		ra, oka := templateOrder[a.Name]
		rb, okb := templateOrder[b.Name]
		switch {
		case oka && okb:
			return ra - rb
		case oka != okb:
			if oka {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// templateText returns the named playbook template filled in for the case,
// or "" when there is none or the viewer is not a responder.
func (s *Server) templateText(c *ally.Case, u *ally.User, name string) string {
	pb, ok := s.Playbooks.Get(string(c.Kind))
	if !ok || name == "" || !ally.CanTriage(u) {
		return ""
	}
	t, ok := pb.Templates[name]
	if !ok {
		return ""
	}
	first := c.Reporter.Name
	if f := strings.Fields(first); len(f) > 0 {
		first = f[0]
	}
	return playbook.Fill(t, map[string]string{"first_name": first, "ref": c.Ref,
		"next_update": c.NextUpdate(s.Now()).Format("15:04")})
}

// assignees lists who may own cases, with the case's current assignee,
// when the viewer may list accounts; otherwise the page offers a plain
// email field.
func (s *Server) assignees(r *http.Request, c *ally.Case) ([]*ally.User, error) {
	out, err := s.Users.FindAssignees(r.Context())
	if ally.ErrorCode(err) == ally.EFORBIDDEN {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if a := c.Assignee; a != nil && !slices.ContainsFunc(out, func(u *ally.User) bool { return u.Email == a.Email }) {
		out = append(out, &ally.User{Email: a.Email, Name: a.Name})
	}
	return out, nil
}

// postMessage posts a reply or an internal note. A reply the case
// service's tone gate holds back comes back on the page with its
// error-level findings and a "Send anyway" button that posts confirmed=1.
func (s *Server) postMessage(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	m := ally.NewMessage{Body: r.PostFormValue("body"), Internal: r.PostFormValue("internal") == "1",
		Confirmed: slices.Contains(r.PostForm["confirmed"], "1")}
	ref := r.PathValue("ref")
	_, err := s.Cases.AddMessage(r.Context(), ref, m)
	if held := (*ally.ReplyHeld)(nil); errors.As(err, &held) {
		p, err := s.casePage(r, u)
		if err != nil {
			return err
		}
		p.Reply, p.Findings = m.Body, ally.ErrorFindings(&held.Tone)
		return s.render(w, http.StatusUnprocessableEntity, "case", p)
	}
	if err != nil {
		return err
	}
	if m.Internal {
		return redirect(w, r, "/cases/"+ref+"?done=note#timeline")
	}
	return redirect(w, r, "/cases/"+ref+"?done=reply#timeline")
}

// postUpdate changes status, severity and assignee, sending only what
// changed.
func (s *Server) postUpdate(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	c, err := s.Cases.FindCase(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	var up ally.CaseUpdate
	if st := ally.Status(r.PostFormValue("status")); st != "" && st != c.Status {
		up.Status = &st
	}
	if sev := ally.Severity(r.PostFormValue("severity")); sev != "" && sev != c.Severity {
		up.Severity = &sev
	}
	assignee := strings.TrimSpace(r.PostFormValue("assignee"))
	if r.PostFormValue("assign_me") == "1" {
		assignee = u.Email
	}
	current := ""
	if c.Assignee != nil {
		current = c.Assignee.Email
	}
	if _, sent := r.PostForm["assignee"]; (sent || assignee != "") && !strings.EqualFold(assignee, current) {
		up.Assignee = &assignee
	}
	if up.Status != nil || up.Severity != nil || up.Assignee != nil {
		if _, err := s.Cases.UpdateCase(r.Context(), c.Ref, up); err != nil {
			return err
		}
	}
	return redirect(w, r, "/cases/"+c.Ref+"?done=update")
}

// postTasks saves a checklist in one go: every task the viewer may tick is
// set to whether its box was ticked.
func (s *Server) postTasks(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if err := r.ParseForm(); err != nil {
		return ally.Errorf(ally.EINVALID, "The checklist could not be read. Please try again.")
	}
	ref := r.PathValue("ref")
	if _, err := s.Tasks.SaveChecklist(r.Context(), ref, r.PostForm["done"]); err != nil {
		return err
	}
	return redirect(w, r, "/cases/"+ref+"?done=tasks#tasks")
}

// postFeedback records the reporter's rating.
func (s *Server) postFeedback(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	ref := r.PathValue("ref")
	rating, err := strconv.Atoi(r.PostFormValue("rating"))
	if err != nil {
		return ally.Errorf(ally.EINVALID, "Please choose a rating from 1 to 5, then send it again.")
	}
	f := ally.Feedback{Rating: rating, Comment: strings.TrimSpace(r.PostFormValue("comment"))}
	if _, err := s.Cases.AddFeedback(r.Context(), ref, f); err != nil {
		return err
	}
	return redirect(w, r, "/cases/"+ref+"?done=feedback#feedback")
}
