package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// publicRoutes are the only routes open without signing in. A route
// registered with s.public that is not listed here fails TestEveryRouteNeedsSignIn.
var publicRoutes = map[string]bool{
	"GET /healthz": true, "GET /readyz": true, "GET /static/{name}": true, "GET /login": true,
	"POST /login": true, "POST /logout": true, "GET /api/v1/openapi.json": true, "/api/": true, "/": true,
	// Issue 14: the ways in besides a password.
	"GET /auth/oidc/start": true, "GET /auth/oidc/callback": true, "GET /auth/oidc/{provider}/start": true,
	"GET /auth/oidc/{provider}/callback": true, "POST /login/link": true, "GET /login/link/{token}": true,
	"POST /login/link/{token}": true, "GET /login/forgot": true, "POST /login/forgot": true,
	"GET /login/reset/{token}": true, "POST /login/reset/{token}": true,
	// Reporting without signing in: the handlers ask for a user unless it is on.
	"GET /report": true, "POST /report": true, "GET /follow/{token}": true,
	// The "was this you?" answer page: its signed link is the credential,
	// checked by the store before anything is read (store/signals.go).
	"GET /signals/{id}/{token}": true, "POST /signals/{id}/{token}": true,
}

// pathParam matches a path parameter such as {ref} or {$}.
var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// examplePath fills a route pattern's parameters with example values.
func examplePath(pattern string) (method, path string) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "GET", pattern
	}
	path = pathParam.ReplaceAllStringFunc(path, func(p string) string {
		if p == "{$}" {
			return ""
		}
		return "1"
	})
	return method, path
}

// TestEveryRouteNeedsSignIn walks every registered route: outside the
// public group, a request without a user is refused (401 for the API and
// for writes, a redirect to sign in for pages) before its handler runs.
func TestEveryRouteNeedsSignIn(t *testing.T) {
	ts := newTestServer(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if len(ts.Srv.routeList) < 60 {
		t.Fatalf("only %d routes registered", len(ts.Srv.routeList))
	}
	for _, rt := range ts.Srv.routeList {
		if rt.access == accessPublic {
			if !publicRoutes[rt.pattern] {
				t.Errorf("%s is registered as public but is not in publicRoutes: register it with a sign-in group", rt.pattern)
			}
			continue
		}
		method, path := examplePath(rt.pattern)
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		want := http.StatusUnauthorized
		if method == http.MethodGet && !strings.HasPrefix(path, "/api/") && path != "/metrics" {
			want = http.StatusSeeOther
			if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/login?next=") {
				t.Errorf("%s: redirected to %q, not to sign in", rt.pattern, loc)
			}
		}
		if res.StatusCode != want {
			t.Errorf("%s without signing in: %d, want %d", rt.pattern, res.StatusCode, want)
		}
	}
}

// registrars are the Server methods that add a route to its mux.
var registrars = map[string]bool{"public": true, "signedIn": true, "upload": true, "role": true, "register": true}

// TestRoutesInOnePlace reads the web package's source: every route is
// registered in routes.go, so that the route table with its groups is one
// file; a registration anywhere else fails, naming its file and line.
// (debug.go builds the separate --debug-addr listener's own mux.)
func TestRoutesInOnePlace(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || len(call.Args) < 2 {
				return true
			}
			recv, _ := sel.X.(*ast.Ident)
			registers := (recv != nil && recv.Name == "s" && registrars[sel.Sel.Name]) ||
				((sel.Sel.Name == "Handle" || sel.Sel.Name == "HandleFunc") && name != "debug.go")
			if !registers {
				return true
			}
			if name == "routes.go" {
				found++
			} else {
				t.Errorf("%s registers a route (%s); register every route in routes.go", fset.Position(call.Pos()),
					sel.Sel.Name)
			}
			return true
		})
	}
	if found < 60 {
		t.Fatalf("found only %d registrations in routes.go; is the test reading the package?", found)
	}
}

// readsUser are the only functions of the web package that may read who is
// signed in from a request's context: the sign-in groups (routes.go), the
// page layout (who to greet), and the two wrappers that choose between the
// anonymous and the signed-in way of one route (ui_follow.go, drafts.go).
// Handlers get their user from their group.
var readsUser = map[string]bool{"withUser": true, "maybeSignedIn": true, "chromeFor": true, "postReportBy": true,
	"keepingDraft": true}

// TestNoHandlerReadsTheUser reads the web package's source: outside
// readsUser, no function calls ally.UserFromContext or ally.Caller.
func TestNoHandlerReadsTheUser(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	seen := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if pkg, _ := sel.X.(*ast.Ident); pkg == nil || pkg.Name != "ally" ||
					(sel.Sel.Name != "UserFromContext" && sel.Sel.Name != "Caller") {
					return true
				}
				seen++
				if !readsUser[fn.Name.Name] {
					t.Errorf("%s: %s reads the user itself (ally.%s); register it in a sign-in group in routes.go "+
						"and take the user it passes", fset.Position(sel.Pos()), fn.Name.Name, sel.Sel.Name)
				}
				return true
			})
		}
	}
	if seen == 0 {
		t.Fatal("found no reads of the user at all; is the test reading the package?")
	}
}
