package outbox_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/outbox"
	"github.com/allydesk/ally/outbox/outboxtest"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// BenchmarkDeliver drains b.N queued messages to a local go-smtp server
// with the default batch and connection counts, and reports messages a
// second. Run: go test ./outbox -run X -bench Deliver -benchtime 5000x
func BenchmarkDeliver(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			db, dsn := openMailDB(b, engine)
			fill(b, engine, dsn, b.N)
			r := outboxtest.Start(b, "127.0.0.1:0", nil, false)
			relay, _ := outbox.ParseRelay("smtp://" + r.Addr + "?tls=none")
			w, err := outbox.New(context.Background(), outbox.Config{Queue: db, Relay: relay, From: "report@example.org"})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			start := time.Now()
			for sent := 0; sent < b.N; {
				n, err := w.RunOnce(context.Background())
				if err != nil || n == 0 {
					b.Fatalf("after %d: %d %v", sent, n, err)
				}
				sent += n
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
			b.StopTimer()
			if got := len(r.Messages()); got != b.N {
				b.Fatalf("relay got %d of %d", got, b.N)
			}
		})
	}
}

// openMailDB returns a fresh, migrated database with mail on, closed when
// b ends, and its DSN.
func openMailDB(b *testing.B, engine string) (*store.DB, string) {
	b.Helper()
	dsn := storetest.DSN(b, engine)
	db, err := store.Open(context.Background(), dsn, store.Options{Mail: mailtext.Default(), PublicURL: "https://ally.test"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	return db, dsn
}

// fill queues n messages straight into the outbox table, in one
// transaction: the benchmark measures delivery, not the events.
func fill(b *testing.B, engine, dsn string, n int) {
	b.Helper()
	driver, q := "sqlite", `INSERT INTO outbox (kind, to_addr, subject, body, status, next_at, created_at)
		VALUES ('acknowledge', ?, 'We got your report (AL-1042)', ?, 'queued', 0, ?)`
	if engine == "postgres" {
		driver, q = "pgx", `INSERT INTO outbox (kind, to_addr, subject, body, status, next_at, created_at)
		VALUES ('acknowledge', $1, 'We got your report (AL-1042)', $2, 'queued', 0, $3)`
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	tx, err := raw.Begin()
	if err != nil {
		b.Fatal(err)
	}
	_, body, _ := mailtext.Default().Render(mailtext.Acknowledge, mailtext.SampleVars)
	now := time.Now().UnixMilli()
	for i := range n {
		if _, err := tx.Exec(q, fmt.Sprintf("person%d@example.org", i), body, now); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
