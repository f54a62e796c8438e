package web

import (
	"net/http"

	"github.com/allydesk/ally"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if s.Ready != nil {
		if err := s.Ready(r.Context()); err != nil {
			s.Log.Error("database not reachable", "error", err.Error())
			writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: errorDetail{Code: ally.EUNAVAILABLE,
				Message: "The database is not reachable."}})
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
