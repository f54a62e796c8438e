// Package report computes the team metrics from what the store read of a
// period: times to report, acknowledge, contain and resolve; engagement;
// SLA; satisfaction; tone; and the weekly trends. It reads no database.
package report

import (
	"sort"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/stats"
)

// Case is what the metrics need of one case. Times are Unix milliseconds;
// absent ones are -1. AckDue and ResolveDue are the SLA targets stored on
// the case when its clock started (-1: no target), so that editing a
// playbook never rewrites past breaches. SelfReported: its kind is one
// where the reporter tells of their own slip (ally.Kind.SelfReported).
type Case struct {
	ID, Reporter               int64
	SelfReported               bool
	Occurred, Reported         int64
	Acked, Contained, Resolved int64
	AckDue, ResolveDue         int64
}

// Tally is a pair of counts for one week: how many, and how many of them
// count (good ratings, replies with an error-level tone finding).
type Tally struct{ N, Hits int }

// Period is everything read of one period.
type Period struct {
	Cases      []Case
	Repeat     int     // reporters who reported before or more than once
	WeekStarts []int64 // ms, on the organisation's clock (stats.WeekStarts)
	Ratings    []Tally // by week: responses, good (4–5)
	RatingN    int
	RatingSum  int
	Comments   []ally.Comment
	Tone       []Tally // by week: checked, with an error-level finding
	Rules      map[string]int
	Finished   int // cases resolved or closed
}

// Fill computes every figure of m from the period's data at time now.
func (p *Period) Fill(m *ally.Metrics, now time.Time) {
	var report, ack, contain, resolve []float64
	ackSLA, resSLA := slaCounter{}, slaCounter{}
	nowMS := now.UnixMilli()
	self := 0
	for _, r := range p.Cases {
		rep := r.Reported
		if r.Occurred >= 0 {
			report = append(report, seconds(rep-r.Occurred))
		}
		add := func(dst *[]float64, t int64) {
			if t >= 0 {
				*dst = append(*dst, seconds(t-rep))
			}
		}
		add(&ack, r.Acked)
		add(&contain, r.Contained)
		add(&resolve, r.Resolved)
		if r.SelfReported {
			self++
		}
		ackSLA.add(r.AckDue, r.Acked, nowMS)
		resSLA.add(r.ResolveDue, r.Resolved, nowMS)
	}
	m.TimeToReport, m.TimeToAcknowledge = durationStat(report), durationStat(ack)
	m.TimeToContain, m.TimeToResolve = durationStat(contain), durationStat(resolve)
	n := len(p.Cases)
	m.Engagement = ally.Engagement{CasesReported: n, DistinctReporters: distinctReporters(p.Cases),
		RepeatReporters: p.Repeat, SelfReportedShare: stats.Share(self, n), SuspiciousShare: stats.Share(n-self, n)}
	m.SLA = ally.SLAStats{AcknowledgeN: ackSLA.n, AcknowledgedWithinTarget: stats.Share(ackSLA.met, ackSLA.n),
		ResolveN: resSLA.n, ResolvedWithinTarget: stats.Share(resSLA.met, resSLA.n)}
	m.Satisfaction = p.satisfaction()
	m.Tone = p.toneFigures()
	m.Weekly = p.weeks()
}

// slaCounter counts cases with a target that are done or overdue, and how
// many of them met it.
type slaCounter struct{ n, met int }

func (s *slaCounter) add(due, done, now int64) {
	if due < 0 {
		return
	}
	counted, met := ally.TargetOutcome(due, done, now)
	if counted {
		s.n++
	}
	if met {
		s.met++
	}
}

func seconds(ms int64) float64 { return float64(ms) / 1000 }

// durationStat computes the median and 90th percentile (nearest rank) of v
// in seconds, reordering v.
func durationStat(v []float64) ally.DurationStat {
	s := ally.DurationStat{N: len(v)}
	if len(v) > 0 {
		p50, p90 := stats.P50P90(v)
		s.P50Seconds, s.P90Seconds = &p50, &p90
	}
	return s
}

func distinctReporters(cases []Case) int {
	seen := map[int64]bool{}
	for _, c := range cases {
		seen[c.Reporter] = true
	}
	return len(seen)
}

func (p *Period) satisfaction() ally.Satisfaction {
	s := ally.Satisfaction{Responses: p.RatingN, Comments: p.Comments}
	if p.RatingN == 0 {
		return s
	}
	good := 0
	for _, w := range p.Ratings {
		good += w.Hits
	}
	s.Mean = stats.Mean(p.RatingSum, p.RatingN)
	s.CSATPercent = stats.Percent(stats.Share(good, p.RatingN))
	s.ResponseRate = stats.Share(p.RatingN, max(p.Finished, p.RatingN))
	return s
}

func (p *Period) toneFigures() ally.ToneStats {
	t := ally.ToneStats{TopPatterns: []ally.PatternCount{}}
	errs := 0
	for _, w := range p.Tone {
		t.MessagesChecked += w.N
		errs += w.Hits
	}
	t.ErrorShare = stats.Share(errs, t.MessagesChecked)
	for rule, n := range p.Rules {
		t.TopPatterns = append(t.TopPatterns, ally.PatternCount{Rule: rule, Count: n})
	}
	sort.Slice(t.TopPatterns, func(i, j int) bool {
		a, b := t.TopPatterns[i], t.TopPatterns[j]
		return a.Count > b.Count || (a.Count == b.Count && a.Rule < b.Rule)
	})
	if len(t.TopPatterns) > 10 {
		t.TopPatterns = t.TopPatterns[:10]
	}
	return t
}

// weeks splits the period into weekly points for the trend charts.
func (p *Period) weeks() []ally.WeekPoint {
	type acc struct {
		reported    int
		ack, report []float64
	}
	n := len(p.WeekStarts)
	accs := make([]acc, n)
	for _, c := range p.Cases {
		a := &accs[stats.WeekOf(p.WeekStarts, c.Reported)]
		a.reported++
		if c.Acked >= 0 {
			a.ack = append(a.ack, seconds(c.Acked-c.Reported))
		}
		if c.Occurred >= 0 {
			a.report = append(a.report, seconds(c.Reported-c.Occurred))
		}
	}
	week := func(ws []Tally, i int) Tally {
		if i < len(ws) {
			return ws[i]
		}
		return Tally{}
	}
	out := make([]ally.WeekPoint, n)
	for i, a := range accs {
		r, t := week(p.Ratings, i), week(p.Tone, i)
		out[i] = ally.WeekPoint{Start: time.UnixMilli(p.WeekStarts[i]).UTC(), Reported: a.reported,
			P50AckSeconds: durationStat(a.ack).P50Seconds, P50ReportSeconds: durationStat(a.report).P50Seconds,
			ToneErrorShare: stats.Share(t.Hits, t.N), CSATPercent: stats.Percent(stats.Share(r.Hits, r.N))}
	}
	return out
}
