package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/spf13/cobra"
)

// retentionEvery is how often "ally serve" applies the retention policy.
const retentionEvery = time.Hour

func newRetentionCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "retention",
		Short: "Show, set and apply the retention policy for closed cases",
		Long: `The retention policy says what happens to closed cases, per kind, once they
have been resolved or closed for a number of days: "deidentify" replaces the
reporter with a pseudonym, deletes attachments and keeps only the free text
that names nobody; "delete" removes all free text too. Either way the case's
kind, department, severity and times stay, so the metrics keep their counts.
"ally serve" applies the policy every hour; with no rules, nothing is removed.`,
	}
	c.AddCommand(newRetentionShowCmd(), newRetentionSetCmd(), newRetentionRunCmd())
	return c
}

func newRetentionShowCmd() *cobra.Command {
	var (
		db     dbFlags
		format string
	)
	c := &cobra.Command{
		Use:   "show",
		Short: "Print the retention policy",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return usageError("--format: %q is not a format; use text or json", format)
			}
			return db.with(cmd, func(d *store.DB) error {
				rules, err := d.RetentionRules(cmd.Context())
				if err != nil {
					return err
				}
				return printRules(cmd, rules, format)
			})
		},
	}
	db.register(c)
	c.Flags().StringVar(&format, "format", "text", "text or json")
	return c
}

func printRules(cmd *cobra.Command, rules []ally.RetentionRule, format string) error {
	out := cmd.OutOrStdout()
	if format == "json" {
		return json.NewEncoder(out).Encode(map[string]any{"rules": nonNil(rules)})
	}
	if len(rules) == 0 {
		fmt.Fprintln(out, "No retention rules: closed cases are kept as they are.")
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tACTION\tAFTER")
	for _, r := range rules {
		fmt.Fprintf(tw, "%s\t%s\t%d days closed\n", r.Kind, r.Action, r.Days)
	}
	return tw.Flush()
}

func newRetentionSetCmd() *cobra.Command {
	var (
		db    dbFlags
		rules []string
	)
	c := &cobra.Command{
		Use:   "set --rule KIND=ACTION:DAYS ...",
		Short: "Replace the retention policy (no --rule: keep everything)",
		Example: "  ally retention set --rule '*=deidentify:365' --rule lost_device=delete:90\n" +
			"  ally retention set        # no rules: nothing is ever removed",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			parsed := []ally.RetentionRule{}
			for _, s := range rules {
				r, err := parseRule(s)
				if err != nil {
					return err
				}
				parsed = append(parsed, r)
			}
			return db.with(cmd, func(d *store.DB) error {
				got, err := d.SetRetentionRules(cmd.Context(), parsed)
				if err != nil {
					return domainError(err)
				}
				return printRules(cmd, got, "text")
			})
		},
	}
	db.register(c)
	c.Flags().StringArrayVar(&rules, "rule", nil,
		"KIND=ACTION:DAYS, e.g. lost_device=delete:90; KIND * is every other kind; ACTION deidentify or delete")
	return c
}

// parseRule reads KIND=ACTION:DAYS.
func parseRule(s string) (ally.RetentionRule, error) {
	kind, rest, ok1 := strings.Cut(s, "=")
	action, days, ok2 := strings.Cut(rest, ":")
	n, err := strconv.Atoi(days)
	if !ok1 || !ok2 || err != nil {
		return ally.RetentionRule{}, usageError("--rule %q: write KIND=ACTION:DAYS, e.g. lost_device=delete:90", s)
	}
	return ally.RetentionRule{Kind: kind, Action: action, Days: n}, nil
}

func newRetentionRunCmd() *cobra.Command {
	var db dbFlags
	c := &cobra.Command{
		Use:   "run",
		Short: "Apply the retention policy now (\"ally serve\" does it every hour)",
		Long: `Applies the retention policy now, in batches of cases, and prints what it
removed. On a terminal it counts the cases and signals done on stderr as it
goes; a first run over years of closed cases can take a while. Safe while
"ally serve" runs: each batch is its own short transaction.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return db.with(cmd, func(d *store.DB) error {
				rules, err := d.RetentionRules(cmd.Context())
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				if len(rules) == 0 {
					fmt.Fprintln(out, "No retention rules, so nothing was removed; set them with \"ally retention set\".")
					return nil
				}
				p := newProgress(cmd.ErrOrStderr(), "de-identified or deleted so far")
				res, err := d.ApplyRetention(cmd.Context(), p.rows)
				p.done()
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "%d cases de-identified and %d deleted (%d texts and %d attachments "+
					"removed); %d confirmed signals de-identified.\n", res.Deidentified, res.Deleted, res.TextsRemoved,
					res.Attachments, res.Signals)
				return nil
			})
		},
	}
	db.register(c)
	return c
}

// startRetention applies the retention policy at once and then every
// retentionEvery, until the returned stop is called.
func startRetention(ctx context.Context, d *store.DB, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ally.NewOperatorContext(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(retentionEvery)
		defer t.Stop()
		for {
			res, err := d.ApplyRetention(ctx, nil)
			switch {
			case err != nil && ctx.Err() == nil:
				log.Error("retention", "err", err)
			case err == nil && res.Deidentified+res.Deleted > 0:
				log.Info("retention applied", "deidentified", res.Deidentified, "deleted", res.Deleted)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}
