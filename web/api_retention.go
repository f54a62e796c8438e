package web

import (
	"net/http"

	"github.com/allydesk/ally"
)

// retentionPolicy is the body of GET and PUT /api/v1/retention.
type retentionPolicy struct {
	Rules []ally.RetentionRule `json:"rules"`
}

func (s *Server) retention() (ally.RetentionService, error) {
	if s.Retention == nil {
		return nil, ally.Errorf(ally.ENOTFOUND, "The retention policy is not kept by this server.")
	}
	return s.Retention, nil
}

func (s *Server) apiRetention(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	svc, err := s.retention()
	if err != nil {
		return err
	}
	rules, err := svc.RetentionRules(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, retentionPolicy{Rules: rules})
	return nil
}

func (s *Server) apiSetRetention(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	svc, err := s.retention()
	if err != nil {
		return err
	}
	var in retentionPolicy
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Rules == nil {
		return ally.Errorf(ally.EINVALID, `rules: give the whole policy as a list, [] to keep everything`)
	}
	rules, err := svc.SetRetentionRules(r.Context(), in.Rules)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, retentionPolicy{Rules: rules})
	return nil
}
