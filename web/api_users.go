package web

import (
	"net/http"

	"github.com/allydesk/ally"
)

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (s *Server) apiListUsers(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	limit, err := listLimit(r, ally.DefaultLimit)
	if err != nil {
		return err
	}
	users, err := s.Users.FindUsers(r.Context(), r.URL.Query().Get("cursor"), limit+1)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ally.NewPage(users, limit, ally.UserCursor))
	return nil
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
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

func (s *Server) apiUpdateUser(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
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

func (s *Server) apiPersonData(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	d, err := s.Users.ExportPerson(r.Context(), r.PathValue("email"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="ally-personal-data.json"`)
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiErasePerson(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	e, err := s.Users.ErasePerson(r.Context(), r.PathValue("email"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	return idPage(w, r, func(before int64, n int) ([]*ally.AuditRecord, error) {
		return s.Audit.FindAudit(r.Context(), before, n)
	}, func(a *ally.AuditRecord) int64 { return a.ID })
}
