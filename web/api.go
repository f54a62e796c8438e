package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/tone"
)

func (s *Server) routesAPI() {
	s.handle("GET /api/v1/me", s.apiMe)
	s.handle("POST /api/v1/cases", s.apiCreateCase)
	s.handle("GET /api/v1/cases", s.apiListCases)
	s.handle("GET /api/v1/cases/{ref}", s.apiGetCase)
	s.handle("PATCH /api/v1/cases/{ref}", s.apiUpdateCase)
	s.handle("GET /api/v1/cases/{ref}/timeline", s.apiTimeline)
	s.handle("POST /api/v1/cases/{ref}/messages", s.apiAddMessage)
	s.handle("POST /api/v1/cases/{ref}/feedback", s.apiFeedback)
	s.handle("GET /api/v1/cases/{ref}/tasks", s.apiTasks)
	s.handle("PATCH /api/v1/cases/{ref}/tasks/{id}", s.apiTickTask)
	s.handle("GET /api/v1/playbooks", s.apiPlaybooks)
	s.handle("POST /api/v1/tone/check", s.apiToneCheck)
	s.handle("GET /api/v1/users", s.apiListUsers)
	s.handle("POST /api/v1/users", s.apiCreateUser)
	s.handle("PATCH /api/v1/users/{email}", s.apiUpdateUser)
	s.handle("GET /api/v1/audit", s.apiAudit)
	s.handle("GET /api/v1/metrics", s.apiMetrics)
	s.routesAttachments()
	s.handle("GET /api/v1/insights", s.apiInsights)
	s.handle("GET /api/v1/lessons", s.apiLessons)
	s.handle("POST /api/v1/lessons", s.apiPublishLesson)
	s.handle("/api/", func(w http.ResponseWriter, r *http.Request) error {
		return ally.Errorf(ally.ENOTFOUND, "There is no %s %s in this API; see docs/api.md.", r.Method, r.URL.Path)
	})
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	u, err := currentUser(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (s *Server) apiCreateCase(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	var in newCaseRequest
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	n, err := in.toNewCase()
	if err != nil {
		return err
	}
	c, err := s.Cases.CreateCase(r.Context(), n)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/cases/"+c.Ref)
	writeJSON(w, http.StatusCreated, c)
	return nil
}

// newCaseRequest is the JSON body of POST /api/v1/cases. The time is read
// as a string so that a bad one is reported with its field name.
type newCaseRequest struct {
	Kind         ally.Kind         `json:"kind"`
	Summary      string            `json:"summary"`
	Details      string            `json:"details"`
	OccurredAt   *string           `json:"occurred_at"`
	Answers      map[string]string `json:"answers"`
	Confidential bool              `json:"confidential"`
}

func (in *newCaseRequest) toNewCase() (*ally.NewCase, error) {
	n := &ally.NewCase{Kind: in.Kind, Summary: in.Summary, Details: in.Details, Answers: in.Answers, Confidential: in.Confidential}
	if in.OccurredAt != nil && *in.OccurredAt != "" {
		t, err := time.Parse(time.RFC3339, *in.OccurredAt)
		if err != nil {
			return nil, fieldError("occurred_at", "must be a time like 2026-11-27T09:14:00Z, not %q.", *in.OccurredAt)
		}
		n.OccurredAt = &t
	}
	return n, nil
}

// caseFilter reads the list filters shared by the API and the queue page.
func caseFilter(r *http.Request) (ally.CaseFilter, error) {
	q := r.URL.Query()
	f := ally.CaseFilter{Kind: ally.Kind(q.Get("kind")), Severity: ally.Severity(q.Get("severity")),
		Assignee: q.Get("assignee"), Cursor: q.Get("cursor"), Sort: q.Get("sort")}
	for _, v := range q["status"] {
		for _, st := range strings.Split(v, ",") {
			if st == "open" {
				f.Open = true
			} else if st != "" {
				f.Status = append(f.Status, ally.Status(st))
			}
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > ally.MaxLimit {
			return f, fieldError("limit", "must be a whole number from 1 to %d.", ally.MaxLimit)
		}
		f.Limit = n
	}
	return f, nil
}

func (s *Server) apiListCases(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	f, err := caseFilter(r)
	if err != nil {
		return err
	}
	page, err := s.Cases.FindCases(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) apiGetCase(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	c, err := s.Cases.FindCase(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiUpdateCase(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	var u ally.CaseUpdate
	if err := decodeJSON(w, r, &u); err != nil {
		return err
	}
	c, err := s.Cases.UpdateCase(r.Context(), r.PathValue("ref"), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	var after int64
	if v := r.URL.Query().Get("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return fieldError("cursor", "is not a cursor from a previous page.")
		}
		after = n
	}
	items, err := s.Cases.Timeline(r.Context(), r.PathValue("ref"), after, ally.MaxLimit+1)
	if err != nil {
		return err
	}
	id := func(e *ally.Entry) int64 { return e.ID }
	writeJSON(w, http.StatusOK, ally.NewPage(items, ally.MaxLimit, ally.IDCursor(id)))
	return nil
}

// heldBody is the 422 answer to a reply the tone gate held back: the error
// and the tone check that held it.
type heldBody struct {
	Error errorDetail `json:"error"`
	Tone  tone.Result `json:"tone"`
}

func (s *Server) apiAddMessage(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	var m ally.NewMessage
	if err := decodeJSON(w, r, &m); err != nil {
		return err
	}
	e, err := s.Cases.AddMessage(r.Context(), r.PathValue("ref"), m)
	if held := (*ally.ReplyHeld)(nil); errors.As(err, &held) {
		writeJSON(w, statusFor(ally.EHELD), heldBody{Error: errorDetail{Code: ally.EHELD, Message: ally.ErrorMessage(err)},
			Tone: held.Tone})
		return nil
	} else if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) apiFeedback(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	var in struct {
		Rating  int    `json:"rating"`
		Comment string `json:"comment"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	f, err := s.Cases.AddFeedback(r.Context(), r.PathValue("ref"), ally.Feedback{Rating: in.Rating, Comment: in.Comment})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, f)
	return nil
}

func (s *Server) apiTasks(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	items, err := s.Tasks.Tasks(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) apiTickTask(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	var in struct {
		Done *bool `json:"done"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Done == nil {
		return fieldError("done", "is required (true or false).")
	}
	t, err := s.Tasks.SetTaskDone(r.Context(), r.PathValue("ref"), r.PathValue("id"), *in.Done)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

func (s *Server) apiPlaybooks(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": s.Playbooks.All()})
	return nil
}

func (s *Server) apiToneCheck(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	var in struct {
		Text     string        `json:"text"`
		Audience tone.Audience `json:"audience"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	switch in.Audience {
	case "":
		in.Audience = tone.AudienceReporter
	case tone.AudienceReporter, tone.AudienceResponder:
	default:
		return fieldError("audience", "must be reporter or responder, not %q.", in.Audience)
	}
	writeJSON(w, http.StatusOK, s.Tone.Check(in.Text, in.Audience))
	return nil
}

func (s *Server) apiListUsers(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	users, err := s.Users.FindUsers(r.Context(), r.URL.Query().Get("cursor"), ally.DefaultLimit+1)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ally.NewPage(users, ally.DefaultLimit, func(u *ally.User) string { return u.Email }))
	return nil
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	var n ally.NewUser
	if err := decodeJSON(w, r, &n); err != nil {
		return err
	}
	u, err := s.Users.CreateUser(r.Context(), &n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (s *Server) apiUpdateUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	var in ally.UserUpdate
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	u, err := s.Users.UpdateUser(r.Context(), r.PathValue("email"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	before, err := beforeCursor(r)
	if err != nil {
		return err
	}
	items, err := s.Audit.FindAudit(r.Context(), before, ally.DefaultLimit+1)
	if err != nil {
		return err
	}
	writeIDPage(w, items, func(a *ally.AuditRecord) int64 { return a.ID })
	return nil
}

// beforeCursor reads the cursor of a newest-first list keyed by id.
func beforeCursor(r *http.Request) (int64, error) { return beforeParam(r, "cursor") }

// beforeParam reads the newest-first cursor in the query parameter name.
func beforeParam(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, fieldError(name, "is not a cursor from a previous page.")
	}
	return n, nil
}

// writeIDPage writes a page of a newest-first list keyed by id, read with
// ally.DefaultLimit+1 items (see ally.NewPage).
func writeIDPage[T any](w http.ResponseWriter, items []T, id func(T) int64) {
	writeJSON(w, http.StatusOK, ally.NewPage(items, ally.DefaultLimit, ally.IDCursor(id)))
}

func (s *Server) apiMetrics(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	f, err := metricsFilter(r)
	if err != nil {
		return err
	}
	m, err := s.Metrics.Metrics(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

// metricsFilter reads from, to (RFC 3339 or a date), department and kind.
func metricsFilter(r *http.Request) (ally.MetricsFilter, error) {
	q := r.URL.Query()
	f := ally.MetricsFilter{Department: q.Get("department"), Kind: ally.Kind(q.Get("kind"))}
	var err error
	if f.From, err = ally.ParseTimeParam("from", q.Get("from")); err != nil {
		return f, err
	}
	f.To, err = ally.ParseTimeParam("to", q.Get("to"))
	return f, err
}

func (s *Server) apiInsights(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	f, err := metricsFilter(r)
	if err != nil {
		return err
	}
	in, err := s.Insights.Insights(r.Context(), f.From, f.To)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, in)
	return nil
}

func (s *Server) apiLessons(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	before, err := beforeCursor(r)
	if err != nil {
		return err
	}
	items, err := s.Insights.Lessons(r.Context(), before, ally.DefaultLimit+1)
	if err != nil {
		return err
	}
	writeIDPage(w, items, func(l *ally.Lesson) int64 { return l.ID })
	return nil
}

func (s *Server) apiPublishLesson(w http.ResponseWriter, r *http.Request) error {
	if _, err := currentUser(r); err != nil {
		return err
	}
	var n ally.NewLesson
	if err := decodeJSON(w, r, &n); err != nil {
		return err
	}
	l, err := s.Insights.PublishLesson(r.Context(), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, l)
	return nil
}
