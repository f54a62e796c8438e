package web

import (
	"net/http"
	"net/http/pprof"
)

// DebugHandler serves /metrics and the Go profiles under /debug/pprof/
// WITHOUT sign-in, for `ally serve --debug-addr` to put on a separate
// listener that only a scraper on a private network can reach (as
// tailscale's tsweb and wtf do). On the app's own port /metrics needs a
// lead's or admin's bearer token.
func (s *Server) DebugHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.handler)
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	return mux
}
