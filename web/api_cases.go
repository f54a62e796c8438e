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

func (s *Server) apiCreateCase(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
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
	n := &ally.NewCase{Kind: in.Kind, Summary: in.Summary, Details: in.Details, Answers: in.Answers,
		Confidential: in.Confidential}
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
		Assignee: q.Get("assignee"), Cursor: q.Get("cursor"), Sort: q.Get("sort"), Query: q.Get("q")}
	switch q.Get("unread") {
	case "", "false", "0":
	case "true", "1":
		f.Unread = true
	default:
		return f, fieldError("unread", "must be true or false, not %q.", q.Get("unread"))
	}
	for _, v := range q["status"] {
		for _, st := range strings.Split(v, ",") {
			if st == "open" {
				f.Open = true
			} else if st != "" {
				f.Status = append(f.Status, ally.Status(st))
			}
		}
	}
	var err error
	f.Limit, err = listLimit(r, ally.DefaultLimit)
	return f, err
}

func (s *Server) apiListCases(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	f, err := caseFilter(r)
	if err != nil {
		return err
	}
	if f.Sort == "" {
		f.Sort = "priority"
	}
	page, err := s.Cases.FindCases(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) apiGetCase(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	c, err := s.Cases.FindCase(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiUpdateCase(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	var u ally.CaseUpdate
	if err := decodeJSON(w, r, &u); err != nil {
		return err
	}
	c, err := s.Cases.UpdateCase(r.Context(), r.PathValue("ref"), u)
	if writeHeld(w, err) {
		return nil
	} else if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
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

// writeHeld answers a reply (or a resolving outcome) the tone gate held
// back with its tone check, and reports whether err was one.
func writeHeld(w http.ResponseWriter, err error) bool {
	held := (*ally.ReplyHeld)(nil)
	if !errors.As(err, &held) {
		return false
	}
	writeJSON(w, statusFor(ally.EHELD), heldBody{Error: errorDetail{Code: ally.EHELD, Message: ally.ErrorMessage(err)},
		Tone: held.Tone})
	return true
}

func (s *Server) apiAddMessage(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	var m ally.NewMessage
	if err := decodeJSON(w, r, &m); err != nil {
		return err
	}
	e, err := s.Cases.AddMessage(r.Context(), r.PathValue("ref"), m)
	if writeHeld(w, err) {
		return nil
	} else if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) apiFeedback(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
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

func (s *Server) apiTasks(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	items, err := s.Tasks.Tasks(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	writeList(w, items)
	return nil
}

func (s *Server) apiTickTask(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
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

// bulkRequest is the body of POST /api/v1/cases/bulk: one change (Set) or
// one link (Link) for every case of Refs.
type bulkRequest struct {
	Refs []string         `json:"refs"`
	Set  *ally.CaseUpdate `json:"set"`
	Link *ally.BulkLink   `json:"link"`
}

func (s *Server) apiBulkUpdate(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	var in bulkRequest
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	var (
		results []ally.BulkResult
		err     error
	)
	switch {
	case in.Set != nil && in.Link != nil:
		return fieldError("body", "send set or link, not both; change the cases and link them in two requests.")
	case in.Link != nil:
		if s.Links == nil {
			return errNoLinks
		}
		results, err = s.Links.LinkDuplicates(r.Context(), in.Refs, *in.Link)
	case in.Set == nil:
		return fieldError("body", "send set (status, severity or assignee) or link (duplicate_of).")
	default:
		results, err = s.Cases.BulkUpdate(r.Context(), in.Refs, *in.Set)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
	return nil
}
