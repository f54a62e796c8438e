package store

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

// TestMetricsOnOneFreeConnection: the parallel parts of a report each hold
// one pooled read connection at most, so a report finishes even when every
// other connection is busy. A part that held a transaction's connection
// while waiting for a second one starved the pool: under bench/load's 200
// people, with leads opening dashboards, every request of the instance
// stalled until its client gave up (30 s).
func TestMetricsOnOneFreeConnection(t *testing.T) {
	db := openMigrated(t)
	ctx := ally.NewOperatorContext(context.Background())
	var held []*sql.Conn
	for range db.read.Stats().MaxOpenConnections - 1 {
		c, err := db.read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := db.Metrics(ctx, ally.MetricsFilter{}); err != nil {
		t.Fatalf("a report with one free connection: %v", err)
	}
}
