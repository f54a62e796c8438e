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
			if err := db.ExecForTest(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
				INSERT INTO users (email, name, role, password_hash, created_at)
				SELECT 'r' || i || '@example.org', 'Reporter ' || i, 'reporter', '', 0 FROM n`); err != nil {
				b.Fatal(err)
			}
			ids, err := db.QueryForTest(ctx, "SELECT id FROM users WHERE role = 'reporter' ORDER BY id")
			if err != nil || len(ids) != reporters {
				b.Fatalf("%d reporters %v", len(ids), err)
			}
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
