package store_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
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
