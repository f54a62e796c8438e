package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/allydesk/ally"
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
			write, ok := map[string]func(io.Writer, *ally.Metrics) error{"text": writeMetricsText, "json": writeJSONOut[*ally.Metrics], "csv": writeMetricsCSV}[format]
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

// metricRows flattens the headline figures into name/value pairs, shared by
// the text and CSV output.
func metricRows(m *ally.Metrics) [][2]string {
	num := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	rows := [][2]string{{"from", m.From.Format(time.RFC3339)}, {"to", m.To.Format(time.RFC3339)}}
	for _, d := range []struct {
		name string
		s    ally.DurationStat
	}{{"time_to_report", m.TimeToReport}, {"time_to_acknowledge", m.TimeToAcknowledge},
		{"time_to_contain", m.TimeToContain}, {"time_to_resolve", m.TimeToResolve}} {
		rows = append(rows, [2]string{d.name + ".n", strconv.Itoa(d.s.N)},
			[2]string{d.name + ".p50_seconds", num(d.s.P50Seconds)}, [2]string{d.name + ".p90_seconds", num(d.s.P90Seconds)})
	}
	s, e, t := m.Satisfaction, m.Engagement, m.Tone
	return append(rows,
		[2]string{"satisfaction.responses", strconv.Itoa(s.Responses)}, [2]string{"satisfaction.mean", num(s.Mean)},
		[2]string{"satisfaction.csat_percent", num(s.CSATPercent)}, [2]string{"satisfaction.response_rate", num(s.ResponseRate)},
		[2]string{"engagement.cases_reported", strconv.Itoa(e.CasesReported)},
		[2]string{"engagement.distinct_reporters", strconv.Itoa(e.DistinctReporters)},
		[2]string{"engagement.repeat_reporters", strconv.Itoa(e.RepeatReporters)},
		[2]string{"engagement.self_reported_share", num(e.SelfReportedShare)},
		[2]string{"tone.messages_checked", strconv.Itoa(t.MessagesChecked)}, [2]string{"tone.error_share", num(t.ErrorShare)},
		[2]string{"sla.acknowledged_within_target", num(m.SLA.AcknowledgedWithinTarget)},
		[2]string{"sla.resolved_within_target", num(m.SLA.ResolvedWithinTarget)})
}

func writeMetricsCSV(w io.Writer, m *ally.Metrics) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"metric", "value"})
	for _, r := range metricRows(m) {
		_ = cw.Write(r[:])
	}
	cw.Flush()
	return cw.Error()
}

func writeMetricsText(w io.Writer, m *ally.Metrics) error {
	for _, r := range metricRows(m) {
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
