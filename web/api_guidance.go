package web

import (
	"net/http"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/tone"
)

func (s *Server) apiPlaybooks(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	writeList(w, s.Playbooks.All())
	return nil
}

func (s *Server) apiToneCheck(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	var in struct {
		Text     *string       `json:"text"`
		Audience tone.Audience `json:"audience"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Text == nil {
		return fieldError("text", "is required: the words to check.")
	}
	switch in.Audience {
	case "":
		in.Audience = tone.AudienceReporter
	case tone.AudienceReporter, tone.AudienceResponder:
	default:
		return fieldError("audience", "must be reporter or responder, not %q.", in.Audience)
	}
	if len(*in.Text) > maxToneText {
		return ally.Errorf(ally.ETOOLARGE, "text: is longer than %d bytes; a reply never needs more. "+
			"Check it in parts.", maxToneText)
	}
	res := s.toneEngine().Check(*in.Text, in.Audience)
	more := max(0, len(res.Findings)-maxToneFindings)
	res.Findings = res.Findings[:len(res.Findings)-more]
	writeJSON(w, http.StatusOK, toneAnswer{Result: &res, MoreFindings: more})
	return nil
}

// Tone checks over the API take at most maxToneText bytes (a message's
// limit) and list at most maxToneFindings findings, counting the rest.
const (
	maxToneText     = 20000
	maxToneFindings = 200
)

// toneAnswer is a tone result with the count of findings left out.
type toneAnswer struct {
	*tone.Result
	MoreFindings int `json:"more_findings,omitempty"`
}
