package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailaddr"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/outbox"
	"github.com/allydesk/ally/store"
	"github.com/spf13/cobra"
)

// mailFlags are the outbound mail settings of ally serve and ally mail.
type mailFlags struct {
	relay     string
	report    string
	publicURL string
	// digestEvery is how often the worker sends responders' digests (serve).
	digestEvery time.Duration
}

func (f *mailFlags) registerRelay(c *cobra.Command) {
	c.Flags().StringVar(&f.relay, "smtp-relay", envOr("ALLY_SMTP_RELAY", ""),
		"SMTP relay for Ally's mail: smtp://[user:pass@]host:port[?tls=starttls|implicit|none] (env ALLY_SMTP_RELAY)")
	c.Flags().StringVar(&f.report, "report-address", envOr("ALLY_REPORT_ADDRESS", ""),
		"the report mailbox, e.g. report@example.org: the From of Ally's mail; replies come back to its "+
			"plus-addresses (env ALLY_REPORT_ADDRESS)")
}

// parseRelay reads --smtp-relay; nil when it is not set.
func (f *mailFlags) parseRelay() (*outbox.Relay, error) {
	if f.relay == "" {
		return nil, nil
	}
	r, err := outbox.ParseRelay(f.relay)
	if err != nil {
		return nil, usageError("--smtp-relay: %v", err)
	}
	return r, nil
}

// checkReport checks --report-address, which mail needs.
func (f *mailFlags) checkReport() error {
	if a, err := mail.ParseAddress(f.report); err != nil || mailaddr.Domain(a.Address) == "" {
		return usageError("--report-address: %q is not an email address; give the report mailbox, "+
			"e.g. --report-address report@example.org", f.report)
	}
	return nil
}

// checkPublicURL refuses a --public-url that is not an absolute web
// address: it starts every link in mail and Slack, the follow links and the
// single sign-on redirect, which "ally.example.org" (no scheme) would break.
func (f *mailFlags) checkPublicURL() error {
	if f.publicURL == "" {
		return nil
	}
	u, err := url.Parse(f.publicURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" {
		return usageError("--public-url: %q is not a web address such as https://ally.example.org; "+
			"give the scheme and host (and path, if any) where people reach Ally", redact(f.publicURL))
	}
	return nil
}

// storeOptions turns mail on in the store when a report address is set:
// events then queue mail, worded from the templates in the playbooks folder.
func (f *mailFlags) storeOptions(db *dbFlags) error {
	if err := f.checkPublicURL(); err != nil {
		return err
	}
	if f.report == "" {
		if f.relay != "" {
			return usageError("--smtp-relay needs --report-address (the From of Ally's mail), e.g. report@example.org")
		}
		return nil
	}
	if err := f.checkReport(); err != nil {
		return err
	}
	if f.publicURL == "" {
		return usageError("--report-address needs --public-url, where people reach Ally, for the links in mail")
	}
	set := mailtext.Default()
	if db.playbooks != "" {
		var err error
		if set, err = mailtext.LoadDir(db.playbooks); err != nil {
			return usageError("mail templates: %v", err)
		}
	}
	db.mail, db.publicURL = set, f.publicURL
	return nil
}

// startWorker runs the outbox worker until ctx ends, when a relay is set.
// The function it returns stops the worker and waits until it has recorded
// what it was sending.
func (f *mailFlags) startWorker(ctx context.Context, d *store.DB, log *slog.Logger) (func(), error) {
	relay, err := f.parseRelay()
	if err != nil || f.report == "" {
		return func() {}, err
	}
	if relay == nil {
		log.Warn("mail is queued but not sent: set --smtp-relay (or ALLY_SMTP_RELAY) to deliver it")
		return func() {}, nil
	}
	w, err := outbox.New(ctx, outbox.Config{Queue: d, Relay: relay, From: f.report, Log: log, Digests: d,
		DigestEvery: f.digestEvery})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	log.Info("outbox worker started", "relay", relay.String())
	return func() { cancel(); <-done }, nil
}

func newMailCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mail",
		Short: "Check mail settings and watch the outbox",
		Long: `Ally sends its mail (acknowledgements, replies, closing messages and
notifications) through an outbox in the database, delivered by "ally serve"
through the relay set with --smtp-relay.`,
	}
	cmd.AddCommand(newMailTestCmd(), newMailOutboxCmd(), newMailEvalCmd(), newMailLearnCmd(), newMailModelCmd(),
		newMailForgetCmd())
	return cmd
}

func newMailTestCmd() *cobra.Command {
	var (
		f       mailFlags
		imapURL string
		to      string
		timeout time.Duration
	)
	cmd := &cobra.Command{
		Use:   "test",
		Short: "Check the relay and report-mailbox settings; send a test message with --to",
		Long: `Connect to the relay as "ally serve" would (connection, TLS, sign-in) and say
exactly which step fails and why. With --to, also send one test message.
With --imap, sign in to the report mailbox, open its folder and look for the
folder processed reports go to. Exit 1 when a step fails.`,
		Example: "  ally mail test --smtp-relay 'smtp://ally:pass@mail.example.org:587' \\\n" +
			"    --report-address report@example.org --to me@example.org\n" +
			"  ally mail test --imap imaps://report:secret@mail.example.org/INBOX",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			relay, err := f.parseRelay()
			if err != nil {
				return err
			}
			if relay == nil && imapURL == "" {
				return usageError("--smtp-relay (or ALLY_SMTP_RELAY) is not set, nor --imap (ALLY_IMAP); " +
					"give the relay or the report mailbox to check")
			}
			if imapURL != "" {
				if err := checkIMAP(cmd.OutOrStdout(), imapURL); err != nil || relay == nil {
					return err
				}
			}
			if to != "" {
				if err := f.checkReport(); err != nil {
					return err
				}
			}
			out := cmd.OutOrStdout()
			steps, err := outbox.Check(cmd.Context(), relay, f.report, to, timeout)
			for _, s := range steps {
				fmt.Fprintln(out, "ok:", s)
			}
			if err != nil {
				return &exitError{code: 1, msg: err.Error()}
			}
			fmt.Fprintf(out, "The relay %s works.\n", relay)
			return nil
		},
	}
	f.registerRelay(cmd)
	cmd.Flags().StringVar(&to, "to", "", "also send a test message to this address")
	cmd.Flags().StringVar(&imapURL, "imap", os.Getenv("ALLY_IMAP"),
		"report mailbox to check: imap[s]://user:pass@host:port/FOLDER (env ALLY_IMAP)")
	cmd.Flags().DurationVar(&timeout, "timeout", 30*time.Second, "longest wait for the relay per step")
	return cmd
}

func newMailOutboxCmd() *cobra.Command {
	var (
		db          dbFlags
		status      string
		format      string
		limit       int
		retry       int64
		retryFailed bool
	)
	cmd := &cobra.Command{
		Use:   "outbox",
		Short: "List the outbox, show failures, retry failed mail",
		Long: `List Ally's outgoing mail, newest first, with the totals: queued, sent and
failed (with the relay's reason). --status failed shows only failures;
--retry ID or --retry-failed queues failed mail again, due now.`,
		Example: "  ally mail outbox --status failed\n  ally mail outbox --retry-failed\n  ally mail outbox --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return usageError("--format %q is not known; use text or json", format)
			}
			if retry != 0 && retryFailed {
				return usageError("give --retry ID or --retry-failed, not both")
			}
			return db.with(cmd, func(d *store.DB) error {
				ctx := cmd.Context()
				if retry != 0 || retryFailed {
					n, err := d.RetryMail(ctx, retry)
					if err != nil {
						return usageError("%s", ally.ErrorMessage(err))
					}
					fmt.Fprintf(cmd.OutOrStdout(), "Queued %s again.\n", plural(n, "message"))
					return nil
				}
				page, err := d.FindOutbox(ctx, ally.OutboxFilter{Status: status, Limit: limit})
				if err != nil {
					return usageError("%s", ally.ErrorMessage(err))
				}
				return writeOutbox(cmd, format, page)
			})
		},
	}
	db.register(cmd)
	cmd.Flags().StringVar(&status, "status", "", "only messages in this state: queued, sent or failed")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().IntVar(&limit, "limit", 50, "how many messages to list")
	cmd.Flags().Int64Var(&retry, "retry", 0, "queue the failed message with this id again")
	cmd.Flags().BoolVar(&retryFailed, "retry-failed", false, "queue every failed message again")
	return cmd
}

func writeOutbox(cmd *cobra.Command, format string, page *ally.OutboxPage) error {
	out := cmd.OutOrStdout()
	if format == "json" {
		return json.NewEncoder(out).Encode(page)
	}
	s := page.Stats
	oldest := "none"
	if s.OldestQueued != nil {
		oldest = time.Since(*s.OldestQueued).Round(time.Second).String() + " ago"
	}
	fmt.Fprintf(out, "Queued %d (oldest %s), sent %d, failed %d.\n", s.Queued, oldest, s.Sent, s.Failed)
	if len(page.Items) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tKIND\tCASE\tTO\tATTEMPTS\tCREATED\tLAST ERROR")
	for _, m := range page.Items {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", strconv.FormatInt(m.ID, 10), m.Status, m.Kind, m.CaseRef,
			m.To, m.Attempts, m.CreatedAt.Format(time.RFC3339), m.LastError)
	}
	return tw.Flush()
}
