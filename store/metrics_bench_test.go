package store_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// BenchmarkMetricsLarge reports on the last 30 days of a large database built
// with "ally demo" (ALLY_BENCH_DB=path). "warm" is a dashboard refresh, with
// the period before cached; "cold" moves the period 10 minutes each time, so
// both periods are read.
func BenchmarkMetricsLarge(b *testing.B) {
	path := os.Getenv("ALLY_BENCH_DB")
	if path == "" {
		b.Skip("set ALLY_BENCH_DB")
	}
	db, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.Run("warm", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.Metrics(ally.NewOperatorContext(context.Background()), ally.MetricsFilter{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cold", func(b *testing.B) {
		to := time.Now()
		for b.Loop() {
			to = to.Add(-10 * time.Minute)
			if _, err := db.Metrics(ally.NewOperatorContext(context.Background()), ally.MetricsFilter{From: to.AddDate(0, 0, -30), To: to}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMetricsRepeatReporters reports on the last 30 days of an
// organisation whose 1,000 reporters each reported once in the period and
// 100 times long before it (101,000 cases), on each engine: a report of few cases
// over a long history. "cold" moves the period a minute each time, so the
// period before is read too.
func BenchmarkMetricsRepeatReporters(b *testing.B) {
	const reporters, history = 1000, 100
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			now := time.Now()
			db := storetest.Open(b, engine, store.Options{Now: func() time.Time { return now }})
			ctx := ally.NewOperatorContext(context.Background())
			ids := addReporters(b, db, ctx, reporters)
			var cases []store.ImportCase
			for k := range history + 1 {
				at := now.Add(-time.Duration(history+60-k) * 24 * time.Hour) // before the period before
				if k == history {
					at = now.Add(-10 * 24 * time.Hour)
				}
				for i, id := range ids {
					reporter, _ := strconv.ParseInt(id[0], 10, 64)
					reported := at.Add(time.Duration(i) * time.Second)
					ack := reported.Add(time.Hour)
					cases = append(cases, store.ImportCase{Case: ally.Case{Kind: ally.KindSuspiciousEmail,
						Summary: "A suspicious email", Status: ally.StatusAcknowledged, Severity: ally.SeverityLow,
						ReporterID: reporter, ReportedAt: reported, AcknowledgedAt: &ack, UpdatedAt: ack}})
				}
			}
			for len(cases) > 0 {
				n := min(len(cases), 20000)
				if err := db.ImportCases(ctx, cases[:n]); err != nil {
					b.Fatal(err)
				}
				cases = cases[n:]
			}
			if err := db.ExecForTest(ctx, "ANALYZE"); err != nil {
				b.Fatal(err)
			}
			m, err := db.Metrics(ctx, ally.MetricsFilter{})
			if err != nil || m.Engagement.CasesReported != reporters || m.Engagement.RepeatReporters != reporters {
				b.Fatalf("metrics %+v %v", m.Engagement, err)
			}
			to := now
			for b.Loop() {
				to = to.Add(-time.Minute)
				if _, err := db.Metrics(ctx, ally.MetricsFilter{From: to.AddDate(0, 0, -30), To: to}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMetricsPeriod reports on the last 30 days of 50,000 cases, all
// in the period, on each engine: most acknowledged, contained and resolved,
// so that each of the four durations has a percentile over tens of
// thousands of values. The period before is cached (a dashboard refresh).
func BenchmarkMetricsPeriod(b *testing.B) {
	const cases, reporters = 50_000, 500
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			now := time.Now()
			db := storetest.Open(b, engine, store.Options{Now: func() time.Time { return now }})
			ctx := ally.NewOperatorContext(context.Background())
			ids := addReporters(b, db, ctx, reporters)
			batch := make([]store.ImportCase, 0, 10_000)
			for i := range cases {
				reporter, _ := strconv.ParseInt(ids[i%reporters][0], 10, 64)
				reported := now.Add(-29 * 24 * time.Hour).Add(time.Duration(i) * 50 * time.Second)
				at := func(minutes int) *time.Time { t := reported.Add(time.Duration(minutes) * time.Minute); return &t }
				c := ally.Case{Kind: ally.KindSuspiciousEmail, Summary: "A suspicious email", Severity: ally.SeverityLow,
					Status: ally.StatusResolved, ReporterID: reporter, ReportedAt: reported,
					OccurredAt: at(-(i*7)%600 - 1), AcknowledgedAt: at(i*13%240 + 1), ContainedAt: at(i*17%900 + 5),
					ResolvedAt: at(i*31%5000 + 60)}
				if i%10 == 0 { // still open: acknowledged only
					c.Status, c.ContainedAt, c.ResolvedAt = ally.StatusAcknowledged, nil, nil
				}
				c.UpdatedAt = reported
				batch = append(batch, store.ImportCase{Case: c})
				if len(batch) == cap(batch) {
					if err := db.ImportCases(ctx, batch); err != nil {
						b.Fatal(err)
					}
					batch = batch[:0]
				}
			}
			if err := db.ExecForTest(ctx, "ANALYZE"); err != nil {
				b.Fatal(err)
			}
			m, err := db.Metrics(ctx, ally.MetricsFilter{})
			if err != nil || m.TimeToAcknowledge.N != cases || m.TimeToResolve.N != cases*9/10 {
				b.Fatalf("metrics %+v %+v %v", m.TimeToAcknowledge, m.TimeToResolve, err)
			}
			for b.Loop() {
				if _, err := db.Metrics(ctx, ally.MetricsFilter{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// addReporters adds n reporters (r1@example.org…) in one statement and
// returns their ids, oldest first, as the store reads them.
func addReporters(b *testing.B, db *store.DB, ctx context.Context, n int) [][]string {
	b.Helper()
	if err := db.ExecForTest(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < `+
		strconv.Itoa(n)+`)
		INSERT INTO users (email, name, role, password_hash, created_at)
		SELECT 'r' || i || '@example.org', 'Reporter ' || i, 'reporter', '', 0 FROM n`); err != nil {
		b.Fatal(err)
	}
	ids, err := db.QueryForTest(ctx, "SELECT id FROM users WHERE role = 'reporter' ORDER BY id")
	if err != nil || len(ids) != n {
		b.Fatalf("%d reporters %v", len(ids), err)
	}
	return ids
}
