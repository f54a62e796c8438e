package main

import (
	"fmt"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/demo"
	"github.com/spf13/cobra"
)

func newDemoCmd() *cobra.Command {
	var (
		db    = dbFlags{create: true}
		cases int
		days  int
	)
	c := &cobra.Command{
		Use:   "demo",
		Short: "Fill a database with realistic demo data",
		Long: `Create the demo organisation's accounts (if missing) and load realistic
cases in batches, spread over the last --days days. Use a large --cases to
build a database for benchmarks.`,
		Example: "  ally demo --cases 1000000 --db bench.db",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cases < 0 || days < 1 {
				return usageError("--cases must be 0 or more and --days at least 1")
			}
			d, err := db.open(cmd.Context())
			if err != nil {
				return err
			}
			defer d.Close()
			start := time.Now()
			progress := newProgress(cmd.ErrOrStderr(), "cases")
			err = demo.Load(ally.NewOperatorContext(cmd.Context()), d, demo.Options{Cases: cases, Now: time.Now(),
				Span: time.Duration(days) * 24 * time.Hour, Seed: uint64(start.UnixNano()), Progress: progress.update,
				Indexing: func() { progress.note("- building the indexes…") }})
			progress.done()
			if err != nil {
				return err
			}
			took := time.Since(start)
			fmt.Fprintf(cmd.OutOrStdout(), "Loaded %d cases in %s (%.0f cases/s).\n", cases, took.Round(time.Millisecond),
				float64(cases)/took.Seconds())
			printDemoSignIns(cmd.OutOrStdout())
			return nil
		},
	}
	db.register(c)
	c.Flags().IntVar(&cases, "cases", 500, "how many cases to load")
	c.Flags().IntVar(&days, "days", 365, "spread the cases over this many days")
	return c
}
