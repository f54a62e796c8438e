package web

// TEMPORARY: stands in for the lead's web/server_test.go until it lands;
// delete this file then.

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

type testServer struct {
	URL string
	DB  *store.DB
	Srv *Server
}

func newTestServer(t testing.TB) *testServer {
	db := storetest.Open(t, "sqlite", store.Options{})
	srv := New(Config{Services: Services{Cases: db, Users: db, Audit: db, Tasks: db}})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testServer{URL: hs.URL, DB: db, Srv: srv}
}

func (ts *testServer) addUser(t testing.TB, email, name string, role ally.Role, dept string) string {
	pw := "password-" + email
	if _, err := ts.DB.CreateUser(context.Background(), &ally.NewUser{Email: email, Name: name, Role: role, Department: dept, Password: pw}); err != nil {
		t.Fatal(err)
	}
	return pw
}
