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
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []*ast.FuncDecl
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
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

// TestEveryMethodChecksWhoActs reads the store's own source: every exported
// DB method that takes a context asks who acts (ally.Caller, ally.Allowed,
// or the visibleCase and visiblePractice loaders that do) before anything
// else can fail closed, except the few that sign people in and the ones that
// serve the program itself.
func TestEveryMethodChecksWhoActs(t *testing.T) {
	exempt := map[string]bool{"Authenticate": true, "CreateSession": true, "FindSession": true, "DeleteSession": true,
		"FindUserByToken": true, "Ping": true, "Migrate": true, "Open": true,
		"SignInExternal": true, "StartSSO": true, "SendLink": true, "UseTicket": true, "ResetPassword": true,
		"ReportAnonymously": true, "FollowerOf": true, "KeepDraft": true,
		"Locked": true, "Lead": true, "TakeRate": true, "SignInWait": true, "SignInFailed": true, "SignInSucceeded": true,
		// The signed answer link is the credential (store/signals.go), checked first.
		"SignalQuestion": true, "AnswerSignal": true}
	checked := 0
	for fn := range dbMethods(t) {
		params := fn.Type.Params.List
		if len(params) == 0 || exempt[fn.Name.Name] {
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
