package outbox_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/demo"
	"github.com/allydesk/ally/outbox"
	"github.com/allydesk/ally/outbox/outboxtest"
	"github.com/allydesk/ally/store/storetest"
	"github.com/allydesk/ally/web"
)

// BenchmarkQueueWhileDraining times the responders' queue page (/queue,
// over real HTTP, 2,000 demo cases) with the outbox idle, and while one
// worker drains a backlog of 100,000 messages to a local relay; it reports
// the page's p50 and p95 and how much backlog was left when timing ended
// (above 0: the drain ran all along).
// Run: go test ./outbox -run X -bench QueueWhileDraining -benchtime 400x
func BenchmarkQueueWhileDraining(b *testing.B) {
	for _, engine := range storetest.Engines() {
		for _, draining := range []bool{false, true} {
			name := engine + "/idle"
			if draining {
				name = engine + "/draining"
			}
			b.Run(name, func(b *testing.B) { queueWhileDraining(b, engine, draining) })
		}
	}
}

func queueWhileDraining(b *testing.B, engine string, draining bool) {
	ctx := ally.NewOperatorContext(context.Background())
	db, dsn := openMailDB(b, engine)
	if err := demo.Load(ctx, db, demo.Options{Cases: 2000, Now: time.Now(), Span: 30 * 24 * time.Hour, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(web.New(web.Config{Services: web.Services{Cases: db, Users: db, Audit: db, Tasks: db,
		Metrics: db, Attachments: db, Insights: db, Practice: db, Outbox: db}, Playbooks: db.Playbooks()}))
	defer srv.Close()
	token, err := db.CreateToken(ctx, "riley.chen@example.com", "bench")
	if err != nil {
		b.Fatal(err)
	}
	if draining {
		fill(b, engine, dsn, 100000)
		r := outboxtest.Start(b, "127.0.0.1:0", nil, false)
		relay, _ := outbox.ParseRelay("smtp://" + r.Addr + "?tls=none")
		w, err := outbox.New(ctx, outbox.Config{Queue: db, Relay: relay, From: "report@example.org"})
		if err != nil {
			b.Fatal(err)
		}
		runCtx, stop := context.WithCancel(ctx)
		defer stop()
		go w.Run(runCtx)
		time.Sleep(200 * time.Millisecond) // under way
	}
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		req, _ := http.NewRequest("GET", srv.URL+"/queue", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		took = append(took, time.Since(start))
		if resp.StatusCode != 200 {
			b.Fatalf("queue page: %d", resp.StatusCode)
		}
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
	if draining {
		s, _ := db.OutboxStats(ally.NewOperatorContext(ctx))
		b.ReportMetric(float64(s.Queued), "backlog-left")
	}
}
