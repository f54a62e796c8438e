// Package web serves Ally over HTTP: the JSON API, the server-rendered pages,
// static assets, and the middleware around them (authentication, CSRF,
// security headers, logging, recovery).
package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/playbook"
	"github.com/allydesk/ally/practice"
	"github.com/allydesk/ally/roleplay"
	"github.com/allydesk/ally/tone"
)

// Services are the domain services the server calls.
type Services struct {
	Cases       ally.CaseService
	Users       ally.UserService
	Audit       ally.AuditService
	Tasks       ally.TaskService
	Metrics     ally.MetricsService
	Attachments ally.AttachmentService
	Insights    ally.InsightService
	Practice    ally.PracticeService
	Outbox      ally.OutboxService // optional: GET /api/v1/outbox and outbox figures in /metrics
	ToneMarks   ally.ToneService   // optional: the leads' tone page and the organisation's tone engine
	Live        ally.LiveService   // optional: live updates of the queue (GET /events)
}

// Config holds everything New needs; unset engines get their defaults.
type Config struct {
	Services
	Playbooks *playbook.Set
	Tone      *tone.Engine
	Scenarios *roleplay.Library
	Log       *slog.Logger
	// Ready reports whether the database is reachable (for /readyz).
	Ready func(ctx context.Context) error
	// SecureCookies marks cookies Secure (set when served over TLS or behind
	// a TLS-terminating proxy).
	SecureCookies bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client; other peers are the client themselves.
	TrustedProxies []netip.Prefix
}

// Server is Ally's HTTP server. Build it with New.
type Server struct {
	Config
	// Now returns the current time; tests may replace it.
	Now func() time.Time

	mux       *http.ServeMux
	handler   http.Handler // the middleware chain around mux, built once
	routeList []route
	logins    *limiter // per address and email
	networks  *limiter // per /24 or /64, whatever the email
	accounts  *backoff // per account, growing waits
	cases     *bucket  // per user: new cases (userlimits.go)
	messages  *bucket  // per user: messages on cases
	uploads   *bucket  // per user: files added to cases
	analyses  *slots   // uploads and tone checks running, per user and in all
	metrics   *httpMetrics
	practice  *practice.Service // plays sessions kept in Services.Practice
	heartbeat time.Duration     // of live updates; liveHeartbeat unless a test sets it
}

// New returns a server with every route registered.
func New(c Config) *Server {
	s := &Server{Config: c, Now: time.Now, mux: http.NewServeMux(), logins: newLimiter(pairLimit, limitWindow),
		networks: newLimiter(networkLimit, limitWindow), accounts: newBackoff(),
		cases: newBucket(ally.CaseRate), messages: newBucket(ally.MessageRate), uploads: newBucket(ally.UploadRate),
		analyses: newSlots(ally.AnalysesPerUser, ally.AnalysisWorkers)}
	if s.Log == nil {
		s.Log = slog.New(slog.DiscardHandler)
	}
	if s.Tone == nil {
		s.Tone = tone.Default()
	}
	if s.Playbooks == nil {
		s.Playbooks = playbook.Default()
	}
	if s.Scenarios == nil {
		s.Scenarios = roleplay.Default()
	}
	s.practice = &practice.Service{Store: s.Services.Practice, Scenarios: s.Scenarios}
	s.metrics = newHTTPMetrics()
	if s.Services.Metrics != nil {
		s.metrics.registry.MustRegister(&caseCollector{src: s.Services.Metrics})
	}
	s.routes()
	s.handler = s.middleware(s.crossOrigin(s.authenticate(s.mux)))
	return s
}

// ServeHTTP runs every request through the middleware chain.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}
