package web

import (
	"net/http"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/tone"
)

func (s *Server) apiPlaybooks(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	writeJSON(w, http.StatusOK, map[string]any{"items": s.Playbooks.All()})
	return nil
}

func (s *Server) apiToneCheck(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
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
	writeJSON(w, http.StatusOK, s.toneEngine().Check(in.Text, in.Audience))
	return nil
}
