package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
)

// timed runs fn once per benchmark iteration and reports its p95 (and
// p50) in milliseconds alongside Go's mean.
func timed(b *testing.B, fn func()) {
	b.Helper()
	prepared(b, nil, fn)
}

// prepared is timed with setup run before each iteration, outside the
// timing.
func prepared(b *testing.B, setup, fn func()) {
	b.Helper()
	b.ReportAllocs()
	var took []time.Duration
	for b.Loop() {
		if setup != nil {
			b.StopTimer()
			setup()
			b.StartTimer()
		}
		start := time.Now()
		fn()
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	at := func(p float64) float64 { return float64(took[int(p*float64(len(took)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(at(0.50), "p50-ms")
}

// benchGet asks the server for path as the benchmark's responder.
func benchGet(b *testing.B, srv *Server, cookie *http.Cookie, path string) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(cookie)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("%s answered %d", path, rec.Code)
	}
}

// BenchmarkQueueSorted renders the queue page (25 open cases and the
// counts) in every order, as a responder (ALLY_BENCH_DB for the 1M demo).
func BenchmarkQueueSorted(b *testing.B) {
	srv, cookie, _ := benchServer(b)
	for _, sort := range []string{"priority", "-priority", "due", "-due", "created", "-created", "updated",
		"-updated", "severity", "-severity"} {
		b.Run(sort, func(b *testing.B) {
			timed(b, func() { benchGet(b, srv, cookie, "/queue?sort="+sort) })
		})
	}
	b.Run("all-cases/-created", func(b *testing.B) {
		timed(b, func() { benchGet(b, srv, cookie, "/queue?status=all&sort=-created") })
	})
}

// BenchmarkQueueSearch searches all cases for words of different
// frequencies through GET /api/v1/cases?q= (first page, 50).
func BenchmarkQueueSearch(b *testing.B) {
	srv, cookie, _ := benchServer(b)
	// invoice, password: 115k and 75k matches; 501: about 1,100 (references
	// AL-501…, just under the dense threshold); 50: about 11,000 in one
	// range of ids (old cases, that sort last by priority, and far from the
	// newest); zzzz: none.
	for _, q := range []string{"invoice", "password", "laptop+clicked", "501", "50", "50&sort=-created",
		"50&sort=due", "50&sort=-severity", "AL-501000", "zzzz"} {
		b.Run(q, func(b *testing.B) {
			timed(b, func() { benchGet(b, srv, cookie, "/api/v1/cases?q="+q) })
		})
	}
	for _, path := range []string{"/queue?q=invoice&sort=due", "/queue?q=501&sort=-updated",
		"/queue?status=all&q=password&sort=-severity"} {
		b.Run(path, func(b *testing.B) {
			timed(b, func() { benchGet(b, srv, cookie, path) })
		})
	}
}

// BenchmarkBulkUpdate500 changes the severity of 500 open cases in one
// bulk update (alternating high and medium, so each run changes them all).
func BenchmarkBulkUpdate500(b *testing.B) {
	srv, _, _ := benchServer(b)
	ctx := ally.NewOperatorContext(context.Background())
	as := ally.NewContextWithUser(ctx, benchUser(b, srv, ally.RoleLead))
	var refs []string
	for cursor := ""; len(refs) < 500; {
		page, err := srv.Cases.FindCases(as, ally.CaseFilter{Open: true, Sort: "created", Limit: 200, Cursor: cursor})
		if err != nil || len(page.Items) == 0 {
			b.Fatalf("%d open cases: %v", len(refs), err)
		}
		for _, c := range page.Items {
			refs = append(refs, c.Ref)
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	refs = refs[:min(500, len(refs))]
	sev := []ally.Severity{ally.SeverityHigh, ally.SeverityMedium}
	i := 0
	timed(b, func() {
		res, err := srv.Cases.BulkUpdate(as, refs, ally.CaseUpdate{Severity: &sev[i%2]})
		if err != nil || !res[len(res)-1].Done {
			b.Fatal(err, res[len(res)-1])
		}
		i++
	})
}

// benchUser is an account of the demo with role.
func benchUser(b *testing.B, srv *Server, role ally.Role) *ally.User {
	b.Helper()
	users, err := srv.Users.FindUsers(ally.NewOperatorContext(context.Background()), "", ally.MaxLimit)
	if err != nil {
		b.Fatal(err)
	}
	for _, u := range users {
		if u.Role == role {
			return u
		}
	}
	b.Fatalf("the demo has no %s", role)
	return nil
}

// BenchmarkLinkDuplicates500 marks 500 new open cases duplicates of the one
// reported first among them, in one bulk link (each reporter told kindly,
// each link audited). The cases are imported before each run, untimed.
func BenchmarkLinkDuplicates500(b *testing.B) {
	srv, _, _ := benchServer(b)
	db := srv.Cases.(*store.DB)
	ctx := ally.NewOperatorContext(context.Background())
	as := ally.NewContextWithUser(ctx, benchUser(b, srv, ally.RoleLead))
	reporter := benchUser(b, srv, ally.RoleReporter)
	var refs []string
	setup := func() {
		now := time.Now()
		cases := make([]store.ImportCase, 500)
		for i := range cases {
			cases[i].Case = ally.Case{Kind: ally.KindSuspiciousEmail, Summary: "The same parcel text",
				Status: ally.StatusNew, Severity: ally.SeverityLow, ReporterID: reporter.ID,
				ReportedAt: now.Add(time.Duration(i) * time.Millisecond), UpdatedAt: now}
		}
		if err := db.ImportCases(ctx, cases); err != nil {
			b.Fatal(err)
		}
		refs = refs[:0]
		for _, c := range cases {
			refs = append(refs, c.Case.Ref)
		}
	}
	prepared(b, setup, func() {
		res, err := db.LinkDuplicates(as, refs, ally.BulkLink{})
		if err != nil || !res[0].Survivor || !res[len(res)-1].Done {
			b.Fatal(err, res[0], res[len(res)-1])
		}
	})
}
