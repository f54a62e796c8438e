package web

import (
	"net/http"

	"github.com/allydesk/ally"
)

// signalPage is the "was this you?" page behind the link in the email and
// the notice on the person's home page.
type signalPage struct {
	chrome
	Q      *ally.SignalQuestion
	Action string
	// Said is what the page says after an answer (or when the question was
	// answered before).
	Said string
}

// pageSignal shows the question and three buttons. A GET never changes
// anything: mail scanners open links.
func (s *Server) pageSignal(w http.ResponseWriter, r *http.Request) error {
	return s.showSignal(w, r, "")
}

func (s *Server) showSignal(w http.ResponseWriter, r *http.Request, said string) error {
	if s.Signals == nil {
		return errSignalsOff
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	q, err := s.Signals.SignalQuestion(r.Context(), id, r.PathValue("token"))
	if err != nil {
		return err
	}
	p := signalPage{chrome: chromeFor(r, "Was this you?"), Q: q, Action: r.URL.Path, Said: said}
	if p.Said == "" && q.Status != ally.SignalAsking {
		p.Said = answeredBefore(q)
	}
	w.Header().Set("Referrer-Policy", "no-referrer") // the token is in the path
	return s.render(w, http.StatusOK, "signal", p)
}

// answeredBefore is what the page says when the question is no longer open.
func answeredBefore(q *ally.SignalQuestion) string {
	switch {
	case q.Answer == ally.AnswerYes:
		return "You told us this was you. " + q.Yes
	case q.Status == ally.SignalEscalated:
		return "The security team is looking at this now. Thank you. There is nothing you need to do unless " +
			"they ask."
	}
	return "Thank you. There is nothing more to do here."
}

// postSignalAnswer records the answer the person chose.
func (s *Server) postSignalAnswer(w http.ResponseWriter, r *http.Request) error {
	if s.Signals == nil {
		return errSignalsOff
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	answer := r.PostFormValue("answer")
	sig, err := s.Signals.AnswerSignal(r.Context(), id, r.PathValue("token"), answer)
	if ally.ErrorCode(err) == ally.ECONFLICT {
		return s.showSignal(w, r, "")
	} else if err != nil {
		return err
	}
	q, err := s.Signals.SignalQuestion(r.Context(), id, r.PathValue("token"))
	if err != nil {
		return err
	}
	said := q.No
	if sig.Status == ally.SignalConfirmed {
		said = q.Yes
	}
	return s.showSignal(w, r, said)
}
