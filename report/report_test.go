package report

import (
	"testing"
	"time"

	"github.com/allydesk/ally"
)

// TestFillByHand: figures of a small period worked out by hand.
func TestFillByHand(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) // a Monday
	ms := func(d time.Duration) int64 { return t0.Add(d).UnixMilli() }
	week := 7 * 24 * time.Hour
	p := &Period{
		Cases: []Case{
			// reported 1h after it happened; acknowledged in 10 min, resolved in 2h: both targets met
			{ID: 1, Reporter: 1, SelfReported: true, Occurred: ms(9 * time.Hour),
				Reported: ms(10 * time.Hour), Acked: ms(10*time.Hour + 10*time.Minute), Contained: -1,
				Resolved: ms(12 * time.Hour), AckDue: ms(10*time.Hour + 15*time.Minute),
				ResolveDue: ms(18 * time.Hour)},
			// never acknowledged, overdue; in the second week; a suspicious email (not self-reported)
			{ID: 2, Reporter: 2, Occurred: -1,
				Reported: ms(week + time.Hour), Acked: -1, Contained: -1, Resolved: -1,
				AckDue: ms(week + time.Hour + 15*time.Minute), ResolveDue: ms(week + 9*time.Hour)},
			// a kind without targets
			{ID: 3, Reporter: 1, Occurred: -1,
				Reported: ms(week + 2*time.Hour), Acked: ms(week + 3*time.Hour), Contained: -1, Resolved: -1,
				AckDue: -1, ResolveDue: -1},
		},
		Repeat:     1,
		WeekStarts: []int64{ms(0), ms(week)},
		Ratings:    []Tally{{N: 2, Hits: 1}, {}},
		RatingN:    2, RatingSum: 7, Finished: 1,
		Comments: []ally.Comment{},
		Tone:     []Tally{{N: 4, Hits: 1}, {N: 0, Hits: 0}},
		Rules:    map[string]int{"why-did-you": 1, "should-have": 3},
	}
	var m ally.Metrics
	p.Fill(&m, t0.Add(week+12*time.Hour))
	val := func(f *float64) float64 {
		if f == nil {
			return -1
		}
		return *f
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"time to report p50", val(m.TimeToReport.P50Seconds), 3600},
		{"time to acknowledge n", float64(m.TimeToAcknowledge.N), 2},
		{"time to acknowledge p90", val(m.TimeToAcknowledge.P90Seconds), 3600},
		{"time to resolve p50", val(m.TimeToResolve.P50Seconds), 7200},
		{"time to contain n", float64(m.TimeToContain.N), 0},
		{"cases", float64(m.Engagement.CasesReported), 3},
		{"distinct reporters", float64(m.Engagement.DistinctReporters), 2},
		{"self-reported share (only the click)", val(m.Engagement.SelfReportedShare), 0.3333},
		{"acknowledge counted", float64(m.SLA.AcknowledgeN), 2},
		{"acknowledged in time", val(m.SLA.AcknowledgedWithinTarget), 0.5},
		{"resolve counted", float64(m.SLA.ResolveN), 2},
		{"CSAT", val(m.Satisfaction.CSATPercent), 50},
		{"mean rating", val(m.Satisfaction.Mean), 3.5},
		{"response rate", val(m.Satisfaction.ResponseRate), 1},
		{"tone error share", val(m.Tone.ErrorShare), 0.25},
		{"weeks", float64(len(m.Weekly)), 2},
		{"week 2 reported", float64(m.Weekly[1].Reported), 2},
		{"week 1 CSAT", val(m.Weekly[0].CSATPercent), 50},
		{"week 2 tone share (none checked)", val(m.Weekly[1].ToneErrorShare), -1},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if len(m.Tone.TopPatterns) != 2 || m.Tone.TopPatterns[0].Rule != "should-have" {
		t.Errorf("top patterns %+v, most found first", m.Tone.TopPatterns)
	}
}
