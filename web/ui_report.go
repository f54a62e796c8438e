package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/playbook"
)

// reportPage is the data of the report form. With Step2 set, it is the
// second step shown when JavaScript is off: the chosen kind's questions.
type reportPage struct {
	chrome
	Kinds   []kindOption
	Chosen  *kindOption
	When    string
	At      string
	TZ      string
	Details string
	Step2   bool
	Error   string
	// Anonymous is the form for someone not signed in, with optional
	// contact fields instead of the email file.
	Anonymous              bool
	ContactName, ContactAt string
}

// kindOption is one choice on the report form with its witness questions.
type kindOption struct {
	Value     ally.Kind
	Label     string
	Checked   bool
	Questions []questionView
	Email     bool // the reporter may add the email itself
}

// questionView is one witness question as a form field.
type questionView struct {
	Name    string // form field name: q.KIND.ID
	Text    string
	Type    string
	Options []option
	Value   string
}

// option is one choice of a question: the value posted and its label.
type option struct{ Value, Label string }

// whenChoices are the answers to "When did it happen?".
var whenChoices = map[string]time.Duration{"now": 0, "minutes": 10 * time.Minute, "hours": 3 * time.Hour}

// pageReport shows the report form; u is nil for someone not signed in,
// who may report when anonymous reports are on.
func (s *Server) pageReport(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if u == nil && !s.anonymousReports() {
		return errSignIn
	}
	if u == nil {
		return s.render(w, http.StatusOK, "report", s.reportForm(r, ""))
	}
	if kept := s.takeDraft(w, r, "/report"); kept != nil {
		r.PostForm = kept // the form reads what was posted
		p := s.reportForm(r, ally.Kind(kept.Get("kind")))
		p.Notice = notices["kept"]
		return s.render(w, http.StatusOK, "report", p)
	}
	return s.render(w, http.StatusOK, "report", s.reportForm(r, ""))
}

// reportForm builds the form, keeping whatever was already posted.
func (s *Server) reportForm(r *http.Request, kind ally.Kind) reportPage {
	p := reportPage{chrome: chromeFor(r, "Report a concern"), When: r.PostFormValue("when"),
		At: r.PostFormValue("at"), TZ: r.PostFormValue("tz"), Details: r.PostFormValue("details"),
		ContactName: r.PostFormValue("contact_name"), ContactAt: r.PostFormValue("contact_email")}
	p.Anonymous = p.User == nil
	if p.When == "" {
		p.When = "now"
	}
	for _, k := range ally.Kinds {
		o := kindOption{Value: k, Label: k.ReporterLabel(), Checked: k == kind, Email: emailKinds[k] && !p.Anonymous}
		if pb, ok := s.Playbooks.Get(string(k)); ok {
			o.Questions = questions(r, k, pb.Questions)
		}
		p.Kinds = append(p.Kinds, o)
		if o.Checked {
			p.Chosen = &p.Kinds[len(p.Kinds)-1]
		}
	}
	return p
}

var yesNo = []option{{"yes", "Yes"}, {"no", "No"}, {"not sure", "Not sure"}}

func questions(r *http.Request, k ally.Kind, qs []playbook.Question) []questionView {
	out := make([]questionView, len(qs))
	for i, q := range qs {
		name := "q." + string(k) + "." + q.ID
		out[i] = questionView{Name: name, Text: q.Text, Type: q.Type, Value: r.PostFormValue(name)}
		if q.Type == "yes_no" {
			out[i].Options = yesNo
		}
		for _, o := range q.Options {
			out[i].Options = append(out[i].Options, option{o, o})
		}
	}
	return out
}

// postReport opens a case. Only the choice of what happened is required.
// Without JavaScript, a kind with witness questions first shows them on a
// second step; the script shows them inline and marks the form with js=1.
// An email added to the report is stored after the case is opened; if it
// cannot be, the case stands and the confirmation says so.
func (s *Server) postReport(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	n, p, err := s.readReport(w, r)
	if n == nil {
		return err
	}
	c, err := s.Cases.CreateCase(r.Context(), n)
	if ally.ErrorCode(err) == ally.EINVALID {
		p.Error = pageMessage(err)
		return s.render(w, http.StatusBadRequest, "report", p)
	} else if err != nil {
		return err
	}
	to := "/cases/" + c.Ref + "/sent"
	if hasUpload(r) {
		key, err := s.attachUpload(w, r, c.Ref)
		if err != nil { // the case is open: say the file is missing rather than fail
			s.Log.Error("adding the reported email failed", "case", c.Ref, "error", err.Error())
			key = "failed"
		}
		if key != "added" {
			to += "?file=" + key
		}
	}
	return redirect(w, r, to)
}

// readReport reads the posted report form into a new case, or, when the
// form needs another step or a fix, shows it again and returns a nil case
// and the rendering's error.
func (s *Server) readReport(w http.ResponseWriter, r *http.Request) (*ally.NewCase, *reportPage, error) {
	kind := ally.Kind(r.PostFormValue("kind"))
	if !kind.Valid() {
		p := s.reportForm(r, "")
		p.Error = "Please choose what happened. Pick the closest one. \"Something else\" is fine too."
		return nil, &p, s.render(w, http.StatusBadRequest, "report", p)
	}
	p := s.reportForm(r, kind)
	asked := r.PostFormValue("js") == "1" || r.PostFormValue("step") == "questions"
	if !asked && (len(p.Chosen.Questions) > 0 || p.Chosen.Email) {
		p.Step2 = true
		return nil, &p, s.render(w, http.StatusOK, "report", p)
	}
	n := &ally.NewCase{Kind: kind, Details: strings.TrimSpace(p.Details), Answers: map[string]string{},
		OccurredAt: occurredAt(p.When, p.At, p.TZ, s.Now())}
	for _, q := range p.Chosen.Questions {
		if v := strings.TrimSpace(q.Value); v != "" {
			n.Answers[strings.TrimPrefix(q.Name, "q."+string(kind)+".")] = v
		}
	}
	return n, &p, nil
}

// occurredAt turns the "when" answers into a time: a date and time typed in
// the reporter's own time zone (tz is the browser's getTimezoneOffset in
// minutes; without it, UTC), else a rough offset from now. It returns nil
// when the time is unknown, and never a time in the future.
func occurredAt(when, at, tz string, now time.Time) *time.Time {
	t, err := time.Parse("2006-01-02T15:04", at)
	if err != nil {
		d, ok := whenChoices[when]
		if !ok {
			return nil
		}
		t = now.Add(-d)
	} else if off, err := strconv.Atoi(tz); err == nil && off > -16*60 && off < 16*60 {
		t = t.Add(time.Duration(off) * time.Minute)
	}
	if t.After(now) {
		t = now
	}
	t = t.UTC().Truncate(time.Minute) // a reporter's estimate; never ahead of the store's clock
	return &t
}

// sentPage is the confirmation shown right after reporting.
type sentPage struct {
	chrome
	Case        *ally.Case
	Now         time.Time
	Checked     []string // the plain summaries of the emails we checked
	FileProblem string   // why the email could not be added
	Urgent      urgentBanner
	// Follow is the private follow link of a report made without signing
	// in, shown only on the answer to that report.
	Follow string
	// DeskPhone and DeskText: the security desk, for lost devices and
	// stolen passwords ("Can't sign in?").
	DeskPhone, DeskText string
}

// deskKinds are the reports whose first aid shows the desk's number: the
// reporter may have lost their way in.
var deskKinds = map[ally.Kind]bool{ally.KindLostDevice: true, ally.KindEnteredCredentials: true}

// newSentPage is the thank-you page for c.
func (s *Server) newSentPage(r *http.Request, c *ally.Case) sentPage {
	p := sentPage{chrome: chromeFor(r, "Thank you"), Case: c, Now: s.Now()}
	if deskKinds[c.Kind] {
		p.DeskPhone, p.DeskText = s.DeskPhone, s.DeskText
	}
	return p
}

func (s *Server) pageSent(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	c, err := s.Cases.FindCase(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	files, err := s.Attachments.Attachments(r.Context(), c.Ref)
	if err != nil {
		return err
	}
	p := s.newSentPage(r, c)
	p.FileProblem, p.Urgent = uploadProblems[r.URL.Query().Get("file")], s.urgentFor(c)
	for _, f := range files {
		if f.ReporterSummary != "" {
			p.Checked = append(p.Checked, f.ReporterSummary)
		}
	}
	return s.render(w, http.StatusOK, "sent", p)
}
