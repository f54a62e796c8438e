package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/allydesk/ally/mailscan"
	"github.com/allydesk/ally/store"
	"github.com/spf13/cobra"
)

// learnChunk is how many messages one transaction of ally mail learn
// teaches: memory stays bounded on a large archive, and progress is saved.
// A variable only so tests can make it small.
var learnChunk = 2000

// learnAhead is how many files ally mail learn reads and analyses ahead
// of the one it hands to learning.
const learnAhead = 64

func newMailLearnCmd() *cobra.Command {
	var phishDir, hamDir, dsn string
	cmd := &cobra.Command{
		Use:   "learn --phish DIR --ham DIR --db DB",
		Short: "Teach the organisation's mail model from folders of past reports",
		Long: `Reads every .eml file in two folders (searched recursively): mail your team
found to be phishing or spam (--phish), and mail they found safe (--ham),
and teaches the organisation's own mail model in the database. Every later
analysis that uses the database (the web app, ally analyze --db, ally mail
eval --db) weighs its words and senders with it.

The same message given twice (the same file, or the same Message-ID from the
same sender and subject) counts once; one learned before with the other
label moves to the new one. Progress goes to stderr.`,
		Args: noArgs("give folders with --phish and --ham"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if phishDir == "" && hamDir == "" {
				return usageError("give --phish DIR, --ham DIR or both (folders of .eml files)")
			}
			var sets []learnSet
			for _, s := range []learnSet{{dir: phishDir, phish: true}, {dir: hamDir}} {
				if s.dir == "" {
					continue
				}
				var err error
				if s.files, err = emlFiles([]string{s.dir}); err != nil {
					return err
				}
				sets = append(sets, s)
			}
			if err := needOrgDB(dsn, "teach"); err != nil {
				return err
			}
			// The files are read and analysed while the database opens.
			lessons := startLessons(cmd.Context(), sets, runtime.GOMAXPROCS(0), learnAhead)
			defer lessons.stop()
			return withOrgDB(cmd, dsn, "teach", func(d *store.DB) error { return learnFiles(cmd, d, sets, lessons) })
		},
	}
	cmd.Flags().StringVar(&phishDir, "phish", "", "folder of .eml files found to be phishing or spam")
	cmd.Flags().StringVar(&hamDir, "ham", "", "folder of .eml files found to be safe")
	orgDBFlag(cmd, &dsn)
	return cmd
}

// noArgs refuses positional arguments, saying what to give instead.
func noArgs(instead string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usageError("unexpected %q: %s (see %q)", args[0], instead, cmd.CommandPath()+" --help")
		}
		return nil
	}
}

// learnSet is one folder of ally mail learn and what its mail is.
type learnSet struct {
	dir   string
	phish bool
	files []string
}

// learnFiles teaches the model the analysed files in chunks, in the
// files' order, with a progress count on stderr, then says what it
// learned. Each chunk is learned (one transaction) on its own goroutine
// while the next one is analysed; the chunks are learned one at a time, in
// order, so the model never depends on how the work was scheduled.
func learnFiles(cmd *cobra.Command, d *store.DB, sets []learnSet, lessons *lessonStream) error {
	total := 0
	for _, s := range sets {
		total += len(s.files)
	}
	p := newProgress(cmd.ErrOrStderr(), "messages learned")
	defer p.done()
	l := startLearner(cmd, d)
	chunk := make([]store.MailLesson, 0, min(total, learnChunk))
	done, unreadable := 0, 0
	for {
		it, ok := lessons.next()
		if !ok {
			break
		}
		if it.err != nil {
			l.abort()
			if err := cmd.Context().Err(); err != nil {
				return err // interrupted: nothing more is learned
			}
			return usageError("cannot read %s: %v", it.path, unwrapPathErr(it.err))
		}
		if it.ex != nil {
			chunk = append(chunk, store.MailLesson{Example: it.ex, Phish: it.phish})
		} else {
			unreadable++
		}
		if len(chunk) == learnChunk {
			if !l.learn(chunk) {
				break // it failed: finish says why
			}
			chunk = make([]store.MailLesson, 0, min(total-done, learnChunk))
		}
		if done++; done%50 == 0 || done == total {
			p.update(done, total)
		}
	}
	if err := cmd.Context().Err(); err != nil {
		l.abort()
		return err // interrupted before every file was read
	}
	p.note("saving…")
	sum, err := l.finish(chunk)
	if err != nil {
		return err
	}
	p.done()
	secs := time.Since(lessons.started).Seconds()
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "Learned %d new messages, moved %d to their new label, %d already known", sum.Learned,
		sum.Relabelled, sum.Known)
	if unreadable > 0 {
		fmt.Fprintf(out, ", %d empty and skipped", unreadable)
	}
	fmt.Fprintf(out, " (%.0f messages a second).\n", float64(total)/max(secs, 1e-9))
	info := &store.MailModelInfo{Model: sum.Model, Bytes: sum.Bytes}
	if sum.Model == nil { // the last chunk changed nothing: read the model as stored
		if info, err = d.MailModel(cmd.Context()); err != nil {
			return err
		}
	}
	return writeModelSummary(out, info)
}

func newMailModelCmd() *cobra.Command {
	var dsn string
	var top int
	cmd := &cobra.Command{
		Use:   "model --db DB",
		Short: "Show the organisation's mail model: size, examples, last learned, top features",
		Args:  noArgs("name the database with --db"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if top < 0 {
				return usageError("--top must be 0 or more, not %d", top)
			}
			return withOrgDB(cmd, dsn, "show", func(d *store.DB) error {
				info, err := d.MailModel(cmd.Context())
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				if err := writeModelSummary(out, info); err != nil || info.Model == nil {
					return err
				}
				var all []mailscan.FeatureWeight // every feature, strongest first (sorted once)
				if top > 0 {
					all = info.Model.Top(0)
				}
				for _, dir := range []struct {
					title string
					sign  float64
				}{{"Toward phishing or spam", 1}, {"Toward safe", -1}} {
					fmt.Fprintf(out, "\n%s:\n", dir.title)
					n := 0
					for _, fw := range all {
						if fw.Weight*dir.sign > 0 && n < top {
							fmt.Fprintf(out, "  %+6.2f  %s\n", fw.Weight, mailscan.FeatureName(fw.Feature))
							n++
						}
					}
				}
				return nil
			})
		},
	}
	orgDBFlag(cmd, &dsn)
	cmd.Flags().IntVar(&top, "top", 15, "how many of the strongest features to list each way")
	return cmd
}

// writeModelSummary prints the size, examples and age of the model, or
// why it cannot be used.
func writeModelSummary(w io.Writer, info *store.MailModelInfo) error {
	m := info.Model
	switch {
	case info.Problem != "":
		_, err := fmt.Fprintf(w, "The stored model cannot be read (%s).\nAnalyses use the default model; "+
			"\"ally mail forget\" resets it, or \"ally mail learn\" starts it again.\n", info.Problem)
		return err
	case m == nil || m.Examples() == 0:
		_, err := fmt.Fprintln(w, "The organisation's mail model has learned nothing yet: analyses use the default model.")
		return err
	}
	_, err := fmt.Fprintf(w, "Examples:     %d (%d phishing or spam, %d safe)\nLast learned: %s\n"+
		"Size:         %d features, %.1f KB stored\n", m.Examples(), m.Phish, m.Safe,
		m.Updated.Format(time.RFC3339), m.Features(), float64(info.Bytes)/1024)
	return err
}

func newMailForgetCmd() *cobra.Command {
	var dsn string
	cmd := &cobra.Command{
		Use:   "forget --db DB",
		Short: "Reset the organisation's mail model: analyses use the default model again",
		Args:  noArgs("name the database with --db"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withOrgDB(cmd, dsn, "reset", func(d *store.DB) error {
				if err := d.ForgetMail(cmd.Context()); err != nil {
					return err
				}
				_, err := fmt.Fprintln(cmd.OutOrStdout(),
					"The organisation's mail model is reset: analyses use the default model alone.")
				return err
			})
		},
	}
	orgDBFlag(cmd, &dsn)
	return cmd
}

// orgDBFlag registers --db of the commands that work on the model.
func orgDBFlag(cmd *cobra.Command, dsn *string) {
	cmd.Flags().StringVar(dsn, "db", os.Getenv("ALLY_DB"), "SQLite file, or a postgres:// URL (env ALLY_DB)")
}

// withOrgDB runs fn on the database named by --db, which must be given;
// what the command does to the model ends the message when it is not.
func withOrgDB(cmd *cobra.Command, dsn, what string, fn func(d *store.DB) error) error {
	if err := needOrgDB(dsn, what); err != nil {
		return err
	}
	return (&dbFlags{dsn: dsn}).with(cmd, fn)
}

// needOrgDB says --db is required when it is not given.
func needOrgDB(dsn, what string) error {
	if dsn == "" {
		return usageError("--db is required: name the database whose model to %s", what)
	}
	return nil
}

// orgDBFlagHelp describes --db of ally analyze and ally mail eval.
const orgDBFlagHelp = "use the organisation's mail model in this database (SQLite file or postgres:// URL)"

// orgOptions are the analysis options for --db: the organisation's model
// when the database has a readable one (a problem is said on stderr, and
// the default model is used).
func orgOptions(cmd *cobra.Command, dsn string) (mailscan.Options, error) {
	if dsn == "" {
		return mailscan.Options{}, nil
	}
	var opts mailscan.Options
	err := (&dbFlags{dsn: dsn}).with(cmd, func(d *store.DB) error {
		info, err := d.MailModel(cmd.Context())
		if err != nil {
			return err
		}
		if info.Problem != "" {
			fmt.Fprintf(cmd.ErrOrStderr(), "the organisation's mail model cannot be read (%s): "+
				"using the default model\n", info.Problem)
		}
		opts.Org = info.Model
		return nil
	})
	return opts, err
}
