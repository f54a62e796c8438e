package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
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
	cur, err := db.period(ctx, f)
	if err != nil {
		return nil, err
	}
	before, err := db.previous.get(prev, func() (*periodData, error) { return db.period(ctx, prev) })
	if err != nil {
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
	f ally.MetricsFilter
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
func (db *DB) period(ctx context.Context, f ally.MetricsFilter) (*periodData, error) {
	p := &periodData{f: f, Period: report.Period{WeekStarts: stats.WeekStarts(f.From, f.To, db.location()),
		Rules: map[string]int{}}}
	parts := make([][]report.Case, scanParts)
	var jobs []func() error // each holds one pooled connection at most, so that they cannot starve the pool
	step := (millis(f.To) - millis(f.From) + scanParts - 1) / scanParts
	for i := range parts {
		from := millis(f.From) + int64(i)*step
		to := min(from+step, millis(f.To))
		jobs = append(jobs, func() (err error) {
			parts[i], err = db.caseRows(ctx, p, from, to)
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
	firstByReporter := map[int64]int64{}
	for _, r := range p.Cases {
		if first, ok := firstByReporter[r.Reporter]; !ok || r.ID < first {
			firstByReporter[r.Reporter] = r.ID
		}
		if r.Resolved >= 0 || r.Closed >= 0 {
			p.Finished++
		}
	}
	return p, db.withRead(ctx, func(tx *Tx) error { return tx.repeatReporters(ctx, p, firstByReporter) })
}

// caseRowsQuery selects what the metrics need of each case in a span,
// with the SLA targets stored on it.
const caseRowsQuery = `SELECT c.id, c.reporter_id, c.kind, c.severity, COALESCE(c.occurred_at, -1), c.reported_at,
	COALESCE(c.acknowledged_at, -1), COALESCE(c.contained_at, -1), COALESCE(c.resolved_at, -1), COALESCE(c.closed_at, -1),
	COALESCE(c.ack_due_at, -1), COALESCE(c.resolve_due_at, -1)
	FROM cases c WHERE c.reported_at >= ? AND c.reported_at < ?`

// caseRows reads the cases reported in [from, to) that match the filters,
// in a read transaction of its own. On SQLite it reads through the driver
// directly, on one connection and outside a transaction (a single statement
// sees one snapshot): database/sql's per-value conversions cost as much as
// the scan itself.
func (db *DB) caseRows(ctx context.Context, p *periodData, from, to int64) (out []report.Case, err error) {
	extra, args := p.filters("c")
	args = append([]any{from, to}, args...)
	if db.postgres {
		err = db.withRead(ctx, func(tx *Tx) (err error) {
			out, err = tx.caseRows(ctx, caseRowsQuery+extra, args)
			return err
		})
		return out, err
	}
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return nil, mapError(err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return errors.New("store: the SQLite driver cannot query directly")
		}
		named := make([]driver.NamedValue, len(args))
		for i, a := range args {
			named[i] = driver.NamedValue{Ordinal: i + 1, Value: driverValue(a)}
		}
		rows, err := q.QueryContext(ctx, caseRowsQuery+extra, named)
		if err != nil {
			return err
		}
		defer rows.Close()
		v := make([]driver.Value, 12)
		names := newInterner()
		for {
			if err := rows.Next(v); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			out = append(out, report.Case{ID: asInt(v[0]), Reporter: asInt(v[1]), Kind: ally.Kind(names.of(v[2])),
				Severity: names.of(v[3]), Occurred: asInt(v[4]), Reported: asInt(v[5]), Acked: asInt(v[6]),
				Contained: asInt(v[7]), Resolved: asInt(v[8]), Closed: asInt(v[9]), AckDue: asInt(v[10]),
				ResolveDue: asInt(v[11])})
		}
	})
	return out, mapError(err)
}

// caseRows reads case rows through database/sql.
func (tx *Tx) caseRows(ctx context.Context, q string, args []any) ([]report.Case, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []report.Case
	var kind, severity sql.RawBytes
	names := newInterner()
	for rows.Next() {
		var r report.Case
		if err := rows.Scan(&r.ID, &r.Reporter, &kind, &severity, &r.Occurred, &r.Reported, &r.Acked,
			&r.Contained, &r.Resolved, &r.Closed, &r.AckDue, &r.ResolveDue); err != nil {
			return nil, err
		}
		r.Kind, r.Severity = ally.Kind(names.of([]byte(kind))), names.of([]byte(severity))
		out = append(out, r)
	}
	return out, rows.Err()
}

// interner returns one string per distinct name (kinds, severities), so a
// long scan does not allocate a string per row.
type interner map[string]string

func newInterner() interner { return interner{} }

func (n interner) of(v any) string {
	var b []byte
	switch x := v.(type) {
	case []byte:
		b = x
	case string:
		if s, ok := n[x]; ok {
			return s
		}
		n[x] = x
		return x
	}
	if s, ok := n[string(b)]; ok {
		return s
	}
	s := string(b)
	n[s] = s
	return s
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
// period, or had reported before it.
func (tx *Tx) repeatReporters(ctx context.Context, p *periodData, firstByReporter map[int64]int64) error {
	counts := map[int64]int{}
	for _, r := range p.Cases {
		counts[r.Reporter]++
	}
	for reporter, first := range firstByReporter {
		if counts[reporter] > 1 {
			p.Repeat++
			continue
		}
		var earlier int
		if err := tx.queryRow(ctx, "SELECT count(*) FROM cases WHERE reporter_id = ? AND id < ?", reporter,
			first).Scan(&earlier); err != nil {
			return err
		}
		if earlier > 0 {
			p.Repeat++
		}
	}
	return nil
}

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
