package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"sort"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/tone"
)

// Metrics implements ally.MetricsService. Every figure comes from the
// cases' own timestamps; the period scan reads only the cases_metrics
// covering index.
func (db *DB) Metrics(ctx context.Context, f ally.MetricsFilter) (*ally.Metrics, error) {
	if u := ally.UserFromContext(ctx); u != nil && !ally.CanReadMetrics(u) {
		return nil, ally.Errorf(ally.EFORBIDDEN, "Only leads and admins can see team metrics.")
	}
	if f.To.IsZero() {
		f.To = db.opts.Now()
	}
	if f.From.IsZero() {
		f.From = f.To.Add(-ally.DefaultMetricsPeriod)
	}
	if !f.From.Before(f.To) {
		return nil, ally.Errorf(ally.EINVALID, "from: must be before to.")
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, ally.Errorf(ally.EINVALID, "kind: %q is not a kind.", f.Kind)
	}
	f.From, f.To = f.From.UTC().Truncate(time.Millisecond), f.To.UTC().Truncate(time.Millisecond)
	m := &ally.Metrics{From: f.From, To: f.To, Department: f.Department, Kind: f.Kind}
	prev := f
	prev.From, prev.To = f.From.Add(-f.To.Sub(f.From)), f.From
	err := db.withRead(ctx, func(tx *Tx) error {
		cur, err := tx.period(ctx, f, true)
		if err != nil {
			return err
		}
		before, err := tx.period(ctx, prev, false)
		if err != nil {
			return err
		}
		cur.fill(m, db)
		var pm ally.Metrics
		before.fill(&pm, db)
		m.TimeToReport.Previous, m.TimeToAcknowledge.Previous = &pm.TimeToReport, &pm.TimeToAcknowledge
		m.TimeToContain.Previous, m.TimeToResolve.Previous = &pm.TimeToContain, &pm.TimeToResolve
		m.Satisfaction.Previous, m.Engagement.Previous, m.Tone.Previous = &pm.Satisfaction, &pm.Engagement, &pm.Tone
		pm.Satisfaction.Comments = nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// caseRow is what the metrics need of one case.
type caseRow struct {
	id, reporter                       int64
	kind                               ally.Kind
	severity                           string
	occurred, reported                 sql.NullInt64
	acked, contained, resolved, closed sql.NullInt64
}

// periodData is everything read for one period.
type periodData struct {
	f        ally.MetricsFilter
	cases    []caseRow
	repeat   int
	ratings  []rating
	tone     []toneRow
	weekly   bool
	finished int
}

type rating struct {
	ref        string
	reportedAt int64
	value      int
	comment    string
	at         int64
}

type toneRow struct {
	at    int64
	error bool
	rules []string
}

func (f *periodData) filters(alias string) (string, []any) {
	q, args := "", []any{}
	if f.f.Department != "" {
		q += " AND " + alias + ".department = ?"
		args = append(args, f.f.Department)
	}
	if f.f.Kind != "" {
		q += " AND " + alias + ".kind = ?"
		args = append(args, f.f.Kind)
	}
	return q, args
}

// period reads one period's cases, ratings and tone results.
func (tx *Tx) period(ctx context.Context, f ally.MetricsFilter, detail bool) (*periodData, error) {
	p := &periodData{f: f, weekly: detail}
	extra, args := p.filters("c")
	span := append([]any{millis(f.From), millis(f.To)}, args...)
	rows, err := tx.query(ctx, `SELECT c.id, c.reporter_id, c.kind, c.severity, c.occurred_at, c.reported_at, c.acknowledged_at,
		c.contained_at, c.resolved_at, c.closed_at FROM cases c WHERE c.reported_at >= ? AND c.reported_at < ?`+extra, span...)
	if err != nil {
		return nil, err
	}
	firstByReporter := map[int64]int64{}
	for rows.Next() {
		var r caseRow
		if err := rows.Scan(&r.id, &r.reporter, &r.kind, &r.severity, &r.occurred, &r.reported, &r.acked,
			&r.contained, &r.resolved, &r.closed); err != nil {
			rows.Close()
			return nil, err
		}
		p.cases = append(p.cases, r)
		if first, ok := firstByReporter[r.reporter]; !ok || r.id < first {
			firstByReporter[r.reporter] = r.id
		}
		if r.resolved.Valid || r.closed.Valid {
			p.finished++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A repeat reporter reported more than once in the period, or had
	// reported before it.
	counts := map[int64]int{}
	for _, r := range p.cases {
		counts[r.reporter]++
	}
	for reporter, first := range firstByReporter {
		if counts[reporter] > 1 {
			p.repeat++
			continue
		}
		var earlier int
		if err := tx.queryRow(ctx, "SELECT count(*) FROM cases WHERE reporter_id = ? AND id < ?", reporter, first).Scan(&earlier); err != nil {
			return nil, err
		}
		if earlier > 0 {
			p.repeat++
		}
	}
	if err := tx.ratings(ctx, p, span, extra); err != nil {
		return nil, err
	}
	return p, tx.toneRows(ctx, p)
}

func (tx *Tx) ratings(ctx context.Context, p *periodData, span []any, extra string) error {
	rows, err := tx.query(ctx, `SELECT c.id, c.reported_at, f.rating, f.comment, f.created_at FROM feedback f
		JOIN cases c ON c.id = f.case_id WHERE c.reported_at >= ? AND c.reported_at < ?`+extra, span...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r rating
		var id int64
		if err := rows.Scan(&id, &r.reportedAt, &r.value, &r.comment, &r.at); err != nil {
			return err
		}
		r.ref = ally.CaseRef(id)
		p.ratings = append(p.ratings, r)
	}
	return rows.Err()
}

func (tx *Tx) toneRows(ctx context.Context, p *periodData) error {
	extra, args := p.filters("c")
	q := `SELECT e.created_at, e.tone_error, CASE WHEN e.tone_error THEN e.tone ELSE NULL END FROM entries e`
	if extra != "" {
		q += " JOIN cases c ON c.id = e.case_id"
	}
	q += " WHERE e.created_at >= ? AND e.created_at < ? AND e.tone IS NOT NULL AND NOT e.internal" + extra
	rows, err := tx.query(ctx, q, append([]any{millis(p.f.From), millis(p.f.To)}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r toneRow
		var raw sql.NullString
		if err := rows.Scan(&r.at, &r.error, &raw); err != nil {
			return err
		}
		if raw.Valid {
			var res tone.Result
			if err := json.Unmarshal([]byte(raw.String), &res); err != nil {
				return err
			}
			for _, fd := range res.Findings {
				if fd.Severity == tone.SeverityError {
					r.rules = append(r.rules, fd.Rule)
				}
			}
		}
		p.tone = append(p.tone, r)
	}
	return rows.Err()
}

// fill computes every figure of m from the period's data.
func (p *periodData) fill(m *ally.Metrics, db *DB) {
	var report, ack, contain, resolve []float64
	ackSLA, resSLA := slaCounter{}, slaCounter{}
	now := millis(db.opts.Now())
	self := 0
	for _, r := range p.cases {
		rep := r.reported.Int64
		if r.occurred.Valid {
			report = append(report, seconds(rep-r.occurred.Int64))
		}
		add := func(dst *[]float64, t sql.NullInt64) {
			if t.Valid {
				*dst = append(*dst, seconds(t.Int64-rep))
			}
		}
		add(&ack, r.acked)
		add(&contain, r.contained)
		add(&resolve, r.resolved)
		if r.kind.SelfReported() {
			self++
		}
		if pb, ok := db.opts.Playbooks.Get(string(r.kind)); ok {
			a, res := pb.Targets(r.severity)
			ackSLA.add(rep, r.acked, a, now)
			resSLA.add(rep, r.resolved, res, now)
		}
	}
	m.TimeToReport, m.TimeToAcknowledge = durationStat(report), durationStat(ack)
	m.TimeToContain, m.TimeToResolve = durationStat(contain), durationStat(resolve)
	n := len(p.cases)
	m.Engagement = ally.Engagement{CasesReported: n, DistinctReporters: distinctReporters(p.cases),
		RepeatReporters: p.repeat, SelfReportedShare: share(self, n), SuspiciousShare: share(n-self, n)}
	m.SLA = ally.SLAStats{AcknowledgeN: ackSLA.n, AcknowledgedWithinTarget: share(ackSLA.met, ackSLA.n),
		ResolveN: resSLA.n, ResolvedWithinTarget: share(resSLA.met, resSLA.n)}
	m.Satisfaction = satisfaction(p.ratings, p.finished)
	m.Tone = toneStats(p.tone)
	if p.weekly {
		m.Weekly = p.weeks()
	}
}

// slaCounter counts cases with a target that are done or overdue, and how
// many of them met it.
type slaCounter struct{ n, met int }

func (s *slaCounter) add(reported int64, done sql.NullInt64, target time.Duration, now int64) {
	if target <= 0 {
		return
	}
	due := reported + target.Milliseconds()
	switch {
	case done.Valid:
		s.n++
		if done.Int64 <= due {
			s.met++
		}
	case now > due:
		s.n++
	}
}

func seconds(ms int64) float64 { return float64(ms) / 1000 }

// durationStat computes nearest-rank percentiles: the p-th percentile of n
// sorted values is the value at rank ceil(p/100 × n).
func durationStat(v []float64) ally.DurationStat {
	s := ally.DurationStat{N: len(v)}
	if len(v) == 0 {
		return s
	}
	sort.Float64s(v)
	s.P50Seconds, s.P90Seconds = ptr(nearestRank(v, 50)), ptr(nearestRank(v, 90))
	return s
}

func nearestRank(sorted []float64, p int) float64 {
	rank := (p*len(sorted) + 99) / 100
	return sorted[max(rank, 1)-1]
}

func ptr(f float64) *float64 { return &f }

// share returns part/whole rounded to 4 places, or nil for an empty whole.
func share(part, whole int) *float64 {
	if whole == 0 {
		return nil
	}
	return ptr(float64(int(float64(part)/float64(whole)*10000+0.5)) / 10000)
}

func distinctReporters(cases []caseRow) int {
	seen := map[int64]bool{}
	for _, c := range cases {
		seen[c.reporter] = true
	}
	return len(seen)
}

func satisfaction(rs []rating, finished int) ally.Satisfaction {
	s := ally.Satisfaction{Responses: len(rs), Comments: []ally.Comment{}}
	if len(rs) == 0 {
		return s
	}
	sum, good := 0, 0
	for _, r := range rs {
		sum += r.value
		if r.value >= 4 {
			good++
		}
	}
	s.Mean = ptr(float64(int(float64(sum)/float64(len(rs))*100+0.5)) / 100)
	s.CSATPercent = ptr(*share(good, len(rs)) * 100)
	s.ResponseRate = share(len(rs), max(finished, len(rs)))
	sorted := append([]rating(nil), rs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].at > sorted[j].at })
	for _, r := range sorted {
		if r.comment != "" && len(s.Comments) < 20 {
			s.Comments = append(s.Comments, ally.Comment{Ref: r.ref, Rating: r.value, Comment: r.comment, CreatedAt: fromMillis(r.at)})
		}
	}
	return s
}

func toneStats(rows []toneRow) ally.ToneStats {
	t := ally.ToneStats{MessagesChecked: len(rows), TopPatterns: []ally.PatternCount{}}
	counts := map[string]int{}
	errs := 0
	for _, r := range rows {
		if r.error {
			errs++
		}
		for _, rule := range r.rules {
			counts[rule]++
		}
	}
	t.ErrorShare = share(errs, len(rows))
	for rule, n := range counts {
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
