// Package web serves Ally over HTTP: the JSON API, the server-rendered pages,
// static assets, and the middleware around them (authentication, CSRF,
// security headers, logging, recovery).
package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/playbook"
	"github.com/allydesk/ally/practice"
	"github.com/allydesk/ally/roleplay"
	"github.com/allydesk/ally/signals"
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
	Outbox      ally.OutboxService    // optional: GET /api/v1/outbox and outbox figures in /metrics
	ToneMarks   ally.ToneService      // optional: the leads' tone page and the organisation's tone engine
	Retention   ally.RetentionService // optional: GET and PUT /api/v1/retention
	Notify      ally.NotifyService    // optional: responders' notification settings (page and API)
	Links       ally.LinkService      // optional: linked cases (duplicates, related)
	// Departments is the managed list of departments; optional (without it
	// the filters and forms take free text).
	Departments ally.DepartmentService
	SignIn      ally.SignInService // optional: single sign-on and emailed sign-in links
	Follow      ally.FollowService // optional: reports without signing in
	// Limits keeps the sign-in and per-user rate limits, shared by every
	// instance; when unset, Users does if it can (store.DB does).
	Limits   ally.LimitService
	Signals  ally.SignalService  // optional: signals in and the person's answers
	Webhooks ally.WebhookService // optional: webhook and chat subscriptions, and their figures in /metrics
	Live     ally.LiveService    // optional: live updates of the queue (GET /events)
}

// Config holds everything New needs; unset engines get their defaults.
type Config struct {
	Services
	Playbooks *playbook.Set
	Tone      *tone.Engine
	Scenarios *roleplay.Library
	// SignalTypes are the signal types (package signals); nil means the
	// built-in ones.
	SignalTypes *signals.Set
	Log         *slog.Logger
	// Ready reports whether the database is reachable (for /readyz).
	Ready func(ctx context.Context) error
	// SecureCookies marks cookies Secure (set when served over TLS or behind
	// a TLS-terminating proxy).
	SecureCookies bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client; other peers are the client themselves.
	TrustedProxies []netip.Prefix
	// PublicURL is where people reach Ally: the start of single sign-on
	// redirect URIs and of emailed links.
	PublicURL string
	// SSO are the single sign-on providers, a button each on the sign-in
	// page; SSOOnly turns passwords and emailed links off.
	SSO     []SSOProvider
	SSOOnly bool
	// MailLinks offers emailed sign-in and reset links (mail is on).
	MailLinks bool
	// DeskPhone and DeskText are shown under "Can't sign in?", on the
	// first aid for lost devices and stolen passwords, and in the urgent
	// banner a reporter of a critical case reads ("Please call us now on …";
	// without a number it asks them to stay near their phone).
	DeskPhone string
	DeskText  string
	// NoAnonymousReports turns off reporting without signing in (on
	// whenever Services.Follow is set).
	NoAnonymousReports bool
	// DigestEvery is how often the outbox worker sends digests, for the
	// notification settings page to say; 0 means ally.DigestEvery.
	DigestEvery time.Duration
}

// Server is Ally's HTTP server. Build it with New.
type Server struct {
	Config
	// Now returns the current time; tests may replace it.
	Now func() time.Time

	mux       *http.ServeMux
	handler   http.Handler // the middleware chain around mux, built once
	routeList []route
	logins    limit  // sign-in attempts per address and email (limits.go)
	networks  limit  // sign-in attempts per /24 or /64, whatever the email
	cases     limit  // per user: new cases (userlimits.go)
	messages  limit  // per user: messages on cases
	uploads   limit  // per user: files added to cases
	analyses  *slots // uploads and tone checks running, per user and in all
	metrics   *httpMetrics
	practice  *practice.Service // plays sessions kept in Services.Practice
	ssos      []*ssoClient      // Config.SSO, discovered on first use
	heartbeat time.Duration     // of live updates; liveHeartbeat unless a test sets it
	// streamsClosed is closed by CloseStreams: every live-update stream ends.
	streamsClosed chan struct{}
	closeStreams  sync.Once
}

// New returns a server with every route registered.
func New(c Config) *Server {
	s := &Server{Config: c, Now: time.Now, mux: http.NewServeMux(),
		logins: limit{"sign-in", ally.SignInPairRate}, networks: limit{"sign-in network", ally.SignInNetworkRate},
		cases: limit{"cases", ally.CaseRate}, messages: limit{"messages", ally.MessageRate},
		uploads: limit{"uploads", ally.UploadRate}, analyses: newSlots(ally.AnalysesPerUser, ally.AnalysisWorkers),
		streamsClosed: make(chan struct{})}
	if s.Limits == nil {
		s.Limits, _ = c.Users.(ally.LimitService)
	}
	if s.Log == nil {
		s.Log = slog.New(slog.DiscardHandler)
	}
	if s.Tone == nil {
		s.Tone = tone.Default()
	}
	if s.Playbooks == nil {
		s.Playbooks = playbook.Default()
	}
	if s.SignalTypes == nil {
		s.SignalTypes = signals.Default()
	}
	if s.Scenarios == nil {
		s.Scenarios = roleplay.Default()
	}
	s.ssos = ssoClients(c.SSO)
	s.practice = &practice.Service{Store: s.Services.Practice, Scenarios: s.Scenarios}
	s.metrics = newHTTPMetrics()
	s.registerCollectors()
	s.routes()
	s.handler = s.middleware(s.crossOrigin(s.authenticate(s.mux)))
	return s
}

// ServeHTTP runs every request through the middleware chain.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}
