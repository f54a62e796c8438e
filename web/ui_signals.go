package web

import (
	"net/http"
	"strconv"
	"time"

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

// signalFigures are the dashboard's "was this you?" figures.
func signalFigures(st *ally.SignalStats) []figure {
	median := figure{Label: "Time to answer", Value: "No answers yet", Quiet: true, Note: "Median"}
	if st.MedianAnswerSeconds != nil {
		median = figure{Label: "Time to answer", Value: roundDuration(*st.MedianAnswerSeconds), Note: "Median"}
	}
	return []figure{
		{Label: "Signals received", Value: strconv.Itoa(st.Received), Note: "Alerts from other tools about a person"},
		{Label: "Answered by the person", Value: percentOf(st.AnsweredShare, 1)},
		median,
		{Label: "Became a case", Value: percentOf(st.EscalatedShare, 1), Note: "No, not sure, or no answer"},
		{Label: "Cases that were real", Value: percentOf(st.RealShare, 1),
			Note: "Escalations not lowered to low severity"},
	}
}

// roundDuration says a number of seconds as minutes or hours.
func roundDuration(sec float64) string {
	d := time.Duration(sec * float64(time.Second))
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + " s"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + " min"
	}
	return strconv.FormatFloat(d.Hours(), 'f', 1, 64) + " h"
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
