package webhook_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
	"github.com/allydesk/ally/webhook"
)

// BenchmarkDeliver queues b.N signed deliveries spread over 4 subscriptions
// to one local receiver, then times one worker (default slots: 4 per
// subscription, 32 in all) delivering them all and recording each.
//
//	go test ./webhook -run '^$' -bench Deliver -benchtime 5000x
//	ALLY_BENCH_ENGINE=postgres ALLY_TEST_POSTGRES=… go test ./webhook -run '^$' -bench Deliver -benchtime 5000x
func BenchmarkDeliver(b *testing.B) {
	engine := "sqlite"
	if e := envOr("ALLY_BENCH_ENGINE", ""); e != "" {
		engine = e
	}
	db := storetest.Open(b, engine, store.Options{PublicURL: "https://ally.test"})
	op := ally.NewOperatorContext(context.Background())
	var got atomic.Int64
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer rcv.Close()
	hooks := make([]*ally.Webhook, 4)
	for i := range hooks {
		h, err := db.CreateWebhook(op, &ally.NewWebhook{URL: rcv.URL, Events: []string{ally.EventCaseCreated}})
		if err != nil {
			b.Fatal(err)
		}
		hooks[i] = h
	}
	var wg sync.WaitGroup
	var next atomic.Int64
	for range 16 {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
				if _, err := db.TestWebhook(op, hooks[i%4].ID); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	wk, err := webhook.New(webhook.Config{Queue: db, Timing: webhook.Timing{Poll: 10 * time.Millisecond}})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cpu0 := cpuSeconds()
	b.ResetTimer()
	done := make(chan struct{})
	go func() { wk.Run(ctx); close(done) }()
	for {
		st, err := db.WebhookStats(op)
		if err != nil {
			b.Fatal(err)
		}
		if st.Delivered == b.N {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.StopTimer()
	cpu := cpuSeconds() - cpu0
	cancel()
	<-done
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
	// Per CPU-second of this process: the machine is shared, so wall-clock
	// rates say as much about the neighbours as about Ally.
	b.ReportMetric(float64(b.N)/cpu, "deliveries/cpu-s")
	b.ReportMetric(float64(got.Load()-int64(b.N)), "repeats")
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// cpuSeconds is the user and system CPU time this process has used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
