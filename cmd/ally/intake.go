package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/intake"
	"github.com/allydesk/ally/mailin"
	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
)

// intakeFlags are the report mailbox's settings on ally serve.
type intakeFlags struct {
	smtpAddr, smtpAllow, smtpCert, smtpKey string
	smtpMaxMB                              int
	imap, domains, rules                   string
}

func (f *intakeFlags) register(c *cobra.Command) {
	fl := c.Flags()
	fl.StringVar(&f.smtpAddr, "smtp-addr", os.Getenv("ALLY_SMTP_ADDR"),
		"HOST:PORT where the report listener takes mail from your relays; off when empty (env ALLY_SMTP_ADDR)")
	fl.StringVar(&f.smtpAllow, "smtp-allow", envOr("ALLY_SMTP_ALLOW", "127.0.0.0/8,::1/128"),
		"networks (CIDR, comma-separated) that may hand the listener mail (env ALLY_SMTP_ALLOW)")
	maxMB, _ := strconv.Atoi(envOr("ALLY_SMTP_MAX_MB", strconv.Itoa(intake.DefaultMaxBytes>>20)))
	fl.IntVar(&f.smtpMaxMB, "smtp-max-mb", maxMB,
		"largest message the listener or the IMAP watcher takes, in MB (env ALLY_SMTP_MAX_MB)")
	fl.StringVar(&f.smtpCert, "smtp-cert", os.Getenv("ALLY_SMTP_CERT"),
		"PEM certificate file; with --smtp-key the listener offers STARTTLS (env ALLY_SMTP_CERT)")
	fl.StringVar(&f.smtpKey, "smtp-key", os.Getenv("ALLY_SMTP_KEY"),
		"PEM private key file for --smtp-cert (env ALLY_SMTP_KEY)")
	fl.StringVar(&f.imap, "imap", os.Getenv("ALLY_IMAP"),
		"mailbox to watch for reports: imap[s]://user:pass@host:port/FOLDER (env ALLY_IMAP)")
	fl.StringVar(&f.domains, "report-domains", os.Getenv("ALLY_REPORT_DOMAINS"),
		"mail domains (comma-separated) whose people may report by email before they have an account "+
			"(env ALLY_REPORT_DOMAINS)")
	fl.StringVar(&f.rules, "simulation-rules", os.Getenv("ALLY_SIMULATION_RULES"),
		"YAML file of rules that recognise your phishing simulations (env ALLY_SIMULATION_RULES)")
}

// start runs the listener and the watcher that are configured, until ctx
// ends. Bad settings are usage errors, found before anything starts.
// mailDesk is what the report mailbox stores into: reports, replies and
// the answers queued in the outbox.
type mailDesk interface {
	ally.MailService
	ally.ReplyService
	intake.Answerer
	// Lead runs work on one instance at a time (store.DB.Lead).
	Lead(ctx context.Context, name string, run func(ctx context.Context))
}

func (f *intakeFlags) start(ctx context.Context, mail mailDesk, log *slog.Logger, out io.Writer) error {
	if f.smtpAddr == "" && f.imap == "" {
		return nil
	}
	rules, err := loadRules(f.rules)
	if err != nil {
		return err
	}
	if f.smtpMaxMB < 1 {
		return usageError("--smtp-max-mb: must be at least 1")
	}
	in := intake.New(intake.Config{Mail: mail, Replies: mail, Answerer: mail, Domains: splitList(f.domains),
		Rules: rules, Log: log})
	if f.imap != "" {
		c, err := intake.ParseIMAPURL(f.imap)
		if err != nil {
			return usageError("%v", err)
		}
		c.MaxBytes = int64(f.smtpMaxMB) << 20
		// Every instance offers to watch; one at a time does, and another
		// takes over if it stops.
		go mail.Lead(ctx, "imap "+c.Redacted(), func(ctx context.Context) { in.WatchIMAP(ctx, c) })
		fmt.Fprintf(out, "Watching %s for reports (one instance at a time).\n", c.Redacted())
	}
	if f.smtpAddr == "" {
		return nil
	}
	sc, err := f.smtpConfig()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.smtpAddr)
	if err != nil {
		return usageError("--smtp-addr: cannot listen on %s: %v", f.smtpAddr, err)
	}
	sc.Replies = in.Reply
	srv := in.NewSMTPServer(sc)
	go func() { _ = srv.Serve(ln) }()
	context.AfterFunc(ctx, func() { _ = srv.Close() })
	fmt.Fprintf(out, "Taking reports by SMTP at %s.\n", ln.Addr())
	return nil
}

func (f *intakeFlags) smtpConfig() (intake.SMTPConfig, error) {
	var c intake.SMTPConfig
	var err error
	if c.Allow, err = parseNetworks("--smtp-allow", f.smtpAllow); err != nil {
		return c, err
	}
	c.MaxBytes = int64(f.smtpMaxMB) << 20
	switch {
	case (f.smtpCert == "") != (f.smtpKey == ""):
		return c, usageError("--smtp-cert and --smtp-key go together: give both for STARTTLS, or neither")
	case f.smtpCert != "":
		cert, err := tls.LoadX509KeyPair(f.smtpCert, f.smtpKey)
		if err != nil {
			return c, usageError("--smtp-cert/--smtp-key: %v", err)
		}
		c.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	return c, nil
}

// loadRules reads simulation rules from a YAML file (nil: the defaults).
func loadRules(path string) ([]mailin.Rule, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usageError("--simulation-rules: %v", err)
	}
	var rules []mailin.Rule
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&rules); err != nil && !errors.Is(err, io.EOF) {
		return nil, usageError("--simulation-rules: %s: %v", path, err)
	}
	for i, r := range rules {
		if r.Name == "" || (r.Header == "") == (r.LinkParam == "") {
			return nil, usageError("--simulation-rules: rule %d needs a name and either header or link_param", i+1)
		}
	}
	if rules == nil {
		rules = []mailin.Rule{} // an empty file turns recognition off
	}
	return rules, nil
}

// parseNetworks reads a comma-separated list of networks (CIDR) or single
// addresses given to flag.
func parseNetworks(flag, list string) ([]netip.Prefix, error) {
	var nets []netip.Prefix
	for _, s := range splitList(list) {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return nil, usageError("%s: %q is not a network such as 10.0.0.0/8 or an address", flag, s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		nets = append(nets, p)
	}
	return nets, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// checkIMAP is the IMAP part of ally mail test.
func checkIMAP(out io.Writer, imapURL string) error {
	if imapURL == "" {
		fmt.Fprintln(out, "IMAP: not set (--imap or ALLY_IMAP); reports come only through the SMTP listener or the web.")
		return nil
	}
	c, err := intake.ParseIMAPURL(imapURL)
	if err != nil {
		return usageError("%v", err)
	}
	msg, err := intake.CheckIMAP(c)
	if err != nil {
		fmt.Fprintf(out, "IMAP %s: %v\n", c.Redacted(), err)
		return problemsFound()
	}
	fmt.Fprintln(out, msg)
	return nil
}
