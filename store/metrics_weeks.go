package store

import (
	"time"

	"github.com/allydesk/ally"
)

// weekStart returns the Monday 00:00 UTC on or before t.
func weekStart(t time.Time) time.Time {
	t = t.UTC().Truncate(24 * time.Hour)
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

// weeks splits the period into weekly points for the trend charts.
func (p *periodData) weeks() []ally.WeekPoint {
	type acc struct {
		reported      int
		ack, report   []float64
		ratings, good int
		tone, toneErr int
	}
	first := weekStart(p.f.From)
	n := int(p.f.To.Sub(first)/(7*24*time.Hour)) + 1
	accs := make([]acc, n)
	index := func(ms int64) int {
		i := int(fromMillis(ms).Sub(first) / (7 * 24 * time.Hour))
		return min(max(i, 0), n-1)
	}
	for _, c := range p.cases {
		a := &accs[index(c.reported.Int64)]
		a.reported++
		if c.acked.Valid {
			a.ack = append(a.ack, seconds(c.acked.Int64-c.reported.Int64))
		}
		if c.occurred.Valid {
			a.report = append(a.report, seconds(c.reported.Int64-c.occurred.Int64))
		}
	}
	for _, r := range p.ratings {
		a := &accs[index(r.reportedAt)]
		a.ratings++
		if r.value >= 4 {
			a.good++
		}
	}
	for _, t := range p.tone {
		a := &accs[index(t.at)]
		a.tone++
		if t.error {
			a.toneErr++
		}
	}
	out := make([]ally.WeekPoint, n)
	for i, a := range accs {
		out[i] = ally.WeekPoint{Start: first.AddDate(0, 0, 7*i), Reported: a.reported,
			P50AckSeconds: durationStat(a.ack).P50Seconds, P50ReportSeconds: durationStat(a.report).P50Seconds,
			ToneErrorShare: share(a.toneErr, a.tone)}
		if s := share(a.good, a.ratings); s != nil {
			out[i].CSATPercent = ptr(*s * 100)
		}
	}
	return out
}
