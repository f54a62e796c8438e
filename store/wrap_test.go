package store_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryMethodNamesItsErrors reads the store's own source: every
// exported function or DB method that returns an error must name its errors
// with `defer wrap(&err, "…")` as its first statement, so that a method
// added later cannot forget it.
func TestEveryMethodNamesItsErrors(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
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
			if !ok || !fn.Name.IsExported() || !onDB(fn) || !returnsError(fn) {
				continue
			}
			checked++
			if !startsWithWrap(fn) {
				t.Errorf("%s: %s does not start with defer wrap(&err, \"…\")", fset.Position(fn.Pos()), fn.Name.Name)
			}
		}
	}
	if checked < 40 {
		t.Fatalf("checked only %d functions; is the test reading the store's files?", checked)
	}
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
