package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/csvsafe"
	"github.com/allydesk/ally/store"
	"github.com/spf13/cobra"
)

func newMetricsCmd() *cobra.Command {
	var (
		db                   dbFlags
		from, to, dept, kind string
		format               string
	)
	c := &cobra.Command{
		Use:   "metrics",
		Short: "Team metrics straight from the database",
		Long: `Print the team's figures for a period (default: the last 30 days): time to
report, acknowledge, contain and resolve (nearest-rank p50 and p90), reporter
satisfaction, engagement, the tone of responders' messages, and SLA. These are
the same numbers as GET /api/v1/metrics and the dashboard.`,
		Example: "  ally metrics --from 2026-11-01 --to 2026-12-01 --format csv",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := ally.MetricsFilter{Department: dept, Kind: ally.Kind(kind)}
			var err error
			if f.From, f.To, err = parsePeriod(from, to); err != nil {
				return err
			}
			write, ok := map[string]func(io.Writer, *ally.Metrics) error{"text": writeMetricsText,
				"json": writeJSONOut[*ally.Metrics], "csv": writeMetricsCSV}[format]
			if !ok {
				return usageError("--format: %q is not text, json or csv", format)
			}
			return db.with(cmd, func(d *store.DB) error {
				m, err := d.Metrics(cmd.Context(), f)
				if err != nil {
					return domainError(err)
				}
				return write(cmd.OutOrStdout(), m)
			})
		},
	}
	db.register(c)
	c.Flags().StringVar(&from, "from", "", "start of the period (2026-11-01 or RFC 3339; default: 30 days before --to)")
	c.Flags().StringVar(&to, "to", "", "end of the period (default: now)")
	c.Flags().StringVar(&dept, "department", "", "only cases from this department")
	c.Flags().StringVar(&kind, "kind", "", "only cases of this kind")
	c.Flags().StringVar(&format, "format", "text", "text, json or csv")
	return c
}

// parsePeriod reads --from and --to.
func parsePeriod(from, to string) (f, t time.Time, err error) {
	if f, err = ally.ParseTimeParam("--from", from); err != nil {
		return f, t, usageError("%s", ally.ErrorMessage(err))
	}
	if t, err = ally.ParseTimeParam("--to", to); err != nil {
		return f, t, usageError("%s", ally.ErrorMessage(err))
	}
	return f, t, nil
}

// writeJSONOut writes v as indented JSON.
func writeJSONOut[T any](w io.Writer, v T) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func writeMetricsCSV(w io.Writer, m *ally.Metrics) error {
	cw := csvsafe.NewWriter(w)
	_ = cw.Write([]string{"metric", "value"})
	for _, r := range m.Rows() {
		_ = cw.Write(r[:])
	}
	cw.Flush()
	return cw.Error()
}

func writeMetricsText(w io.Writer, m *ally.Metrics) error {
	for _, r := range m.Rows() {
		v := r[1]
		if v == "" {
			v = "-"
		}
		if _, err := fmt.Fprintf(w, "%-36s %s\n", r[0], v); err != nil {
			return err
		}
	}
	return nil
}
