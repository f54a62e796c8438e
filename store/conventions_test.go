package store_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"iter"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestEveryMethodNamesItsErrors reads the store's own source: every
// exported function or DB method that returns an error must name its errors
// with `defer wrap(&err, "…")` as its first statement, so that a method
// added later cannot forget it.
func TestEveryMethodNamesItsErrors(t *testing.T) {
	checked := 0
	for fn := range dbMethods(t) {
		if !returnsError(fn) {
			continue
		}
		checked++
		if !startsWithWrap(fn) {
			t.Errorf("%s does not start with defer wrap(&err, \"…\")", fn.Name.Name)
		}
	}
	if checked < 40 {
		t.Fatalf("checked only %d functions; is the test reading the store's files?", checked)
	}
}

// dbMethods yields the store's exported package functions and DB methods,
// parsed from its source files.
func dbMethods(t *testing.T) iter.Seq[*ast.FuncDecl] {
	var out []*ast.FuncDecl
	for _, f := range parseDir(t, ".") {
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.IsExported() && onDB(fn) {
				out = append(out, fn)
			}
		}
	}
	return slices.Values(out)
}

// onDB reports whether fn is a package function or a method of *DB.
func onDB(fn *ast.FuncDecl) bool {
	if fn.Recv == nil {
		return true
	}
	star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	id, ok := star.X.(*ast.Ident)
	return ok && id.Name == "DB"
}

// actsForNobody are the DB methods taking a context that do not ask who
// acts: the ones that sign people in and the ones that serve the program
// itself.
var actsForNobody = map[string]bool{"Authenticate": true, "CreateSession": true, "FindSession": true,
	"DeleteSession": true, "FindUserByToken": true, "Ping": true, "Migrate": true, "Open": true,
	"SignInExternal": true, "StartSSO": true, "SendLink": true, "UseTicket": true, "ResetPassword": true,
	"ReportAnonymously": true, "FollowerOf": true, "KeepDraft": true,
	"Locked": true, "Lead": true, "TakeRate": true, "SignInWait": true, "SignInFailed": true, "SignInSucceeded": true,
	// The signed answer link is the credential (store/signals.go), checked first.
	"SignalQuestion": true, "AnswerSignal": true}

// TestEveryMethodChecksWhoActs reads the store's own source: every exported
// DB method that takes a context asks who acts (ally.Caller, ally.Allowed,
// or the visibleCase and visiblePractice loaders that do) before anything
// else can fail closed, except the few that sign people in and the ones that
// serve the program itself.
func TestEveryMethodChecksWhoActs(t *testing.T) {
	checked := 0
	for fn := range dbMethods(t) {
		params := fn.Type.Params.List
		if len(params) == 0 || actsForNobody[fn.Name.Name] {
			continue
		}
		if sel, ok := params[0].Type.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Context" {
			continue
		}
		checked++
		asks := false
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				switch sel.Sel.Name {
				case "Caller", "Allowed", "visibleCase", "visiblePractice":
					asks = true
				}
			}
			return !asks
		})
		if !asks {
			t.Errorf("%s takes a context but never asks who acts", fn.Name.Name)
		}
	}
	if checked < 35 {
		t.Fatalf("checked only %d methods", checked)
	}
}

func returnsError(fn *ast.FuncDecl) bool {
	res := fn.Type.Results
	if res == nil || len(res.List) == 0 {
		return false
	}
	id, ok := res.List[len(res.List)-1].Type.(*ast.Ident)
	return ok && id.Name == "error"
}

func startsWithWrap(fn *ast.FuncDecl) bool {
	if len(fn.Body.List) == 0 {
		return false
	}
	d, ok := fn.Body.List[0].(*ast.DeferStmt)
	if !ok {
		return false
	}
	id, ok := d.Call.Fun.(*ast.Ident)
	return ok && id.Name == "wrap"
}

// TestEveryServiceAsserted reads the root package's source: for every
// interface it declares, the store's source holds the compile-time check
// `_ ally.X = (*DB)(nil)`, so that a service added later is checked against
// the store as the others are.
func TestEveryServiceAsserted(t *testing.T) {
	asserted := map[string]bool{}
	for _, f := range parseDir(t, ".") {
		ast.Inspect(f, func(n ast.Node) bool {
			spec, ok := n.(*ast.ValueSpec)
			if !ok || len(spec.Values) != 1 {
				return true
			}
			sel, ok := spec.Type.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if pkg, _ := sel.X.(*ast.Ident); pkg != nil && pkg.Name == "ally" && isNilDB(spec.Values[0]) {
				asserted[sel.Sel.Name] = true
			}
			return true
		})
	}
	checked := 0
	for _, f := range parseDir(t, "..") {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, s := range g.Specs {
				ts := s.(*ast.TypeSpec)
				if _, ok := ts.Type.(*ast.InterfaceType); !ok || !ts.Name.IsExported() {
					continue
				}
				checked++
				if !asserted[ts.Name.Name] {
					t.Errorf("ally.%s has no `_ ally.%s = (*DB)(nil)` in the store", ts.Name.Name, ts.Name.Name)
				}
			}
		}
	}
	if checked < 20 {
		t.Fatalf("found only %d interfaces in the root package", checked)
	}
}

// parseDir parses the non-test Go files of dir.
func parseDir(t *testing.T, dir string) []*ast.File {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []*ast.File
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

// isNilDB reports whether e is (*DB)(nil).
func isNilDB(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return false
	}
	nilArg, _ := call.Args[0].(*ast.Ident)
	paren, _ := call.Fun.(*ast.ParenExpr)
	if nilArg == nil || nilArg.Name != "nil" || paren == nil {
		return false
	}
	star, _ := paren.X.(*ast.StarExpr)
	if star == nil {
		return false
	}
	id, _ := star.X.(*ast.Ident)
	return id != nil && id.Name == "DB"
}
