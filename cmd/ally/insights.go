package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/csvsafe"
	"github.com/allydesk/ally/store"
	"github.com/spf13/cobra"
)

func newInsightsCmd() *cobra.Command {
	var (
		db       dbFlags
		from, to string
		format   string
	)
	c := &cobra.Command{
		Use:   "insights",
		Short: "Training insights from real cases",
		Long: `Show which kinds of mistake, which lures and which pressures caught people
(default: the last 90 days), and the training topics the evidence points to.
No one is named, and groups smaller than five are merged into "other".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, t, err := parsePeriod(from, to)
			if err != nil {
				return err
			}
			write, ok := map[string]func(io.Writer, *ally.Insights) error{"text": writeInsightsText,
				"json": writeJSONOut[*ally.Insights], "csv": writeInsightsCSV}[format]
			if !ok {
				return usageError("--format: %q is not text, json or csv", format)
			}
			return db.with(cmd, func(d *store.DB) error {
				in, err := d.Insights(cmd.Context(), f, t)
				if err != nil {
					return domainError(err)
				}
				return write(cmd.OutOrStdout(), in)
			})
		},
	}
	db.register(c)
	c.Flags().StringVar(&from, "from", "", "start of the period (2026-09-01 or RFC 3339; default: 90 days before --to)")
	c.Flags().StringVar(&to, "to", "", "end of the period (default: now)")
	c.Flags().StringVar(&format, "format", "text", "text, json or csv")
	return c
}

// insightSections names each group list, for text and CSV output.
func insightSections(in *ally.Insights) []struct {
	name   string
	groups []ally.Group
} {
	return []struct {
		name   string
		groups []ally.Group
	}{{"kind", in.Kinds}, {"department", in.Departments}, {"lure", in.Lures}, {"felt rushed", in.Pressure},
		{"time of day", in.TimeOfDay}, {"day of week", in.DayOfWeek}, {"end of quarter", []ally.Group{in.EndOfQuarter}}}
}

func shareText(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p*100, 'f', 0, 64) + "%"
}

func writeInsightsText(w io.Writer, in *ally.Insights) error {
	fmt.Fprintf(w, "%d cases from %s to %s (times of day in %s)\n", in.Cases, in.From.Format("2006-01-02"),
		in.To.Format("2006-01-02"), in.TimeZone)
	for _, s := range insightSections(in) {
		fmt.Fprintf(w, "\n%s:\n", s.name)
		for _, g := range s.groups {
			fmt.Fprintf(w, "  %-28s %5d  %s\n", g.Name, g.Count, shareText(g.Share))
		}
	}
	fmt.Fprintln(w, "\nRecommended training:")
	if len(in.Recommendations) == 0 {
		fmt.Fprintln(w, "  (not enough evidence yet)")
	}
	for _, r := range in.Recommendations {
		fmt.Fprintf(w, "  - %s: %s\n", r.Topic, r.Why)
	}
	return nil
}

func writeInsightsCSV(w io.Writer, in *ally.Insights) error {
	cw := csvsafe.NewWriter(w)
	_ = cw.Write([]string{"section", "name", "count", "share"})
	for _, s := range insightSections(in) {
		for _, g := range s.groups {
			share := ""
			if g.Share != nil {
				share = strconv.FormatFloat(*g.Share, 'f', -1, 64)
			}
			_ = cw.Write([]string{s.name, g.Name, strconv.Itoa(g.Count), share})
		}
	}
	for _, r := range in.Recommendations {
		_ = cw.Write([]string{"recommendation", r.Topic, "", r.Why})
	}
	cw.Flush()
	return cw.Error()
}
