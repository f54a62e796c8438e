package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/demo"
	"github.com/allydesk/ally/store"
)

// benchCases is how many demo cases a fresh benchmark database gets.
const benchCases = 2000

// benchServer returns a server over the database named by ALLY_BENCH_DB
// (for example one filled with `ally demo` with a million cases), or over
// a fresh one with benchCases demo cases, and a responder's session cookie
// and the reference of the queue's first case.
func benchServer(b *testing.B) (*Server, *http.Cookie, string) {
	b.Helper()
	ctx := ally.NewOperatorContext(context.Background())
	var db *store.DB
	if dsn := os.Getenv("ALLY_BENCH_DB"); dsn != "" {
		var err error
		if db, err = store.Open(ctx, dsn, store.Options{}); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
	} else {
		db = newTestServer(b).DB
		if err := demo.Load(ctx, db, demo.Options{Cases: benchCases, Span: 90 * 24 * time.Hour, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	users, err := demo.EnsureAccounts(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	var responder *ally.User
	for _, u := range users {
		if u.Role == ally.RoleResponder {
			responder = u
			break
		}
	}
	sess, err := db.CreateSession(ctx, responder.ID, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	page, err := db.FindCases(ally.NewContextWithUser(ctx, responder), ally.CaseFilter{Open: true, Sort: "priority", Limit: 1})
	if err != nil || len(page.Items) == 0 {
		b.Fatalf("no open case to show: %v", err)
	}
	srv := serverOver(db)
	return srv, &http.Cookie{Name: SessionCookie, Value: sess.Secret}, page.Items[0].Ref
}

// benchPage measures one page, from request to rendered HTML.
func benchPage(b *testing.B, srv *Server, cookie *http.Cookie, path string) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(cookie)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s answered %d", path, rec.Code)
		}
	}
}

// BenchmarkRenderQueue measures the responders' queue: open cases by
// priority, counts by status, one page of 25.
func BenchmarkRenderQueue(b *testing.B) {
	srv, cookie, _ := benchServer(b)
	benchPage(b, srv, cookie, "/queue")
}

// BenchmarkRenderCase measures a responder's case page: the case, its
// timeline, tasks, templates and the assignee list.
func BenchmarkRenderCase(b *testing.B) {
	srv, cookie, ref := benchServer(b)
	benchPage(b, srv, cookie, "/cases/"+ref)
}
