package main

import (
	"io"
	"os"

	"github.com/allydesk/ally/mailscan"
	"github.com/spf13/cobra"
)

func newMailEvalCmd() *cobra.Command {
	var phishDir, hamDir, dsn string
	var worst int
	cmd := &cobra.Command{
		Use:   "eval --phish DIR --ham DIR",
		Short: "Measure detection and false alarms on folders of known phishing and benign mail",
		Long: `Analyse every .eml file in two folders whose truth you know and print
detection (phishing judged suspicious or malicious), false alarms (benign
mail judged suspicious or malicious), the signals the misses and false
alarms carried, and the worst of each. Progress goes to stderr.

With --db, the organisation's own mail model in that database weighs in, as
in the web app (see "ally mail learn"). Nothing is fetched, resolved or run,
and nothing is stored.`,
		Args: noArgs("give folders with --phish and --ham"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if phishDir == "" && hamDir == "" {
				return usageError("give --phish DIR, --ham DIR or both (folders of .eml files)")
			}
			if worst < 0 {
				return usageError("--worst must be 0 or more, not %d", worst)
			}
			opts, err := orgOptions(cmd, dsn)
			if err != nil {
				return err
			}
			var e mailscan.Eval
			for _, set := range []struct {
				dir   string
				phish bool
			}{{phishDir, true}, {hamDir, false}} {
				if set.dir == "" {
					continue
				}
				files, err := emlFiles([]string{set.dir})
				if err != nil {
					return err
				}
				if err := evalFiles(&e, files, set.phish, cmd.ErrOrStderr(), opts); err != nil {
					return err
				}
			}
			return mailscan.WriteEval(cmd.OutOrStdout(), &e, worst)
		},
	}
	cmd.Flags().StringVar(&phishDir, "phish", "", "folder of .eml files known to be phishing")
	cmd.Flags().StringVar(&hamDir, "ham", "", "folder of .eml files known to be benign")
	cmd.Flags().IntVar(&worst, "worst", 15, "how many of the worst misses and false alarms to list")
	cmd.Flags().StringVar(&dsn, "db", "", orgDBFlagHelp)
	return cmd
}

// evalFiles analyses files into e, counting progress on stderr.
func evalFiles(e *mailscan.Eval, files []string, phish bool, stderr io.Writer, opts mailscan.Options) error {
	what := "benign messages"
	if phish {
		what = "phishing messages"
	}
	p := newProgress(stderr, what)
	defer p.done()
	for i, path := range files {
		raw, err := os.ReadFile(path)
		if err != nil {
			return usageError("cannot read %s: %v", path, unwrapPathErr(err))
		}
		r, err := mailscan.Analyze(raw, opts)
		if err != nil {
			r = &mailscan.Report{Verdict: mailscan.VerdictClean, Limits: []string{err.Error()}}
		}
		r.Source = path
		e.Add(r, phish)
		if i%50 == 0 || i == len(files)-1 {
			p.update(i+1, len(files))
		}
	}
	return nil
}
