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
		reported    int
		ack, report []float64
	}
	first := fromMillis(p.first)
	n := int(p.f.To.Sub(first)/(7*24*time.Hour)) + 1
	accs := make([]acc, n)
	for _, c := range p.cases {
		a := &accs[min(int((c.reported-p.first)/weekMS), n-1)]
		a.reported++
		if c.acked >= 0 {
			a.ack = append(a.ack, seconds(c.acked-c.reported))
		}
		if c.occurred >= 0 {
			a.report = append(a.report, seconds(c.reported-c.occurred))
		}
	}
	week := func(ws []tally2, i int) tally2 {
		if i < len(ws) {
			return ws[i]
		}
		return tally2{}
	}
	out := make([]ally.WeekPoint, n)
	for i, a := range accs {
		r, t := week(p.ratings, i), week(p.tone, i)
		out[i] = ally.WeekPoint{Start: first.AddDate(0, 0, 7*i), Reported: a.reported,
			P50AckSeconds: durationStat(a.ack).P50Seconds, P50ReportSeconds: durationStat(a.report).P50Seconds,
			ToneErrorShare: share(t.hits, t.n)}
		if s := share(r.hits, r.n); s != nil {
			out[i].CSATPercent = ptr(*s * 100)
		}
	}
	return out
}
