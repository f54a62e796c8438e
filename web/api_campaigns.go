package web

import (
	"net/http"

	"github.com/allydesk/ally"
)

func (s *Server) apiCampaigns(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	return idPage(w, r, func(before int64, n int) ([]*ally.Campaign, error) {
		return s.Attachments.FindCampaigns(r.Context(), before, n)
	}, func(c *ally.Campaign) int64 { return c.ID })
}

func (s *Server) apiCampaign(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.Attachments.FindCampaign(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiDecideCampaign(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var d ally.CampaignDecision
	if err := decodeJSON(w, r, &d); err != nil {
		return err
	}
	c, err := s.Attachments.DecideCampaign(r.Context(), id, d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// apiFalseAlarm marks an analysed email on a case as a false alarm, which
// the organisation's mail model learns.
func (s *Server) apiFalseAlarm(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Attachments.MarkFalseAlarm(r.Context(), r.PathValue("ref"), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
