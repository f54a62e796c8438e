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
	Note       string         // a kept internal note (drafts.go)
	Findings   []tone.Finding // error-level findings that held the reply back
	More       bool           // the timeline has more entries than shown
	CanRate    bool
	Files      filesPart // the case's files; for responders, email analyses too
	// Here is the confirmation, or the refusal, of a form sent from one of
	// the page's sections, shown in that section, where the page comes back
	// to (#timeline, #links, #tasks…), not at the top of the page; a refused
	// quick action's stands at the quick actions.
	Here sectionNotice
	// The resolve step (responders, open cases): the outcome message to the
	// reporter, its held tone findings, how many tasks are still open, and
	// whether resolving with open tasks was asked and awaits "anyway".
	Outcome         string
	OutcomeFindings []tone.Finding
	OpenTasks       int
	AskAnyway       bool
	Comment         string            // the rating form's comment, kept when it comes back
	Errors          map[string]string // a refused form's problems, by field, shown next to it
	Urgent          urgentBanner      // for the reporter of a critical case
	Linked          []linkedCase      // linked cases with their timelines (responders)
	LinkRef         string            // the link form's reference, kept when refused
	LinkType        ally.LinkType
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
	if kept := s.takeDraft(w, r, "/cases/"+p.Case.Ref); kept != nil {
		if kept.Get("internal") == "1" {
			p.Note = kept.Get("body")
		} else {
			p.Reply = kept.Get("body")
		}
		p.Notice = notices["kept"]
	}
	if err := s.Cases.MarkRead(r.Context(), p.Case.Ref); err != nil { // shown once as unread, then read
		return err
	}
	return s.render(w, http.StatusOK, "case", p)
}

// sectionNotice is a confirmation or a refusal shown in the case page's
// section it concerns, by the form the person just used. "actions" is the
// quick actions under the title, which are no section: their form's
// fragment names the notice itself (#actions-notice), so that a confirming
// redirect, which keeps the fragment, still comes back at the top.
type sectionNotice struct {
	Section string // the section's id, which the redirect's fragment names
	Text    string
	Alert   bool // a refusal (role=alert), not a confirmation (role=status)
}

// In returns the notice when it belongs to the section id, else nil.
func (n sectionNotice) In(id string) *sectionNotice {
	if n.Text == "" || n.Section != id {
		return nil
	}
	return &n
}

// sectionNotices are the ?done= keys of the redirects that come back to a
// section of the case page, with the section's id (also the fragment).
var sectionNotices = map[string]string{"reply": "timeline", "note": "timeline", "falsealarm": "timeline",
	"linked": "links", "tasks": "tasks", "resolved": "resolve", "outcome": "resolve", "manage": "manage",
	"feedback": "feedback"}

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
		Urgent:  s.urgentFor(c),
		CanRate: ally.CanGiveFeedback(u, c) && !c.Status.Open() && c.Feedback == nil, More: len(entries) == timelineLimit}
	if section, ok := sectionNotices[r.URL.Query().Get("done")]; ok {
		p.Here, p.Notice = sectionNotice{Section: section, Text: p.Notice}, ""
	}
	for _, e := range entries {
		if p.Responder || (e.Type == ally.EntryMessage && !e.Internal) {
			p.Entries = append(p.Entries, entryView{Entry: e, Mine: e.Author != nil && e.Author.Email == u.Email})
		}
	}
	for _, t := range tasks {
		p.Tasks = append(p.Tasks, taskView{Task: t, CanTick: ally.CanTickTask(u, c, t.Owner)})
		if !t.Done {
			p.OpenTasks++
		}
	}
	if p.Files, err = s.caseFiles(r, c.Ref, p.Responder); err != nil {
		return nil, err
	}
	if r.URL.Query().Get("file") == "added" {
		p.Here = sectionNotice{Section: "files", Text: uploadAdded}
	}
	if !p.Responder {
		return p, nil
	}
	pb, _ := s.Playbooks.Get(string(c.Kind))
	if p.Linked, err = s.linkedCases(r, c.Ref); err != nil {
		return nil, err
	}
	p.Answers = answers(pb, c.Answers)
	p.Templates = s.templates(pb, c, u)
	p.Outcome = s.templateText(c, u, "resolve")
	p.Severities = ally.Severities
	p.Statuses = []ally.Status{c.Status}
	for _, st := range ally.Statuses {
		if c.Status.CanMoveTo(st) && !ally.NeedsOutcome(c.Status, st) { // finishing is the resolve step's
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
	if field, problem, ok := fieldProblem(err); ok && field == "body" {
		return s.caseRefused(w, r, u, err, func(p *casePage) {
			if m.Internal { // a refused note stays in the note box, never in the reply to the reporter
				p.Note, p.Errors = m.Body, map[string]string{"note": problem}
				return
			}
			p.Reply, p.Errors = m.Body, map[string]string{field: problem}
		})
	}
	if err != nil {
		return err
	}
	if m.Internal {
		return redirect(w, r, "/cases/"+ref+"?done=note#timeline")
	}
	return redirect(w, r, "/cases/"+ref+"?done=reply#timeline")
}

// caseRefused shows the case page again after a refused form, with what was
// typed kept (keep fills it in) and the problem next to its field.
func (s *Server) caseRefused(w http.ResponseWriter, r *http.Request, u *ally.User, refusal error,
	keep func(*casePage)) error {
	p, err := s.casePage(r, u)
	if err != nil {
		return err
	}
	keep(p)
	return s.render(w, statusFor(ally.ErrorCode(refusal)), "case", p)
}

// formRefused reports whether err is a refusal the person can act on, shown
// on the page by the form, rather than a failure for the error page.
func formRefused(err error) bool {
	switch ally.ErrorCode(err) {
	case ally.EINVALID, ally.EREQUIRED, ally.ECONFLICT, ally.ENOTFOUND:
		return true
	}
	return false
}

// refusedIn shows the case page again with a refused form's problem, in
// plain words, as an alert in the form's section. A case that is gone
// fails again in caseRefused, as it should.
func (s *Server) refusedIn(w http.ResponseWriter, r *http.Request, u *ally.User, err error, section string) error {
	return s.caseRefused(w, r, u, err, func(p *casePage) {
		p.Here = sectionNotice{Section: section, Text: pageMessage(err), Alert: true}
	})
}

// fieldProblem splits a domain error's message "field: problem" for
// showing next to the field; ok is false for any other error.
func fieldProblem(err error) (field, problem string, ok bool) {
	if code := ally.ErrorCode(err); code != ally.EINVALID && code != ally.EREQUIRED {
		return "", "", false
	}
	if field, problem, ok = splitField(ally.ErrorMessage(err)); !ok {
		return "", "", false
	}
	return field, saidOf("This", problem), true // "This is required; write a message.", not "Is required; …"
}

// postResolve is the resolve step: the outcome goes to the reporter as a
// reply (tone-checked; a held one comes back with its findings and "Send
// anyway"), and open tasks are warned about first ("resolve anyway?").
func (s *Server) postResolve(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	outcome := r.PostFormValue("outcome")
	keep := func(p *casePage) { p.Outcome = outcome }
	p, err := s.casePage(r, u)
	if err != nil {
		return err
	}
	if p.OpenTasks > 0 && r.PostFormValue("anyway") != "1" {
		keep(p)
		p.AskAnyway = true
		return s.render(w, http.StatusConflict, "case", p)
	}
	st := ally.StatusResolved
	up := ally.CaseUpdate{Status: &st, Outcome: &outcome, Confirmed: slices.Contains(r.PostForm["confirmed"], "1")}
	_, err = s.Cases.UpdateCase(r.Context(), p.Case.Ref, up)
	if held := (*ally.ReplyHeld)(nil); errors.As(err, &held) {
		return s.caseRefused(w, r, u, err, func(p *casePage) { keep(p); p.OutcomeFindings = ally.ErrorFindings(&held.Tone) })
	}
	if field, problem, ok := fieldProblem(err); ok && field == "outcome" {
		return s.caseRefused(w, r, u, err, func(p *casePage) { keep(p); p.Errors = map[string]string{field: problem} })
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/cases/"+p.Case.Ref+"?done=resolved#resolve")
}

// postUpdate changes status, severity and assignee, sending only what
// changed. Finishing an open case is the resolve step's: asked for here, it
// sends the responder there. A refusal stands by the form that was sent:
// in Manage, or at the quick actions (Acknowledge, Assign to me) at the top,
// in the first screen even on a phone, where Manage is at the foot.
func (s *Server) postUpdate(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	c, err := s.Cases.FindCase(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	var up ally.CaseUpdate
	done, section := "/cases/"+c.Ref+"?done=update", "actions" // the quick actions, at the top
	if r.PostFormValue("section") == "manage" {
		done, section = "/cases/"+c.Ref+"?done=manage#manage", "manage"
	}
	if st := ally.Status(r.PostFormValue("status")); ally.NeedsOutcome(c.Status, st) {
		done = "/cases/" + c.Ref + "?done=outcome#resolve"
	} else if st != "" && st != c.Status {
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
		if _, err := s.Cases.UpdateCase(r.Context(), c.Ref, up); formRefused(err) {
			return s.refusedIn(w, r, u, err, section)
		} else if err != nil {
			return err
		}
	}
	return redirect(w, r, done)
}

// postTasks saves a checklist in one go: every task the viewer may tick is
// set to whether its box was ticked.
func (s *Server) postTasks(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	ref := r.PathValue("ref")
	if err := r.ParseForm(); err != nil {
		return s.refusedIn(w, r, u, ally.Errorf(ally.EINVALID, "The checklist could not be read. Please try again."), "tasks")
	}
	if _, err := s.Tasks.SaveChecklist(r.Context(), ref, r.PostForm["done"]); formRefused(err) {
		return s.refusedIn(w, r, u, err, "tasks")
	} else if err != nil {
		return err
	}
	return redirect(w, r, "/cases/"+ref+"?done=tasks#tasks")
}

// askRatingAgain is what a reporter reads who sent a rating without a score.
const askRatingAgain = "Please pick a score from 1 to 5 as well. We kept your words, so you only need to pick a score."

// postFeedback records the reporter's rating; one sent without a score
// comes back with the comment kept and a kind word by the score.
func (s *Server) postFeedback(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	ref := r.PathValue("ref")
	comment := r.PostFormValue("comment")
	rating, err := strconv.Atoi(r.PostFormValue("rating"))
	if err != nil {
		err = ally.Errorf(ally.EINVALID, "rating: %s", askRatingAgain)
	} else {
		_, err = s.Cases.AddFeedback(r.Context(), ref, ally.Feedback{Rating: rating, Comment: strings.TrimSpace(comment)})
	}
	if field, problem, ok := fieldProblem(err); ok {
		if field == "rating" {
			problem = askRatingAgain
		}
		return s.caseRefused(w, r, u, err, func(p *casePage) {
			p.Comment, p.Errors = comment, map[string]string{field: problem}
		})
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/cases/"+ref+"?done=feedback#feedback")
}
