package main

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/allydesk/ally/mailscan"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// progressThreshold is how many files make a progress bar worth showing.
const progressThreshold = 20

func newAnalyzeCmd() *cobra.Command {
	var format, dsn string
	cmd := &cobra.Command{
		Use:   "analyze PATH...",
		Short: "Analyse reported emails (.eml files or folders)",
		Long: `Analyse reported emails statically: nothing is fetched, resolved or run.

PATH is an .eml file or a folder searched recursively for .eml files.
Formats: text (default; indicators defanged), json (an array), jsonl (one
object per message with file, verdict, score, signals, lures, iocs and
reporter_summary), stix (STIX 2.1 bundle), misp (MISP event), csv.
STIX and MISP exports leave out messages judged clean. With --db, the
organisation's own mail model (taught by its team's decisions and by
"ally mail learn") weighs in as it does in the web app.

Exit status: 0 when every message was analysed, whatever the verdicts
(analysis is not a check); 2 for bad usage or a path that cannot be read.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("give at least one .eml file or folder (see %q)", cmd.CommandPath()+" --help")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "text", "json", "jsonl", "stix", "misp", "csv":
			default:
				return usageError("unknown --format %q: use text, json, jsonl, stix, misp or csv", format)
			}
			files, err := emlFiles(args)
			if err != nil {
				return err
			}
			opts, err := orgOptions(cmd, dsn)
			if err != nil {
				return err
			}
			reports, err := analyzeFiles(files, cmd.ErrOrStderr(), opts)
			if err != nil {
				return err
			}
			return writeReports(cmd.OutOrStdout(), format, reports)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json, jsonl, stix, misp or csv")
	cmd.Flags().StringVar(&dsn, "db", "", orgDBFlagHelp)
	return cmd
}

// emlFiles expands the arguments into .eml files (folders recursively, in
// lexical order). A named file is taken whatever its extension.
func emlFiles(args []string) ([]string, error) {
	var files []string
	for _, arg := range args {
		info, err := os.Stat(arg)
		if err != nil {
			return nil, usageError("cannot read %s: %v (give an .eml file or a folder of them)", arg, unwrapPathErr(err))
		}
		if !info.IsDir() {
			files = append(files, arg)
			continue
		}
		err = filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.EqualFold(filepath.Ext(path), ".eml") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, usageError("cannot read folder %s: %v", arg, unwrapPathErr(err))
		}
	}
	if len(files) == 0 {
		return nil, usageError("no .eml files found in %s", strings.Join(args, ", "))
	}
	return files, nil
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// analyzeFiles analyses each file in order, drawing a progress bar on
// stderr when it is a terminal and there are many files.
func analyzeFiles(files []string, stderr io.Writer, opts mailscan.Options) ([]*mailscan.Report, error) {
	showBar := false
	if f, ok := stderr.(*os.File); ok && len(files) >= progressThreshold && term.IsTerminal(int(f.Fd())) {
		showBar = true
	}
	reports := make([]*mailscan.Report, 0, len(files))
	for i, path := range files {
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, usageError("cannot read %s: %v", path, unwrapPathErr(err))
		}
		r, err := mailscan.Analyze(raw, opts)
		if err != nil {
			r = &mailscan.Report{Verdict: mailscan.VerdictClean, Limits: []string{err.Error()}}
		}
		r.Source = path
		reports = append(reports, r)
		if showBar {
			drawProgress(stderr, i+1, len(files))
		}
	}
	return reports, nil
}

func drawProgress(w io.Writer, done, total int) {
	const width = 30
	filled := done * width / total
	fmt.Fprintf(w, "\r[%s%s] %d/%d", strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total)
	if done == total {
		fmt.Fprintln(w)
	}
}

// jsonlRecord is one line of --format jsonl.
type jsonlRecord struct {
	File            string            `json:"file"`
	Verdict         string            `json:"verdict"`
	Score           int               `json:"score"`
	Subject         string            `json:"subject"`
	From            string            `json:"from"`
	Signals         []mailscan.Signal `json:"signals"`
	Lures           []mailscan.Lure   `json:"lures"`
	IOCs            mailscan.IOCs     `json:"iocs"`
	ReporterSummary string            `json:"reporter_summary"`
	Limits          []string          `json:"limits"`
}

func writeReports(w io.Writer, format string, reports []*mailscan.Report) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(reports)
	case "jsonl":
		enc := json.NewEncoder(w)
		for _, r := range reports {
			if err := enc.Encode(jsonlRecord{r.Source, r.Verdict, r.Score, r.Subject, r.From, r.Signals, r.Lures, r.IOCs,
				r.ReporterSummary, r.Limits}); err != nil {
				return err
			}
		}
		return nil
	case "stix", "misp", "csv":
		var out []byte
		var err error
		now := exportTime(reports)
		switch format {
		case "stix":
			out, err = mailscan.ExportSTIX(reports, now)
		case "misp":
			out, err = mailscan.ExportMISP(reports, now)
		default:
			out, err = mailscan.ExportCSV(reports)
		}
		if err != nil {
			return err
		}
		_, err = w.Write(out)
		if err == nil && format != "csv" {
			_, err = io.WriteString(w, "\n")
		}
		return err
	default:
		counts := map[string]int{}
		for _, r := range reports {
			if err := mailscan.WriteText(w, r); err != nil {
				return err
			}
			counts[r.Verdict]++
		}
		if len(reports) > 1 {
			var parts []string
			for _, v := range []string{mailscan.VerdictMalicious, mailscan.VerdictSuspicious, mailscan.VerdictClean} {
				parts = append(parts, fmt.Sprintf("%d %s", counts[v], v))
			}
			fmt.Fprintf(w, "%d messages: %s\n", len(reports), strings.Join(parts, ", "))
		}
		return nil
	}
}

// exportTime dates an export by its newest message, so the same files
// always export to the same bytes; with no dated message it uses now.
func exportTime(reports []*mailscan.Report) time.Time {
	var t time.Time
	for _, r := range reports {
		if r.Date.After(t) {
			t = r.Date
		}
	}
	if t.IsZero() {
		t = time.Now()
	}
	return t
}
