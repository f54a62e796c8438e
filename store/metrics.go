package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/report"
	"github.com/allydesk/ally/stats"
)

// Metrics implements ally.MetricsService. Every figure comes from the
// cases' own timestamps; the period scan reads only the cases_metrics
// covering index.
func (db *DB) Metrics(ctx context.Context, f ally.MetricsFilter) (_ *ally.Metrics, err error) {
	defer wrap(&err, "metrics")
	if _, err := ally.Allowed(ctx, ally.CanReadMetrics, "Only leads and admins can see team metrics."); err != nil {
		return nil, err
	}
	if err := f.Resolve(db.opts.Now()); err != nil {
		return nil, err
	}
	m := &ally.Metrics{From: f.From, To: f.To, Department: f.Department, Kind: f.Kind, TimeZone: db.location().String()}
	prev := f.Previous()
	var before *periodData
	var errBefore error
	var wg sync.WaitGroup // the two periods are read at once
	wg.Go(func() {
		before, errBefore = db.previous.get(prev, func() (*periodData, error) { return db.period(ctx, prev, false) })
	})
	cur, err := db.period(ctx, f, true)
	wg.Wait()
	if err = errors.Join(err, errBefore); err != nil {
		return nil, err
	}
	now := db.opts.Now()
	cur.Fill(m, now)
	var pm ally.Metrics
	before.Fill(&pm, now)
	m.Engagement.PracticeReports, pm.Engagement.PracticeReports = cur.practice, before.practice
	m.TimeToReport.Previous, m.TimeToAcknowledge.Previous = &pm.TimeToReport, &pm.TimeToAcknowledge
	m.TimeToContain.Previous, m.TimeToResolve.Previous = &pm.TimeToContain, &pm.TimeToResolve
	m.Engagement.Previous = &pm.Engagement
	pm.Satisfaction.Comments, pm.Tone.TopPatterns = []ally.Comment{}, []ally.PatternCount{} // trends need only the figures
	m.Satisfaction.Previous, m.Tone.Previous = &pm.Satisfaction, &pm.Tone
	return m, nil
}

// periodData is everything read for one period, with its filter.
type periodData struct {
	f   ally.MetricsFilter
	sla bool // whether the SLA targets were read (not for the period before, which only feeds trends)
	report.Period
	practice int // practice emails reported by mail, counted apart from cases
}

func (p *periodData) filters(alias string) (string, []any) {
	q, args := "", []any{}
	if p.f.Department != "" {
		q += " AND " + alias + ".department = ?"
		args = append(args, p.f.Department)
	}
	if p.f.Kind != "" {
		q += " AND " + alias + ".kind = ?"
		args = append(args, p.f.Kind)
	}
	return q, args
}

// scanParts is how many pieces a period's case scan is split into, each
// read on its own connection in parallel.
const scanParts = 2

// period reads one period: its cases through the covering index, split in
// time and read in parallel, and its ratings and tone alongside. The parts
// are separate read transactions, so they may see writes a few milliseconds
// apart; for a report on weeks of cases that is immaterial.
func (db *DB) period(ctx context.Context, f ally.MetricsFilter, sla bool) (*periodData, error) {
	p := &periodData{f: f, sla: sla, Period: report.Period{WeekStarts: stats.WeekStarts(f.From, f.To, db.location()),
		Rules: map[string]int{}}}
	parts, finished := make([][]report.Case, scanParts), make([]int, scanParts)
	var jobs []func() error // each holds one pooled connection at most, so that they cannot starve the pool
	step := (millis(f.To) - millis(f.From) + scanParts - 1) / scanParts
	for i := range parts {
		from := millis(f.From) + int64(i)*step
		to := min(from+step, millis(f.To))
		jobs = append(jobs, func() (err error) {
			parts[i], finished[i], err = db.caseRows(ctx, p, from, to)
			return err
		})
	}
	for _, read := range []func(tx *Tx) error{
		func(tx *Tx) error { return tx.ratings(ctx, p) },
		func(tx *Tx) error { return tx.toneStats(ctx, p) },
		func(tx *Tx) error { return tx.practiceReports(ctx, p) },
	} {
		jobs = append(jobs, func() error { return db.withRead(ctx, read) })
	}
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Go(func() { errs[i] = job() })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	p.Cases = slices.Concat(parts...)
	for _, n := range finished {
		p.Finished += n
	}
	firstByReporter := map[int64]int64{}
	for _, r := range p.Cases {
		if first, ok := firstByReporter[r.Reporter]; !ok || r.ID < first {
			firstByReporter[r.Reporter] = r.ID
		}
	}
	return p, db.withRead(ctx, func(tx *Tx) error { return tx.repeatReporters(ctx, p, firstByReporter) })
}

// caseRowsQuery selects what the metrics need of each case in a span,
// with the SLA targets stored on it: few columns, all integers, because
// reading each column of each row costs more than the scan itself in
// pure-Go SQLite. The second column packs the reporter with two flags
// (metricsCase): a self-reported kind, and finished (resolved or closed).
// trendRowsQuery is the same without the SLA targets, for the period
// before, which only feeds the trends (SLA figures have none).
var caseRowsQuery, trendRowsQuery = caseRowsSQL(", COALESCE(c.ack_due_at, -1), COALESCE(c.resolve_due_at, -1)"),
	caseRowsSQL("")

func caseRowsSQL(sla string) string {
	quoted := make([]string, len(ally.SelfReportedKinds)) // kinds are lower-case letters and underscores
	for i, k := range ally.SelfReportedKinds {
		quoted[i] = "'" + string(k) + "'"
	}
	return `SELECT c.id, c.reporter_id * 4 + CASE WHEN c.kind IN (` + strings.Join(quoted, ", ") + `) THEN 1 ELSE 0 END
	+ CASE WHEN c.resolved_at IS NOT NULL OR c.closed_at IS NOT NULL THEN 2 ELSE 0 END,
	COALESCE(c.occurred_at, -1), c.reported_at, COALESCE(c.acknowledged_at, -1), COALESCE(c.contained_at, -1),
	COALESCE(c.resolved_at, -1)` + sla + `
	FROM cases c WHERE c.reported_at >= ? AND c.reported_at < ?`
}

// caseRowsColumns is how many columns caseRowsQuery reads (trendRowsQuery:
// two fewer).
const caseRowsColumns = 9

// metricsCase decodes a row of caseRowsQuery or trendRowsQuery (n columns):
// the case, and whether it is finished.
func metricsCase(v *[caseRowsColumns]int64, n int) (report.Case, bool) {
	c := report.Case{ID: v[0], Reporter: v[1] >> 2, SelfReported: v[1]&1 != 0, Occurred: v[2], Reported: v[3],
		Acked: v[4], Contained: v[5], Resolved: v[6], AckDue: -1, ResolveDue: -1}
	if n == caseRowsColumns {
		c.AckDue, c.ResolveDue = v[7], v[8]
	}
	return c, v[1]&2 != 0
}

// caseRows reads the cases reported in [from, to) that match the filters,
// and counts those finished, in a read transaction of its own. On SQLite it
// reads through the driver directly, on one connection and outside a
// transaction (a single statement sees one snapshot): database/sql's
// per-value conversions cost as much as the scan itself.
func (db *DB) caseRows(ctx context.Context, p *periodData, from, to int64) (out []report.Case, finished int,
	err error) {
	extra, args := p.filters("c")
	args = append([]any{from, to}, args...)
	q, cols := caseRowsQuery+extra, caseRowsColumns
	if !p.sla {
		q, cols = trendRowsQuery+extra, caseRowsColumns-2
	}
	if db.postgres {
		err = db.withRead(ctx, func(tx *Tx) (err error) {
			out, finished, err = tx.caseRows(ctx, q, cols, args)
			return err
		})
		return out, finished, err
	}
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return nil, 0, mapError(err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		queryer, ok := dc.(driver.QueryerContext)
		if !ok {
			return errors.New("store: the SQLite driver cannot query directly")
		}
		named := make([]driver.NamedValue, len(args))
		for i, a := range args {
			named[i] = driver.NamedValue{Ordinal: i + 1, Value: driverValue(a)}
		}
		rows, err := queryer.QueryContext(ctx, q, named)
		if err != nil {
			return err
		}
		defer rows.Close()
		v := make([]driver.Value, cols)
		var n [caseRowsColumns]int64
		for {
			if err := rows.Next(v); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			for i := range v {
				n[i] = asInt(v[i])
			}
			c, done := metricsCase(&n, cols)
			out = append(out, c)
			if done {
				finished++
			}
		}
	})
	return out, finished, mapError(err)
}

// caseRows reads case rows through database/sql.
func (tx *Tx) caseRows(ctx context.Context, q string, cols int, args []any) ([]report.Case, int, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []report.Case
	finished := 0
	var n [caseRowsColumns]int64
	dest := make([]any, cols)
	for i := range dest {
		dest[i] = &n[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, 0, err
		}
		c, done := metricsCase(&n, cols)
		out = append(out, c)
		if done {
			finished++
		}
	}
	return out, finished, rows.Err()
}

func asInt(v driver.Value) int64 {
	n, _ := v.(int64)
	return n
}

// driverValue converts a query argument to a driver value.
func driverValue(a any) driver.Value {
	switch x := a.(type) {
	case ally.Kind:
		return string(x)
	case int:
		return int64(x)
	}
	return a
}

// repeatReporters counts reporters who reported more than once in the
// period, or had reported before it. Those with one case in the period are
// looked up in one statement (earlierReporters), so that a report costs one
// round trip and one index probe per reporter, not a count of each one's
// history per reporter.
func (tx *Tx) repeatReporters(ctx context.Context, p *periodData, firstByReporter map[int64]int64) error {
	counts := map[int64]int{}
	for _, r := range p.Cases {
		counts[r.Reporter]++
	}
	var once [][2]int64 // reporter, their case in the period
	for reporter, first := range firstByReporter {
		if counts[reporter] > 1 {
			p.Repeat++
		} else {
			once = append(once, [2]int64{reporter, first})
		}
	}
	if len(once) == 0 {
		return nil
	}
	list, err := json.Marshal(once)
	if err != nil {
		return err
	}
	q := earlierReporters
	if tx.db.postgres {
		q = earlierReportersPostgres
	}
	var n int
	err = tx.queryRow(ctx, q, string(list)).Scan(&n)
	p.Repeat += n
	return err
}

// earlierReporters counts the [reporter, case id] pairs of a JSON array
// whose reporter has a case with a smaller id (cases_reporter: one probe
// each).
const (
	earlierReporters = `SELECT count(*) FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM cases c
		WHERE c.reporter_id = j.value ->> 0 AND c.id < j.value ->> 1)`
	earlierReportersPostgres = `SELECT count(*) FROM jsonb_array_elements(CAST(? AS jsonb)) AS j(v) WHERE EXISTS (
		SELECT 1 FROM cases c WHERE c.reporter_id = (j.v ->> 0)::bigint AND c.id < (j.v ->> 1)::bigint)`
)

// perWeek runs an aggregate query once per week of the period (q takes the
// week's start and end first, then args): range scans of an index, cheaper
// than grouping by a computed week.
func (tx *Tx) perWeek(ctx context.Context, p *periodData, q string, args []any, scan func(row *sql.Row) error) error {
	for i, start := range p.WeekStarts {
		end := millis(p.f.To)
		if i+1 < len(p.WeekStarts) {
			end = p.WeekStarts[i+1]
		}
		from, to := max(start, millis(p.f.From)), min(end, millis(p.f.To))
		if err := scan(tx.queryRow(ctx, q, append([]any{from, to}, args...)...)); err != nil {
			return err
		}
	}
	return nil
}

// ratings reads the ratings given in the period, by week, and the latest
// comments; feedback carries its case's department and kind, so no join.
func (tx *Tx) ratings(ctx context.Context, p *periodData) error {
	extra, args := p.filters("f")
	err := tx.perWeek(ctx, p, `SELECT count(*),
		COALESCE(SUM(CASE WHEN f.rating >= `+strconv.Itoa(ally.SatisfiedRating)+` THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(f.rating), 0)
		FROM feedback f WHERE f.created_at >= ? AND f.created_at < ?`+extra, args, func(row *sql.Row) error {
		var t report.Tally
		var sum int
		if err := row.Scan(&t.N, &t.Hits, &sum); err != nil {
			return err
		}
		p.Ratings = append(p.Ratings, t)
		p.RatingN += t.N
		p.RatingSum += sum
		return nil
	})
	if err != nil {
		return err
	}
	rows, err := tx.query(ctx, `SELECT f.case_id, f.rating, f.comment, f.created_at FROM feedback f
		WHERE f.created_at >= ? AND f.created_at < ? AND f.comment <> ''`+extra+" ORDER BY f.created_at DESC LIMIT 20",
		append([]any{millis(p.f.From), millis(p.f.To)}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	p.Comments = []ally.Comment{}
	for rows.Next() {
		var c ally.Comment
		var id, at int64
		if err := rows.Scan(&id, &c.Rating, &c.Comment, &at); err != nil {
			return err
		}
		c.Ref, c.CreatedAt = ally.CaseRef(id), fromMillis(at)
		p.Comments = append(p.Comments, c)
	}
	return rows.Err()
}

// toneStats reads responders' messages to reporters by week, and the rules
// behind the error-level findings.
func (tx *Tx) toneStats(ctx context.Context, p *periodData) error {
	extra, args := p.filters("c")
	from := "entries e"
	if extra != "" {
		from += " JOIN cases c ON c.id = e.case_id"
	}
	where := "e.created_at >= ? AND e.created_at < ? AND e.tone IS NOT NULL AND NOT e.internal" + extra
	span := append([]any{millis(p.f.From), millis(p.f.To)}, args...)
	err := tx.perWeek(ctx, p,
		"SELECT count(*), COALESCE(SUM(CASE WHEN e.tone_error THEN 1 ELSE 0 END), 0) FROM "+from+" WHERE "+where,
		args, func(row *sql.Row) error {
			var t report.Tally
			err := row.Scan(&t.N, &t.Hits)
			p.Tone = append(p.Tone, t)
			return err
		})
	if err != nil {
		return err
	}
	rows, err := tx.query(ctx, "SELECT e.tone_rules FROM "+from+" WHERE "+where+" AND e.tone_error", span...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rules string
		if err := rows.Scan(&rules); err != nil {
			return err
		}
		for _, rule := range strings.Fields(rules) {
			p.Rules[rule]++
		}
	}
	return rows.Err()
}

// previousTTL is how long the period before a report is reused: it only
// feeds the trends, and its cases rarely change.
const previousTTL = 5 * time.Minute

// periodCache keeps recent "period before" readings by filter, so that a
// dashboard refresh scans one period rather than two.
type periodCache struct {
	mu sync.Mutex
	m  map[periodKey]cachedPeriod
}

type periodKey struct {
	dept, kind string
	span       time.Duration
	slot       int64 // the period's start, in previousTTL steps
}

type cachedPeriod struct {
	at   time.Time
	data *periodData
}

func (c *periodCache) get(f ally.MetricsFilter, read func() (*periodData, error)) (*periodData, error) {
	k := periodKey{f.Department, string(f.Kind), f.To.Sub(f.From), f.From.UnixNano() / int64(previousTTL)}
	c.mu.Lock()
	hit, ok := c.m[k]
	c.mu.Unlock()
	if ok && time.Since(hit.at) < previousTTL {
		return hit.data, nil
	}
	data, err := read()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 1000 {
		c.m = map[periodKey]cachedPeriod{}
	}
	c.m[k] = cachedPeriod{at: time.Now(), data: data}
	return data, nil
}
