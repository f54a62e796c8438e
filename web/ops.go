package web

import (
	"net/http"

	"github.com/allydesk/ally"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func (s *Server) routesOps() {
	s.handle("GET /healthz", func(w http.ResponseWriter, r *http.Request) error {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
		return nil
	})
	s.handle("GET /readyz", func(w http.ResponseWriter, r *http.Request) error {
		if s.Ready != nil {
			if err := s.Ready(r.Context()); err != nil {
				s.Log.Error("database not reachable", "error", err.Error())
				writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: errorDetail{Code: ally.EINTERNAL, Message: "The database is not reachable."}})
				return nil
			}
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
		return nil
	})
	metrics := promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})
	s.handle("GET /metrics", func(w http.ResponseWriter, r *http.Request) error {
		metrics.ServeHTTP(w, r)
		return nil
	})
}
