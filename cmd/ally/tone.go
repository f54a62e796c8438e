package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"slices"

	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/tone"
	"github.com/spf13/cobra"
)

func newToneCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tone",
		Short: "Check wording for blame, and test or evaluate the tone rules",
		Long: `ally tone finds blame, threats, shaming, condescension and unexplained jargon
in what responders write, explains why each hurts and suggests a kinder phrasing.
The rules are data: see docs/tone.md to override or extend them with --rules.`,
	}
	cmd.AddCommand(newToneCheckCmd(), newToneTestRulesCmd(), newToneEvalCmd(), newToneAuditCmd(), newToneLearnCmd())
	return cmd
}

// toneFlags are the flags every tone subcommand shares.
type toneFlags struct {
	rules    string
	audience string
	db       string
	noModel  bool
}

func (f *toneFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.rules, "rules", "",
		"a YAML rule file merged over the built-in rules (same id replaces, new id adds)")
	cmd.Flags().StringVar(&f.audience, "audience", "reporter", "who will read the text: reporter or responder")
	cmd.Flags().StringVar(&f.db, "db", "",
		"also use the organisation's own examples stored in this database (see ally tone learn)")
	cmd.Flags().BoolVar(&f.noModel, "no-model", false,
		"use the rules alone, without the learned layer (to compare the two)")
}

// engine returns the built-in engine, or one merged with --rules, with the
// organisation's examples from --db when given.
func (f *toneFlags) engine(cmd *cobra.Command) (*tone.Engine, error) {
	e, err := f.ruleEngine()
	if err != nil || f.db == "" {
		return e, err
	}
	var items []tone.Labelled
	err = (&dbFlags{dsn: f.db}).with(cmd, func(d *store.DB) error {
		items, err = d.ToneExamples(cmd.Context())
		return err
	})
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
	return e.WithOrgExamples(items, log), nil
}

// ruleEngine returns the built-in engine, or one merged with --rules.
func (f *toneFlags) ruleEngine() (*tone.Engine, error) {
	e, err := f.loadRules()
	if err != nil || !f.noModel {
		return e, err
	}
	return e.WithModel(nil), nil
}

// loadRules returns the built-in engine, or one merged with --rules.
func (f *toneFlags) loadRules() (*tone.Engine, error) {
	if f.rules == "" {
		return tone.Default(), nil
	}
	fh, err := os.Open(f.rules)
	if err != nil {
		return nil, usageError("cannot read the rule file: %v", err)
	}
	defer fh.Close()
	e, err := tone.Load(fh)
	if err != nil {
		return nil, usageError("%s: %v (see docs/tone.md for the format)", f.rules, err)
	}
	return e, nil
}

func (f *toneFlags) aud() (tone.Audience, error) {
	switch a := tone.Audience(f.audience); a {
	case tone.AudienceReporter, tone.AudienceResponder:
		return a, nil
	}
	return "", usageError("--audience %q: use reporter or responder", f.audience)
}

// openInput opens FILE, or standard input for "-" or no argument.
// setup returns the engine, the audience and the input that the flags and
// arguments name.
func (f *toneFlags) setup(cmd *cobra.Command, args []string) (*tone.Engine, tone.Audience, io.ReadCloser, error) {
	e, err := f.engine(cmd)
	if err != nil {
		return nil, "", nil, err
	}
	aud, err := f.aud()
	if err != nil {
		return nil, "", nil, err
	}
	in, err := openInput(cmd, args)
	return e, aud, in, err
}

func openInput(cmd *cobra.Command, args []string) (io.ReadCloser, error) {
	if len(args) == 0 || args[0] == "-" {
		return io.NopCloser(cmd.InOrStdin()), nil
	}
	fh, err := os.Open(args[0])
	if err != nil {
		return nil, usageError("cannot read the input: %v", err)
	}
	return fh, nil
}

// Bounds on tone check: the largest text it reads (a whole text, or one
// JSONL line), and the most findings the text output lists.
const (
	maxToneInput    = 1 << 20
	maxTextFindings = 200
)

func newToneCheckCmd() *cobra.Command {
	var tf toneFlags
	var format string
	cmd := &cobra.Command{
		Use:   "check [FILE|-]",
		Short: "Check a text for blame and hard words (exit 1 on an error-level finding)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, aud, in, err := tf.setup(cmd, args)
			if err != nil {
				return err
			}
			defer in.Close()
			var found bool
			switch format {
			case "text", "json":
				b, err := io.ReadAll(io.LimitReader(in, maxToneInput+1))
				if err != nil {
					return usageError("cannot read the input: %v", err)
				}
				if len(b) > maxToneInput {
					return usageError("the input is larger than %d MiB; split it, or check many texts with --format jsonl",
						maxToneInput>>20)
				}
				res := e.Check(string(b), aud)
				found = res.HasError()
				if format == "json" {
					err = json.NewEncoder(cmd.OutOrStdout()).Encode(res)
				} else {
					err = writeToneText(cmd.OutOrStdout(), string(b), res)
				}
				if err != nil {
					return err
				}
			case "jsonl":
				if found, err = checkJSONL(cmd.Context(), cmd.OutOrStdout(), in, e, aud); err != nil {
					return err
				}
			default:
				return usageError("--format %q: use text, json or jsonl", format)
			}
			if found {
				return problemsFound()
			}
			return nil
		},
	}
	tf.register(cmd)
	cmd.Flags().StringVar(&format, "format", "text",
		"output: text, json, or jsonl (reads one {\"id\",\"text\"} object per line)")
	return cmd
}

// writeToneText prints findings as "line:col severity message (rule)" with
// the suggestion below, then a summary line.
func writeToneText(w io.Writer, text string, res tone.Result) error {
	bw := bufio.NewWriter(w)
	for i, f := range res.Findings {
		if i == maxTextFindings {
			fmt.Fprintf(bw, "... and %d more; use --format json to see them all\n", len(res.Findings)-i)
			break
		}
		line, col := tone.LineCol(text, f.Start)
		fmt.Fprintf(bw, "%d:%d %s %s (%s)\n", line, col, f.Severity, f.Message, f.Rule)
		if f.Match != "" {
			fmt.Fprintf(bw, "    found: %q\n", f.Match)
		}
		fmt.Fprintf(bw, "    try:   %s\n", f.Suggestion)
	}
	verdict := "no blame found"
	if res.Blame {
		verdict = "blames the reader"
	}
	fmt.Fprintf(bw, "%d finding(s), %s; scores: blame %d, warmth %d, clarity %d; reading grade %.1f\n",
		len(res.Findings), verdict, res.Scores.Blame, res.Scores.Warmth, res.Scores.Clarity, res.Grade)
	return bw.Flush()
}

// checkJSONL checks one {"id","text"} object per line and writes one result
// per line, in input order, carrying the input's id.
func checkJSONL(ctx context.Context, w io.Writer, r io.Reader, e *tone.Engine,
	aud tone.Audience) (found bool, err error) {
	type input struct {
		ID   json.RawMessage `json:"id"`
		Text *string         `json:"text"`
	}
	type output struct {
		ID json.RawMessage `json:"id"`
		tone.Result
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxToneInput)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for n := 1; sc.Scan(); n++ {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var in input
		if err := json.Unmarshal(line, &in); err != nil || in.Text == nil {
			return false, usageError("input line %d: want a JSON object like {\"id\": \"1\", \"text\": \"...\"}", n)
		}
		if in.ID == nil {
			in.ID = json.RawMessage("null")
		}
		res := e.Check(*in.Text, aud)
		found = found || res.HasError()
		if err := enc.Encode(output{in.ID, res}); err != nil {
			return false, err
		}
	}
	if err := sc.Err(); err != nil {
		return false, usageError("cannot read the input: %v", err)
	}
	return found, bw.Flush()
}

func newToneTestRulesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "test-rules [FILE]",
		Short: "Check that every rule flags its match examples and leaves its clean ones alone",
		Long: `Runs every rule's examples. With FILE, the file is merged over the built-in
rules first, so a custom rule file is tested together with the defaults.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			tf := toneFlags{}
			if len(args) == 1 {
				tf.rules = args[0]
			}
			e, err := tf.ruleEngine()
			if err != nil {
				return err
			}
			failures, ran := e.TestRules()
			out := cmd.OutOrStdout()
			for _, f := range failures {
				want := "should flag"
				if !f.WantMatch {
					want = "should leave alone"
				}
				fmt.Fprintf(out, "FAIL %s %s: %q\n", f.Rule, want, f.Text)
				for _, fd := range f.Findings {
					fmt.Fprintf(out, "     found %s %q\n", fd.Rule, fd.Match)
				}
			}
			fmt.Fprintf(out, "rules: %d passed, %d failed\n", ran-len(failures), len(failures))
			if len(failures) > 0 {
				return problemsFound()
			}
			return nil
		},
	}
}

func newToneEvalCmd() *cobra.Command {
	var tf toneFlags
	var verbose, summary bool
	cmd := &cobra.Command{
		Use:   "eval FILE.jsonl",
		Short: "Score the blame verdicts against a labelled corpus: precision, recall, F1",
		Long: `Reads one {"id", "text", "blame": true|false} object per line and compares
each label with the engine's verdict (Result.Blame): the rules, the built-in
model and, with --db, the organisation's own examples. Prints the recall per
kind of blame when the labels name kinds. Lists the misses; with --verbose the
false alarms too; with --summary only the figures (for a sealed test set).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, aud, in, err := tf.setup(cmd, args)
			if err != nil {
				return err
			}
			defer in.Close()
			items, err := tone.ReadLabelled(in)
			if err != nil {
				return usageError("%s: %v", args[0], err)
			}
			rep := e.Evaluate(items, aud)
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "messages   %d\nprecision  %.3f\nrecall     %.3f\nF1         %.3f\n", len(items), rep.Precision,
				rep.Recall, rep.F1)
			fmt.Fprintf(out, "confusion  TP %d  FP %d  TN %d  FN %d\n", rep.TP, rep.FP, rep.TN, rep.FN)
			for _, k := range slices.Sorted(maps.Keys(rep.ByKind)) {
				fmt.Fprintf(out, "kind       %-9s %d/%d\n", k, rep.ByKind[k].Caught, rep.ByKind[k].Total)
			}
			if summary {
				return nil
			}
			for _, m := range rep.Missed {
				fmt.Fprintf(out, "missed      %s: %s\n", m.ID, m.Text)
			}
			if verbose {
				for _, m := range rep.FalseAlarms {
					fmt.Fprintf(out, "false alarm %s: %s\n", m.ID, m.Text)
				}
			}
			return nil
		},
	}
	tf.register(cmd)
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "also list the false alarms")
	cmd.Flags().BoolVar(&summary, "summary", false, "print only the figures, no messages (for a sealed test set)")
	return cmd
}

func newToneAuditCmd() *cobra.Command {
	var tf toneFlags
	var textCol, groupBy, format string
	cmd := &cobra.Command{
		Use:   "audit FILE.csv --text-column C [--group-by COLUMN]",
		Short: "Audit past comments or postmortems: blame rate and top patterns per group",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if textCol == "" {
				return usageError("--text-column is required: name the CSV column holding the text")
			}
			if format != "text" && format != "csv" && format != "json" {
				return usageError("--format %q: use text, csv or json", format)
			}
			e, aud, in, err := tf.setup(cmd, args)
			if err != nil {
				return err
			}
			defer in.Close()
			p := newProgress(cmd.ErrOrStderr(), "rows audited")
			rep, err := e.AuditCSV(in, aud, textCol, groupBy, p.update)
			p.done()
			if err != nil {
				return usageError("%s: %v", args[0], err)
			}
			out := cmd.OutOrStdout()
			switch format {
			case "csv":
				return rep.WriteCSV(out)
			case "json":
				return json.NewEncoder(out).Encode(rep)
			}
			return rep.WriteText(out)
		},
	}
	tf.register(cmd)
	cmd.Flags().StringVar(&textCol, "text-column", "", "the CSV column holding the text to check (required)")
	cmd.Flags().StringVar(&groupBy, "group-by", "", "a CSV column to group by, e.g. team or month")
	cmd.Flags().StringVar(&format, "format", "text", "output: text, csv or json")
	return cmd
}

func newToneLearnCmd() *cobra.Command {
	var dsn string
	cmd := &cobra.Command{
		Use:   "learn FILE.jsonl --db DB",
		Short: "Teach the tone check your organisation's own words: store labelled examples",
		Long: `Reads one {"text", "blame": true|false, "kind"?} object per line: wording that
reads as blaming (blame: true) or is fine (blame: false) in your organisation,
and stores them. Checks that use the database (the web app, and tone check or
eval with --db) then take the verdict of the closest example for a similar
sentence. kind, optional, is one of: advice, passive, training, sarcasm,
shaming, threat, damage. A bad line stores nothing.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if dsn == "" {
				return usageError("--db is required: name the database to store the examples in")
			}
			in, err := openInput(cmd, args)
			if err != nil {
				return err
			}
			defer in.Close()
			items, err := tone.ReadLabelled(in)
			if err != nil {
				return usageError("%s: %v (want one {\"text\": \"...\", \"blame\": true} object per line)", args[0], err)
			}
			return (&dbFlags{dsn: dsn}).with(cmd, func(d *store.DB) error {
				n, err := d.AddToneExamples(cmd.Context(), items, 0)
				if err != nil {
					return usageError("%s: %v", args[0], err)
				}
				all, err := d.ToneExamples(cmd.Context())
				if err != nil {
					return err
				}
				if _, err := tone.Default().NewOrgLayer(all); err != nil {
					return fmt.Errorf("the stored examples cannot be used: %w", err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "learned %d example(s); the organisation now has %d\n", n, len(all))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&dsn, "db", os.Getenv("ALLY_DB"), "SQLite file, or a postgres:// URL (env ALLY_DB)")
	return cmd
}
