package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/demo"
	"github.com/allydesk/ally/roleplay"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/web"
	"github.com/spf13/cobra"
)

func newServeCmd() *cobra.Command {
	var (
		db        = dbFlags{create: true}
		addr      string
		debugAddr string
		withDemo  bool
		secure    bool
		proxies   string
		logLevel  string
		scenarios string
		mailf     mailFlags
		slack     slackFlags
		mailIn    intakeFlags
		signIn    signInFlags
		drain     time.Duration
		toneEvery time.Duration
	)
	c := &cobra.Command{
		Use:         "serve",
		Short:       "Run the Ally web app and API",
		Annotations: map[string]string{"graceful": "shuts down in serveShutdown"},
		Long: `Run the Ally web app and JSON API.

The database is created and migrated on first use. On an empty database
with no accounts, an admin account is created and its one-time password
printed. With --demo, a fresh database is filled with a demo organisation
and cases, and the sign-in details for each role are printed.`,
		Example: "  ally serve --demo\n  ally serve --addr 0.0.0.0:8080 --db postgres://ally@db/ally",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			out := cmd.OutOrStdout()
			var level slog.Level
			if err := level.UnmarshalText([]byte(logLevel)); err != nil {
				return usageError("--log-level: %q is not debug, info, warn or error", logLevel)
			}
			log := slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level})).
				With("instance", instanceName())
			lib := roleplay.Default()
			if scenarios != "" {
				var err error
				if lib, err = roleplay.LoadDir(scenarios); err != nil {
					return usageError("--scenarios: %v", err)
				}
			}
			if err := mailf.storeOptions(&db); err != nil {
				return err
			}
			if err := slack.storeOptions(&db, mailf.publicURL); err != nil {
				return err
			}
			if _, err := mailf.parseRelay(); err != nil {
				return err
			}
			trusted, err := parseNetworks("--trusted-proxies", proxies)
			if err != nil {
				return err
			}
			ssos, err := signIn.providers(mailf.publicURL)
			if err != nil {
				return err
			}
			if err := checkEnvDurations(cmd, [][2]string{{"drain-delay", "ALLY_DRAIN_DELAY"},
				{"tone-refresh", "ALLY_TONE_REFRESH"}, {"digest-every", "ALLY_DIGEST_EVERY"}}); err != nil {
				return err
			}
			if drain < 0 {
				return usageError("--drain-delay: %s is below zero; give 0 to stop at once, or how long the "+
					"load balancer needs to notice, such as 5s", drain)
			}
			if toneEvery <= 0 {
				return usageError("--tone-refresh: %s is not a duration above zero, such as 10s or 1m", toneEvery)
			}
			if err := ally.CheckDigestEvery(mailf.digestEvery); err != nil {
				return usageError("--digest-every: %s", ally.ErrorMessage(err))
			}
			d, err := db.open(ctx)
			if err != nil {
				return err
			}
			defer d.Close()
			// Instances starting together prepare an empty database one at a time.
			if err := d.Locked(ally.NewOperatorContext(ctx), func(ctx context.Context) error {
				return firstRun(ctx, d, withDemo, out)
			}); err != nil {
				return err
			}
			// The organisation's tone examples on top of the built-in engine;
			// a lead's mark on the tone page rebuilds it, and so does a change
			// seen on the timer (ally tone learn, another instance).
			if err := d.ReloadTone(ally.NewOperatorContext(ctx)); err != nil {
				return err
			}
			if err := checkServedWording(db.playbooks, d.ToneEngine()); err != nil {
				return err
			}
			refreshing, stopRefresh := context.WithCancel(ctx)
			defer stopRefresh()
			go refreshTone(refreshing, d, toneEvery, log)
			stopWorker, err := mailf.startWorker(ctx, d, log)
			if err != nil {
				return err
			}
			defer stopWorker() // before the database closes: the worker records what it sent
			defer startRetention(ctx, d, log)()
			stopSignals, err := startSignalWorkers(ctx, d, log)
			if err != nil {
				return err
			}
			defer stopSignals()
			stopSlack, err := slack.start(ctx, d, log)
			if err != nil {
				return err
			}
			defer stopSlack()
			var stopping atomic.Bool // set when told to stop: /readyz answers 503 from then on
			ready := func(ctx context.Context) error {
				if stopping.Load() {
					return errStopping
				}
				return d.Ping(ctx)
			}
			srv := web.New(web.Config{Services: web.Services{Cases: d, Users: d, Audit: d, Tasks: d, Metrics: d,
				Attachments: d, Insights: d, Practice: d, Outbox: d, ToneMarks: d, Retention: d, Notify: d, Links: d,
				Departments: d, SignIn: d, Follow: d, Signals: d, Webhooks: d, Live: d},
				Playbooks: d.Playbooks(), SignalTypes: d.SignalTypes(), Scenarios: lib, Log: log, Ready: ready,
				SecureCookies: secure, TrustedProxies: trusted, PublicURL: mailf.publicURL, SSO: ssos, SSOOnly: signIn.only,
				MailLinks: mailf.report != "", DeskPhone: signIn.deskPhone, DeskText: signIn.deskText,
				NoAnonymousReports: !signIn.anonymous, DigestEvery: mailf.digestEvery})
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return usageError("cannot listen on %s: %v (use --addr to pick another address)", addr, err)
			}
			if debugAddr != "" {
				debugCtx, stop := context.WithCancel(ctx)
				stopped, err := serveDebug(debugCtx, debugAddr, srv.DebugHandler(), out, log)
				if err != nil {
					stop()
					return err
				}
				defer func() { stop(); <-stopped }()
			}
			if err := mailIn.start(ctx, d, log, out); err != nil {
				return err
			}
			fmt.Fprintf(out, "Ally is running at http://%s (database: %s). Press Ctrl+C to stop.\n", ln.Addr(), redact(db.dsn))
			context.AfterFunc(ctx, func() {
				stopping.Store(true)
				log.Info("stopping: /readyz answers 503; still serving for the drain delay", "drain_delay",
					drain.String())
			})
			return serveUntilDone(ctx, ln, srv, log, drain)
		},
	}
	db.register(c)
	mailIn.register(c)
	signIn.register(c)
	c.Flags().StringVar(&addr, "addr", envOr("ALLY_ADDR", "127.0.0.1:8080"), "address to listen on (env ALLY_ADDR)")
	c.Flags().StringVar(&debugAddr, "debug-addr", os.Getenv("ALLY_DEBUG_ADDR"),
		"also serve /metrics and /debug/pprof/ WITHOUT sign-in on this address, for a scraper on a private "+
			"network (off by default; env ALLY_DEBUG_ADDR)")
	c.Flags().BoolVar(&withDemo, "demo", false, "fill an empty database with demo data and print demo sign-ins")
	c.Flags().BoolVar(&secure, "secure-cookies", os.Getenv("ALLY_SECURE_COOKIES") == "1",
		"mark cookies Secure (set when behind HTTPS; env ALLY_SECURE_COOKIES=1)")
	c.Flags().StringVar(&proxies, "trusted-proxies", os.Getenv("ALLY_TRUSTED_PROXIES"),
		"reverse proxies (CIDR or addresses, comma-separated) whose X-Forwarded-For names the client, for "+
			"sign-in limits; off by default (env ALLY_TRUSTED_PROXIES)")
	c.Flags().StringVar(&logLevel, "log-level", "info", "debug, info, warn or error")
	c.Flags().DurationVar(&drain, "drain-delay", envDuration("ALLY_DRAIN_DELAY", time.Second),
		"on SIGTERM, how long to go on serving with /readyz answering 503 (for a load balancer to notice) "+
			"before refusing new connections and finishing the requests in flight (env ALLY_DRAIN_DELAY)")
	c.Flags().DurationVar(&toneEvery, "tone-refresh", envDuration("ALLY_TONE_REFRESH", 10*time.Second),
		"how often to look for tone examples taught elsewhere (ally tone learn, another instance) "+
			"(env ALLY_TONE_REFRESH)")
	c.Flags().DurationVar(&mailf.digestEvery, "digest-every", envDuration("ALLY_DIGEST_EVERY", ally.DigestEvery),
		"how long a responder's first gathered event waits before their digest email goes out with the rest, "+
			"from 1m to 168h (env ALLY_DIGEST_EVERY)")
	mailf.registerRelay(c)
	slack.register(c)
	c.Flags().StringVar(&mailf.publicURL, "public-url", envOr("ALLY_PUBLIC_URL", ""),
		"where people reach Ally, e.g. https://ally.example.org, for the links in its mail (env ALLY_PUBLIC_URL)")
	c.Flags().StringVar(&scenarios, "scenarios", os.Getenv("ALLY_SCENARIOS"),
		"folder of practice scenario files that add to or replace the built-in ones (env ALLY_SCENARIOS)")
	return c
}

// refreshTone rebuilds the tone engine whenever the stored examples change,
// looking every interval until ctx ends; a failed look is logged and tried
// again at the next tick.
func refreshTone(ctx context.Context, d *store.DB, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			changed, err := d.RefreshTone(ally.NewOperatorContext(ctx))
			switch {
			case err != nil && ctx.Err() == nil:
				log.Warn("could not look for new tone examples; trying again later", "err", err)
			case changed:
				log.Info("tone examples changed; the tone check now uses them")
			}
		}
	}
}

// firstRun prepares an empty database: demo data with --demo, or else a
// first admin account with a one-time password.
func firstRun(ctx context.Context, d *store.DB, withDemo bool, out io.Writer) error {
	n, err := d.CountUsers(ctx)
	if err != nil {
		return err
	}
	switch {
	case withDemo && n == 0:
		fmt.Fprintln(out, "Filling the database with demo data…")
		now := time.Now()
		if err := demo.Load(ctx, d, demo.Options{Cases: 400, Now: now, Span: 30 * 24 * time.Hour, Seed: 1}); err != nil {
			return err
		}
		if _, err := demo.AttachEmails(ctx, d, now.Add(-30*24*time.Hour)); err != nil {
			return err
		}
		printDemoSignIns(out)
	case withDemo:
		fmt.Fprintln(out, "The database already has accounts, so no demo data was added.")
		printDemoSignIns(out)
	case n == 0:
		pw := generatePassword()
		if _, err := d.CreateUser(ctx, &ally.NewUser{Email: "admin@localhost", Name: "Admin", Role: ally.RoleAdmin,
			Password: pw}); err != nil {
			return err
		}
		fmt.Fprintf(out, "Created the first admin account. Sign in as admin@localhost with this password (shown once):\n  "+
			"%s\n", pw)
	}
	return nil
}

func printDemoSignIns(out io.Writer) {
	fmt.Fprintf(out, "Demo sign-ins (password for all: %s):\n", demo.Password)
	seen := map[ally.Role]bool{}
	for _, a := range demo.Accounts {
		if !seen[a.Role] {
			seen[a.Role] = true
			fmt.Fprintf(out, "  %-10s %s\n", a.Role, a.Email)
		}
	}
}

func generatePassword() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// serveDebug serves the metrics and profiles without sign-in on their own
// listener until ctx ends, then closes stopped; a failure after it started
// is logged.
func serveDebug(ctx context.Context, addr string, h http.Handler, out io.Writer,
	log *slog.Logger) (stopped <-chan struct{}, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, usageError("--debug-addr: cannot listen on %s: %v", addr, err)
	}
	if host, _, _ := net.SplitHostPort(addr); host == "" || !isLoopback(host) {
		log.Warn("the debug listener is open beyond this machine: anyone who reaches it can read metrics "+
			"and profiles; keep it on a private network", "addr", ln.Addr().String())
	}
	fmt.Fprintf(out, "Metrics and profiles (no sign-in) at http://%s/metrics and http://%s/debug/pprof/\n",
		ln.Addr(), ln.Addr())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := serveUntilDone(ctx, ln, h, log, 0); err != nil {
			log.Error("the debug listener stopped", "error", err.Error())
		}
	}()
	return done, nil
}

// isLoopback reports whether host names this machine only.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serveShutdown is how long serve waits for requests in flight when stopped.
const serveShutdown = 10 * time.Second

// errStopping is what /readyz says while an instance shuts down.
var errStopping = ally.Errorf(ally.EUNAVAILABLE, "This instance is shutting down.")

// instanceName tells instances apart in the logs: host and process id.
func instanceName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s:%d", host, os.Getpid())
}

// envDuration reads a duration from the environment, or def (a value that
// is not a duration is refused by checkEnvDurations).
func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

// checkEnvDurations refuses an environment variable behind a duration flag
// ({flag, variable} pairs) that is set but not a duration, unless the flag
// overrides it: envDuration could only have fallen back to the default.
func checkEnvDurations(cmd *cobra.Command, pairs [][2]string) error {
	for _, p := range pairs {
		flag, env := p[0], p[1]
		v := os.Getenv(env)
		if _, err := time.ParseDuration(v); v != "" && err != nil && !cmd.Flags().Changed(flag) {
			return usageError("%s: %q is not a duration, such as 30s, 10m or 2h (or give --%s)", env, v, flag)
		}
	}
	return nil
}

// serveUntilDone serves until ctx ends, goes on serving for drain (while
// /readyz says 503), then stops accepting and waits up to serveShutdown
// for the requests in flight.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger, drain time.Duration) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	if st, ok := h.(interface{ CloseStreams() }); ok {
		hs.RegisterOnShutdown(st.CloseStreams) // open event streams would hold the shutdown
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	select {
	case err := <-errc:
		return err
	case <-time.After(drain):
	}
	shutdown, cancel := context.WithTimeout(context.Background(), serveShutdown)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
