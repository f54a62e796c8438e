package ally_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// goFileRef matches a backquoted repository path to a Go, JSON or YAML file
// in docs/design.md, such as `web/csrf.go` or `sla.go`.
var goFileRef = regexp.MustCompile("`([a-z0-9_/]+\\.(?:go|json|yaml))`")

// TestDesignDocFilesExist keeps docs/design.md's package map and "where
// is…?" table true: every file it names exists (mail/templates.yaml lives in
// the playbooks folder a lead writes, not in the repository).
func TestDesignDocFilesExist(t *testing.T) {
	doc, err := os.ReadFile("docs/design.md")
	if err != nil {
		t.Fatal(err)
	}
	refs := goFileRef.FindAllStringSubmatch(string(doc), -1)
	if len(refs) < 20 {
		t.Fatalf("docs/design.md names only %d files; is the \"where is…?\" table still there?", len(refs))
	}
	for _, m := range refs {
		path := m[1]
		if strings.HasPrefix(path, "mail/") {
			continue
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("docs/design.md names %s, which does not exist; update the doc", path)
		}
	}
}

// packageRow is one row of docs/design.md's package table: the packages it
// names ("" for the root package, a name ending in / for a folder of
// them) and the packages of ours they may import (nil with any).
type packageRow struct {
	names   []string
	imports map[string]bool
	any     bool
}

// backquoted matches a backquoted name in a table cell.
var backquoted = regexp.MustCompile("`([^`]+)`")

// packageTable reads the package table of docs/design.md.
func packageTable(t *testing.T) []packageRow {
	t.Helper()
	doc, err := os.ReadFile("docs/design.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(doc), "## Packages")
	section, _, _ = strings.Cut(section, "\n## ")
	var rows []packageRow
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, " | ")
		if !strings.HasPrefix(line, "| `") || len(cells) != 3 {
			continue
		}
		r := packageRow{imports: map[string]bool{}}
		for _, m := range backquoted.FindAllStringSubmatch(cells[0], -1) {
			r.names = append(r.names, strings.TrimPrefix(m[1], "ally"))
		}
		may := strings.TrimSuffix(strings.TrimSpace(cells[2]), " |")
		r.any = may == "any"
		if strings.HasPrefix(may, "root") {
			r.imports[""] = true
		}
		for _, m := range backquoted.FindAllStringSubmatch(may, -1) {
			r.imports[m[1]] = true
		}
		rows = append(rows, r)
	}
	if len(rows) < 25 {
		t.Fatalf("docs/design.md's package table has only %d rows", len(rows))
	}
	return rows
}

// ourImports returns the module's packages (folders of non-test Go files,
// "" for the root) with the packages of ours each imports.
func ourImports(t *testing.T) map[string][]string {
	t.Helper()
	const module = "github.com/allydesk/ally"
	out := map[string][]string{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != "." && (name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".") ||
				strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(path))
		if pkg == "." {
			pkg = ""
		}
		if _, seen := out[pkg]; !seen {
			out[pkg] = nil
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == module || strings.HasPrefix(p, module+"/") {
				out[pkg] = append(out[pkg], strings.TrimPrefix(strings.TrimPrefix(p, module), "/"))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDesignDocPackageMap keeps docs/design.md's package map true: every
// package of the module has a row, and imports only the packages of ours
// its row allows.
func TestDesignDocPackageMap(t *testing.T) {
	rows := packageTable(t)
	for pkg, imports := range ourImports(t) {
		var row *packageRow
		for i, r := range rows {
			for _, n := range r.names {
				if n == pkg || (strings.HasSuffix(n, "/") && strings.HasPrefix(pkg, n)) {
					row = &rows[i]
				}
			}
		}
		shown := pkg
		if shown == "" {
			shown = "ally (root)"
		}
		if row == nil {
			t.Errorf("package %s has no row in docs/design.md's package table", shown)
			continue
		}
		for _, imp := range imports {
			if !row.any && !row.imports[imp] {
				if imp == "" {
					imp = "the root package"
				}
				t.Errorf("package %s imports %s, which its row in docs/design.md does not allow", shown, imp)
			}
		}
	}
}
