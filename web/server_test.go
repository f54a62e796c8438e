package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// testServer is a real Ally server on a free port over a real SQLite file.
type testServer struct {
	URL string
	DB  *store.DB
	Srv *Server
}

// testPassword is every test account's password.
const testPassword = "correct horse battery"

func newTestServer(t testing.TB) *testServer {
	t.Helper()
	return newTestServerOn(t, "sqlite")
}

// serverOver is a server with every service taken from db.
func serverOver(db *store.DB) *Server {
	return New(Config{Services: Services{Cases: db, Users: db, Audit: db, Tasks: db, Metrics: db, Attachments: db, Insights: db, Practice: db, ToneMarks: db, Retention: db, Notify: db, Links: db, Departments: db, Live: db},
		Playbooks: db.Playbooks(), Ready: db.Ping})
}

func newTestServerOn(t testing.TB, engine string) *testServer {
	t.Helper()
	db := storetest.Open(t, engine, store.Options{})
	srv := serverOver(db)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testServer{URL: hs.URL, DB: db, Srv: srv}
}

// addUser creates an account and returns its password.
func (ts *testServer) addUser(t testing.TB, email, name string, role ally.Role, dept string) string {
	t.Helper()
	if _, err := ts.DB.CreateUser(ally.NewOperatorContext(context.Background()), &ally.NewUser{Email: email, Name: name, Role: role,
		Department: dept, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	return testPassword
}

// token creates an account and returns a bearer token for it.
func (ts *testServer) token(t testing.TB, email string, role ally.Role) string {
	t.Helper()
	ts.addUser(t, email, email, role, "Dept")
	tok, err := ts.DB.CreateToken(ally.NewOperatorContext(context.Background()), email, "test")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// asUser returns a context signed in as the account with email.
func asUser(t testing.TB, ts *testServer, email string) context.Context {
	t.Helper()
	u, err := ts.DB.FindUserByEmail(ally.NewOperatorContext(context.Background()), email)
	if err != nil {
		t.Fatal(err)
	}
	return ally.NewContextWithUser(context.Background(), u)
}

var _ http.Handler = (*Server)(nil)
