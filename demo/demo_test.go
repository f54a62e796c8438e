package demo_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/demo"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

func TestLoad(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			db := storetest.Open(t, e, store.Options{})
			ctx := ally.NewOperatorContext(context.Background())
			now := time.Now()
			if err := demo.Load(ctx, db, demo.Options{Cases: 1200, Now: now, Span: 30 * 24 * time.Hour, Seed: 7}); err != nil {
				t.Fatal(err)
			}
			as, counts, total := asLead(t, db)
			if total != 1200 || counts[ally.StatusClosed] == 0 || counts[ally.StatusNew] == 0 {
				t.Fatalf("counts = %v", counts)
			}
			page, err := db.FindCases(as, ally.CaseFilter{Limit: 1})
			if err != nil || len(page.Items) != 1 {
				t.Fatal(page, err)
			}
			tl, err := db.Timeline(as, page.Items[0].Ref, 0, 50)
			if err != nil || len(tl) == 0 {
				t.Fatal(tl, err)
			}
			n, err := demo.AttachEmails(ctx, db, now.Add(-30*24*time.Hour))
			if err != nil || n == 0 {
				t.Fatalf("attached %d emails: %v", n, err)
			}
			camps, err := db.FindCampaigns(as, 0, 50)
			if err != nil || len(camps) == 0 || len(camps) > 4 {
				t.Fatalf("campaigns from %d emails: %d %v", n, len(camps), err)
			}
			in, err := db.Insights(as, time.Time{}, time.Time{})
			if err != nil || len(in.Lures) == 0 || len(in.Pressure) == 0 || len(in.Recommendations) == 0 {
				t.Fatalf("insights on demo data: %+v %v", in, err)
			}
			// New cases after a bulk load get fresh ids.
			c, err := db.CreateCase(as, &ally.NewCase{Kind: ally.KindOther})
			if err != nil || c.Ref != ally.CaseRef(1201) {
				t.Fatalf("case after import: %+v %v", c, err)
			}
		})
	}
}

// asLead signs in as the demo lead and counts every case by status.
func asLead(t *testing.T, db *store.DB) (context.Context, map[ally.Status]int, int) {
	t.Helper()
	ctx := ally.NewOperatorContext(context.Background())
	lead, err := db.FindUserByEmail(ctx, "lee.morgan@example.com")
	if err != nil {
		t.Fatal(err)
	}
	as := ally.NewContextWithUser(ctx, lead)
	counts, err := db.CountCases(as)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	return as, counts, total
}

// TestLoadLarge takes the bulk path (indexes dropped and rebuilt): every
// case arrives, progress reaches the total before the rebuild is announced,
// and the database works normally afterwards.
func TestLoadLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 50,000 cases")
	}
	db := storetest.Open(t, "sqlite", store.Options{})
	ctx := ally.NewOperatorContext(context.Background())
	var events []string
	err := demo.Load(ctx, db, demo.Options{Cases: 50000, Now: time.Now(), Seed: 3,
		Progress: func(done, total int) { events = append(events, fmt.Sprint(done, "/", total)) },
		Indexing: func() { events = append(events, "indexing") }})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(events, " "); got != "20000/50000 40000/50000 50000/50000 indexing" {
		t.Fatalf("progress: %s", got)
	}
	as, counts, total := asLead(t, db)
	if total != 50000 {
		t.Fatalf("%d cases counted: %v", total, counts)
	}
	page, err := db.FindCases(as, ally.CaseFilter{Status: []ally.Status{ally.StatusClosed}, Kind: ally.KindClickedLink, Limit: 5})
	if err != nil || len(page.Items) != 5 {
		t.Fatalf("filtered queue after the rebuild: %v %v", page, err)
	}
	if c, err := db.CreateCase(as, &ally.NewCase{Kind: ally.KindOther}); err != nil || c.Ref != ally.CaseRef(50001) {
		t.Fatalf("case after the bulk load: %+v %v", c, err)
	}
}

// BenchmarkLoad measures what "ally demo --cases 100000" does on a fresh
// SQLite database: the demo accounts, then 100,000 cases with their
// timelines, feedback and tasks, indexes rebuilt at the end.
func BenchmarkLoad(b *testing.B) {
	const cases = 100000
	ctx := ally.NewOperatorContext(context.Background())
	for b.Loop() {
		b.StopTimer()
		db := storetest.Open(b, "sqlite", store.Options{})
		b.StartTimer()
		if err := demo.Load(ctx, db, demo.Options{Cases: cases, Now: time.Now(), Seed: 1}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(cases*b.N)/b.Elapsed().Seconds(), "cases/s")
}
