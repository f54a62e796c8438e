package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
)

// BenchmarkAPIListCases measures a responder's API read of open cases with
// a bearer token (bench/load's commonest read): the token check, the query
// and the JSON answer.
func BenchmarkAPIListCases(b *testing.B) {
	srv, cookie, _ := benchServer(b)
	db := srv.Users.(*store.DB)
	ctx := ally.NewOperatorContext(context.Background())
	_, u, err := db.FindSession(ctx, cookie.Value)
	if err != nil {
		b.Fatal(err)
	}
	tok, err := db.CreateToken(ctx, u.Email, "bench")
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/cases?status=open", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("answered %d: %s", rec.Code, rec.Body)
		}
	}
}
