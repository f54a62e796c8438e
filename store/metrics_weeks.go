package store

import (
	"sort"
	"time"

	"github.com/allydesk/ally"
)

// weekStarts returns the start (ms) of every week that overlaps [from, to):
// Mondays at 00:00 on the organisation's clock loc, so a week is 167 or 169
// hours long when the clocks change.
func weekStarts(from, to time.Time, loc *time.Location) []int64 {
	y, m, d := from.In(loc).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, loc)
	start := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	var out []int64
	for i := 0; i == 0 || start.Before(to); i++ {
		out = append(out, millis(start))
		start = start.AddDate(0, 0, 7)
	}
	return out
}

// weekOf returns the index of the week in starts that holds t (ms).
func weekOf(starts []int64, t int64) int {
	return max(0, sort.Search(len(starts), func(i int) bool { return starts[i] > t })-1)
}

// weeks splits the period into weekly points for the trend charts.
func (p *periodData) weeks() []ally.WeekPoint {
	type acc struct {
		reported    int
		ack, report []float64
	}
	n := len(p.weekStarts)
	accs := make([]acc, n)
	for _, c := range p.cases {
		a := &accs[weekOf(p.weekStarts, c.reported)]
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
			ToneErrorShare: share(t.hits, t.n)}
		if s := share(r.hits, r.n); s != nil {
			out[i].CSATPercent = ptr(*s * 100)
		}
	}
	return out
}
