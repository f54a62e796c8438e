package web

import (
	"context"
	"net/http"
	"time"

	"github.com/allydesk/ally"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// readyTimeout bounds /readyz: a database that does not answer in time is
// as good as unreachable.
const readyTimeout = 2 * time.Second

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if s.Ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := s.Ready(ctx); err != nil {
			msg := "The database is not reachable."
			if ally.ErrorCode(err) == ally.EUNAVAILABLE {
				msg = ally.ErrorMessage(err)
			}
			s.Log.Warn("not ready", "error", err.Error())
			writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: errorDetail{Code: ally.EUNAVAILABLE,
				Message: msg}})
			return nil
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}

// prometheus serves the metrics in Prometheus' text format.
func (s *Server) prometheus(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	s.metrics.handler.ServeHTTP(w, r)
	return nil
}
