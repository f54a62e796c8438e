package store

import (
	"github.com/allydesk/ally"
	"github.com/allydesk/ally/stats"
)

// weeks splits the period into weekly points for the trend charts.
func (p *periodData) weeks() []ally.WeekPoint {
	type acc struct {
		reported    int
		ack, report []float64
	}
	n := len(p.weekStarts)
	accs := make([]acc, n)
	for _, c := range p.cases {
		a := &accs[stats.WeekOf(p.weekStarts, c.reported)]
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
		out[i] = ally.WeekPoint{Start: fromMillis(p.weekStarts[i]), Reported: a.reported,
			P50AckSeconds: durationStat(a.ack).P50Seconds, P50ReportSeconds: durationStat(a.report).P50Seconds,
			ToneErrorShare: stats.Share(t.hits, t.n), CSATPercent: stats.Percent(stats.Share(r.hits, r.n))}
	}
	return out
}
