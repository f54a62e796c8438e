package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/allydesk/ally"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// TraceForTest swaps db's PostgreSQL pool for one that records the SQL of
// every statement it sends, BEGIN and COMMIT included. The function it
// returns gives the statements sent since its last call.
func (db *DB) TraceForTest(t testing.TB) func() []string {
	t.Helper()
	rec := &sentSQL{}
	db.traceForTest(t, rec)
	return rec.take
}

// PauseForTest swaps db's PostgreSQL pool for one that calls pause before
// sending the first statement that starts with prefix (in lower case), so
// a test can act between a transaction's statements.
func (db *DB) PauseForTest(t testing.TB, prefix string, pause func()) {
	t.Helper()
	db.traceForTest(t, &pauseSQL{prefix: prefix, pause: pause})
}

// traceForTest makes db's reads and writes go through a PostgreSQL pool
// with tracer.
func (db *DB) traceForTest(t testing.TB, tracer pgx.QueryTracer) {
	t.Helper()
	cfg, err := pgx.ParseConfig(db.dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Tracer = tracer
	old, traced := db.write, stdlib.OpenDB(*cfg)
	db.write, db.read = traced, traced
	t.Cleanup(func() { old.Close() })
}

// pauseSQL is a pgx.QueryTracer that calls pause once, before the first
// statement starting with prefix.
type pauseSQL struct {
	prefix string
	pause  func()
	once   sync.Once
}

func (p *pauseSQL) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(d.SQL)), p.prefix) {
		p.once.Do(p.pause)
	}
	return ctx
}

func (p *pauseSQL) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// sentSQL is a pgx.QueryTracer that keeps the text of each statement.
type sentSQL struct {
	mu   sync.Mutex
	sent []string
}

func (s *sentSQL) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, strings.ToLower(strings.TrimSpace(d.SQL)))
	return ctx
}

func (s *sentSQL) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (s *sentSQL) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.sent
	s.sent = nil
	return out
}

// ExecForTest runs a statement on the writer, for tests that need to put the
// database in a state the API cannot.
func (db *DB) ExecForTest(ctx context.Context, q string) error {
	_, err := db.write.ExecContext(ctx, q)
	return err
}

// IndexDefsForTest lists the secondary indexes a bulk load rebuilds.
func (db *DB) IndexDefsForTest(ctx context.Context) (map[string]string, error) {
	return db.indexDefs(ctx)
}

// CaseQueryForTest returns the SQL and arguments of a case list query.
func (db *DB) CaseQueryForTest(u *ally.User, f ally.CaseFilter) (string, []any, error) {
	q, err := db.caseQuery(u, f)
	if err != nil {
		return "", nil, err
	}
	text, args := q.sql()
	return text, args, nil
}

// QueryForTest runs a query on the writer and returns its rows as text.
func (db *DB) QueryForTest(ctx context.Context, q string, args ...any) ([][]string, error) {
	rows, err := db.write.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = v.String
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// MigrateToForTest applies the migrations up to version only, leaving the
// database as an older build made it.
func (db *DB) MigrateToForTest(ctx context.Context, version int) ([]string, error) {
	db.migrateCeiling = version
	defer func() { db.migrateCeiling = 0 }()
	return db.Migrate(ctx)
}

// TextHashForTest is what tone_examples.text_hash holds for text.
func TextHashForTest(text string) int64 { return textHash(text) }

// LatestMarksForTest returns the query that finds the tone examples of n
// text hashes, in the database's own placeholders.
func (db *DB) LatestMarksForTest(n int) string { return db.rebind(latestMarks(n)) }

// DueMailForTest returns the query that finds due outbox messages, in the
// database's own placeholders.
func (db *DB) DueMailForTest() string { return db.rebind(dueMail) }

// QueueStatsForTest returns the query that sums up a queue table (outbox,
// webhook_deliveries) for its totals.
func (db *DB) QueueStatsForTest(table string) string { return fmt.Sprintf(queueStats, table) }

// CapLimitsForTest caps the rate_limits table at n rows until t ends.
func CapLimitsForTest(t interface{ Cleanup(func()) }, n int) {
	old := maxLimitRows
	maxLimitRows = n
	t.Cleanup(func() { maxLimitRows = old })
}

// CountLimitsForTest counts the rate_limits rows.
func (db *DB) CountLimitsForTest(ctx context.Context) (n int, err error) {
	err = db.write.QueryRowContext(ctx, "SELECT count(*) FROM rate_limits").Scan(&n)
	return n, err
}

// DSNForTest is the database the store was opened on, for tests that open a
// second instance on it.
func (db *DB) DSNForTest() string { return db.dsn }

// SearchPathsForTest sets how many matches make a search dense, how many
// cases a dense search checks one by one, and how many clustered matches it
// reads by id, for tests that take every path of caseQuery.find; it returns
// a function that restores them.
func SearchPathsForTest(dense, walk, clustered int) (restore func()) {
	old := [3]int{denseSearch, walkBudget, clusteredSearch}
	denseSearch, walkBudget, clusteredSearch = dense, walk, clustered
	return func() { denseSearch, walkBudget, clusteredSearch = old[0], old[1], old[2] }
}
