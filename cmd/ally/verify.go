package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/allydesk/ally/store"
	"github.com/spf13/cobra"
)

func newVerifyCmd() *cobra.Command {
	var (
		db     dbFlags
		format string
		repair bool
	)
	c := &cobra.Command{
		Use:   "verify",
		Short: "Check the database's integrity: references, counts and stored files",
		Long: `Checks the database: SQLite's own integrity check, every reference between
tables, the kept case counts and report counters against the cases, the tone
examples' text hashes against their words, and every stored file against its
checksum. Prints what is wrong and exits 1, or says all is well and exits 0.

With --repair it first recounts the running counts of mail sent and webhooks
delivered from their rows and sets them to what it counted, in one
transaction, printing each count it changed; then it sets the tone examples'
wrong text hashes to their words', printing how many it set; then it checks
as above. Those counts drift when an instance older than them sends mail or
webhooks during a rolling deploy: repair once the last old instance has
stopped. A wrong text hash means rows were changed around Ally. It is safe
while Ally serves; a second run changes nothing.`,
		Example: "  ally verify --db ally.db\n  ally verify --db restored.db --format json\n" +
			"  ally verify --repair --db postgres://ally@db/ally",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return usageError("--format: %q is not a format; use text or json", format)
			}
			return db.with(cmd, func(d *store.DB) error {
				out := cmd.OutOrStdout()
				var repaired repairs
				if repair {
					var err error
					if repaired, err = repairAll(cmd.Context(), d); err != nil {
						return err
					}
					if format == "text" {
						printRepairs(out, repaired)
					}
				}
				p := newProgress(cmd.ErrOrStderr(), "files checked")
				problems, err := d.Verify(cmd.Context(), p.rows)
				p.done()
				if err != nil {
					return err
				}
				if format == "json" {
					report := map[string]any{"ok": len(problems) == 0, "problems": nonNil(problems)}
					if repair {
						report["repaired"], report["repaired_tone_hashes"] = repaired.counts, repaired.toneHashes
					}
					enc := json.NewEncoder(out)
					enc.SetIndent("", "  ")
					if err := enc.Encode(report); err != nil {
						return err
					}
				} else {
					printProblems(out, problems)
				}
				if len(problems) > 0 {
					return problemsFound()
				}
				return nil
			})
		},
	}
	db.register(c)
	c.Flags().StringVar(&format, "format", "text", "text or json")
	c.Flags().BoolVar(&repair, "repair", false,
		"first set the counts of mail sent and webhooks delivered to what their rows say, and the tone "+
			"examples' text hashes to their words' (safe while Ally runs)")
	return c
}

// repairs is what ally verify --repair looked at and set right.
type repairs struct {
	counts     []store.CountRepair // the running counts of rows done, each recounted
	toneHashes int64               // the tone examples whose wrong text hash it set
}

// repairAll runs each repair in turn: the running counts, then the tone
// examples' text hashes.
func repairAll(ctx context.Context, d *store.DB) (r repairs, err error) {
	if r.counts, err = d.RepairDoneCounts(ctx); err != nil {
		return r, err
	}
	r.toneHashes, err = d.RepairToneHashes(ctx)
	return r, err
}

// printRepairs says what each recount found and changed, and how many text
// hashes were set.
func printRepairs(w io.Writer, r repairs) {
	changed := 0
	for _, c := range r.counts {
		if c.Changed() {
			changed++
			fmt.Fprintf(w, "Repaired the count of %s: it said %d, the rows say %d; it now says %d.\n",
				c.What, c.Kept, c.Counted, c.Counted)
		} else {
			fmt.Fprintf(w, "The count of %s (%d) matches the rows; left as it is.\n", c.What, c.Counted)
		}
	}
	if r.toneHashes > 0 {
		changed++
		fmt.Fprintf(w, "Repaired the text hashes of %d tone example(s): they now match their words.\n", r.toneHashes)
	} else {
		fmt.Fprintln(w, "The tone examples' text hashes match their words; left as they are.")
	}
	if changed == 0 {
		fmt.Fprintln(w, "Nothing to repair.")
	}
}

// printProblems lists what Verify found, or says all is well.
func printProblems(w io.Writer, problems []store.Problem) {
	if len(problems) == 0 {
		fmt.Fprintln(w, "All is well: references, counts and stored files check out.")
		return
	}
	fixable := 0
	for _, pr := range problems {
		if pr.Fix != "" {
			fixable++
			fmt.Fprintf(w, "%s: %s (%s)\n", pr.Check, pr.Detail, pr.Fix)
		} else {
			fmt.Fprintf(w, "%s: %s\n", pr.Check, pr.Detail)
		}
	}
	if fixable == len(problems) {
		fmt.Fprintf(w, "%d problem(s) found; each says how to set it right.\n", len(problems))
		return
	}
	fmt.Fprintf(w, "%d problem(s) found. Restore from the last good backup, or ask for help with "+
		"this output.\n", len(problems))
}
