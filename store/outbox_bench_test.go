package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// BenchmarkOutboxStats reads the outbox totals (every Prometheus scrape, every
// page of the outbox) on each engine with 200,000 messages sent through the
// worker's own calls and a handful queued and failed: the history a desk
// builds up, against the few rows the totals are about.
func BenchmarkOutboxStats(b *testing.B) {
	const sent, batch = 200_000, 1000
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			op := ally.NewOperatorContext(ctx)
			db := storetest.Open(b, engine, store.Options{})
			fill := `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200010)
				INSERT INTO outbox (kind, to_addr, subject, body, status, next_at, created_at)
				SELECT 'acknowledge', 'p' || i || '@example.org', 'Your report', 'Thank you for telling us.',
				'queued', i, i FROM n`
			if err := db.ExecForTest(ctx, fill); err != nil {
				b.Fatal(err)
			}
			for done := 0; done < sent; done += batch {
				got, err := db.ClaimMail(op, batch, time.Hour)
				if err != nil {
					b.Fatal(err)
				}
				ids := make([]int64, len(got))
				for i, m := range got {
					ids[i] = m.ID
				}
				if err := db.MailSent(op, ids); err != nil {
					b.Fatal(err)
				}
			}
			if err := db.ExecForTest(ctx, "UPDATE outbox SET status = 'failed' WHERE id > 200007"); err != nil {
				b.Fatal(err)
			}
			// Autovacuum clears the sent rows' old index entries on a live
			// PostgreSQL; here it has not had time to.
			tidy := "ANALYZE"
			if db.Postgres() {
				tidy = "VACUUM ANALYZE"
			}
			if err := db.ExecForTest(ctx, tidy); err != nil {
				b.Fatal(err)
			}
			s, err := db.OutboxStats(op)
			if err != nil || s.Sent != sent || s.Queued != 7 || s.Failed != 3 {
				b.Fatalf("stats %+v %v", s, err)
			}
			for b.Loop() {
				if _, err := db.OutboxStats(op); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
