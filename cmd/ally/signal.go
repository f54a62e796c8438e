package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/webhook"
	"github.com/spf13/cobra"
)

func newSignalCmd() *cobra.Command {
	c := &cobra.Command{Use: "signal", Short: "Send signals from scripts (\"was this you?\")",
		Long: `A signal is an alert from another security tool about a person. Ally asks
the person "was this you?" and makes a case when they say no or do not
answer in time. Types and their questions: GET /api/v1/signal-types,
signals/*.yaml in the playbooks folder (docs/signals.md).`}
	c.AddCommand(newSignalSendCmd())
	return c
}

func newSignalSendCmd() *cobra.Command {
	var (
		n             ally.NewSignal
		server, token string
		severity, at  string
		timeout       time.Duration
	)
	c := &cobra.Command{
		Use:   "send",
		Short: "Send one signal to a running Ally with an integration's token; prints its id and status",
		Example: "  ALLY_TOKEN=… ally signal send --url https://ally.example.org --type new_place_sign_in \\\n" +
			"    --subject sam@example.org --summary \"a sign-in to your account from Lisbon\" --dedup-key evt-42",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if token == "" {
				return usageError("--token (or ALLY_TOKEN) is required; make one with: ally token create --integration NAME")
			}
			n.Severity, n.Timeout = ally.Severity(severity), int64(timeout/time.Second)
			if at != "" {
				t, err := time.Parse(time.RFC3339, at)
				if err != nil {
					return usageError("--occurred-at: %q is not a time like 2026-12-07T03:12:00Z", at)
				}
				n.OccurredAt = &t
			}
			if err := n.Validate(); err != nil {
				return usageError("%s", strings.Replace(ally.ErrorMessage(err), "subject_email:", "--subject:", 1))
			}
			return sendSignal(cmd, server, token, &n)
		},
	}
	f := c.Flags()
	f.StringVar(&server, "url", envOr("ALLY_URL", "http://127.0.0.1:8080"), "where Ally runs (env ALLY_URL)")
	f.StringVar(&token, "token", os.Getenv("ALLY_TOKEN"), "an integration's bearer token (env ALLY_TOKEN)")
	f.StringVar(&n.Source, "source", "script", "the tool that saw it, e.g. okta")
	f.StringVar(&n.Type, "type", "", "the signal type, e.g. new_place_sign_in (required)")
	f.StringVar(&n.SubjectEmail, "subject", "", "the email of the person it is about (required)")
	f.StringVar(&n.Summary, "summary", "", "what happened, in words the person reads (required)")
	f.StringVar(&n.Details, "details", "", "details for responders")
	f.StringVar(&severity, "severity", "", "low, medium, high or critical (default: the type's)")
	f.StringVar(&n.DedupKey, "dedup-key", "", "the same key within the type's window is one signal")
	f.StringVar(&at, "occurred-at", "", "when it happened (RFC 3339); default now")
	f.DurationVar(&timeout, "timeout", 0, "how long to wait for an answer, e.g. 10m (default: the type's)")
	return c
}

// sendSignal posts n and prints "ID STATUS" (and "duplicate").
func sendSignal(cmd *cobra.Command, server, token string, n *ally.NewSignal) error {
	b, _ := json.Marshal(n)
	ctx, cancel := context.WithTimeout(cmd.Context(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(server, "/")+"/api/v1/signals",
		bytes.NewReader(b))
	if err != nil {
		return usageError("--url: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach Ally at %s: %w", server, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error struct{ Message string } `json:"error"`
		}
		if json.Unmarshal(raw, &e) == nil && e.Error.Message != "" {
			return usageError("Ally refused the signal (%d): %s", resp.StatusCode, e.Error.Message)
		}
		return fmt.Errorf("ally answered %d", resp.StatusCode)
	}
	var s ally.Signal
	if err := json.Unmarshal(raw, &s); err != nil {
		return fmt.Errorf("ally's answer is not a signal: %w", err)
	}
	line := fmt.Sprintf("%d %s", s.ID, s.Status)
	if s.Duplicate {
		line += " duplicate"
	}
	fmt.Fprintln(cmd.OutOrStdout(), line)
	return nil
}

func newWebhookCmd() *cobra.Command {
	c := &cobra.Command{Use: "webhook", Short: "Manage webhook and chat subscriptions (Slack, Teams, signed JSON)"}
	c.AddCommand(newWebhookAddCmd(), newWebhookListCmd(), newWebhookIDCmd("test", "Queue a test delivery"),
		newWebhookIDCmd("deliveries", "Show a subscription's delivery log, newest first"),
		newWebhookIDCmd("rotate", "Give a subscription a new secret; the old one also signs for a day"),
		newWebhookIDCmd("enable", "Turn a subscription turned off by a 410 answer back on"),
		newWebhookIDCmd("remove", "Remove a subscription and its deliveries"))
	return c
}

func newWebhookAddCmd() *cobra.Command {
	var (
		db     dbFlags
		n      ally.NewWebhook
		events string
	)
	c := &cobra.Command{
		Use:   "add",
		Short: "Subscribe a URL to events; prints the id, then the signing secret alone on a line",
		Example: "  ally webhook add --url https://hooks.slack.com/services/… --format slack \\\n" +
			"    --events case.created,signal.escalated",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			n.Events = strings.FieldsFunc(events, func(r rune) bool { return r == ',' || r == ' ' })
			return db.with(cmd, func(d *store.DB) error {
				h, err := d.CreateWebhook(cmd.Context(), &n)
				if err != nil {
					return domainError(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%d\n%s\n", h.ID, h.Secret)
				return nil
			})
		},
	}
	db.register(c)
	c.Flags().StringVar(&n.URL, "url", "", "the receiver's URL (required)")
	c.Flags().StringVar(&events, "events", "", "comma-separated events: "+strings.Join(ally.Events, ", "))
	c.Flags().StringVar(&n.Format, "format", ally.FormatStandard,
		"standard (signed JSON), slack (also Mattermost) or teams")
	c.Flags().BoolVar(&n.IncludePersonal, "include-personal", false,
		"add names, summaries and emails to standard payloads (never to chat)")
	return c
}

func newWebhookListCmd() *cobra.Command {
	var db dbFlags
	c := &cobra.Command{
		Use:   "list",
		Short: "List subscriptions with their backlog",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return db.with(cmd, func(d *store.DB) error {
				hooks, err := d.FindWebhooks(cmd.Context())
				if err != nil {
					return domainError(err)
				}
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tFORMAT\tURL\tEVENTS\tQUEUED\tFAILED\tSTATE")
				for _, h := range hooks {
					state := "on"
					if h.Disabled != "" {
						state = "off: " + h.Disabled
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%s\n", h.ID, h.Format, h.URL, strings.Join(h.Events, ","),
						h.Queued, h.Failed, state)
				}
				return tw.Flush()
			})
		},
	}
	db.register(c)
	return c
}

// newWebhookIDCmd is one of the commands that act on one subscription.
func newWebhookIDCmd(name, short string) *cobra.Command {
	var db dbFlags
	c := &cobra.Command{
		Use:   name + " ID",
		Short: short,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("webhook %s needs one subscription id (see ally webhook list)", name)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usageError("%q is not a subscription id; ally webhook list shows them", args[0])
			}
			return db.with(cmd, func(d *store.DB) error {
				return domainError(webhookAction(cmd, d, name, id))
			})
		},
	}
	db.register(c)
	return c
}

func webhookAction(cmd *cobra.Command, d *store.DB, name string, id int64) error {
	ctx, out := cmd.Context(), cmd.OutOrStdout()
	switch name {
	case "test":
		dl, err := d.TestWebhook(ctx, id)
		if err == nil {
			fmt.Fprintf(out, "Queued test delivery %d; the server's worker sends it. See: ally webhook deliveries %d\n",
				dl.ID, id)
		}
		return err
	case "rotate":
		h, err := d.RotateWebhookSecret(ctx, id, 24*time.Hour)
		if err == nil {
			fmt.Fprintln(out, h.Secret)
		}
		return err
	case "enable":
		_, err := d.EnableWebhook(ctx, id)
		return err
	case "remove":
		return d.DeleteWebhook(ctx, id)
	}
	ds, err := d.WebhookDeliveries(ctx, id, 0, 50)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEVENT\tSTATUS\tATTEMPTS\tLAST ANSWER\tCREATED")
	for _, dl := range ds {
		last := dl.LastError
		if last == "" && dl.LastStatus != 0 {
			last = strconv.Itoa(dl.LastStatus)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", dl.ID, dl.Event, dl.Status, dl.Attempts, last,
			dl.CreatedAt.Format(time.DateTime))
	}
	return tw.Flush()
}

// startSignalWorkers starts the webhook worker and the signal timeout
// loop; the returned function stops both and waits for them.
func startSignalWorkers(ctx context.Context, d *store.DB, log *slog.Logger) (func(), error) {
	w, err := webhook.New(webhook.Config{Queue: d, Log: log})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{}, 2)
	go func() { w.Run(ctx); done <- struct{}{} }()
	go func() { escalateDue(ctx, d, 5*time.Second, log); done <- struct{}{} }()
	return func() { cancel(); <-done; <-done }, nil
}

// escalateDue turns signals nobody answered in time into cases, every
// interval, until ctx ends. Several servers may run it at once.
func escalateDue(ctx context.Context, d ally.SignalTimeouts, every time.Duration, log *slog.Logger) {
	op := ally.NewOperatorContext(ctx)
	for {
		n, err := d.EscalateDue(op, 100)
		if err != nil && ctx.Err() == nil {
			log.Error("signals: escalating unanswered signals", "err", err)
		}
		if n == 100 {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}
