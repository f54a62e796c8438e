package store_test

import (
	"context"
	"os"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
)

// BenchmarkMetricsLarge reports on the last 30 days of a large database built
// with "ally demo" (ALLY_BENCH_DB=path).
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
	for b.Loop() {
		if _, err := db.Metrics(context.Background(), ally.MetricsFilter{}); err != nil {
			b.Fatal(err)
		}
	}
}
