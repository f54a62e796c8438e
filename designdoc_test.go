package ally_test

import (
	"os"
	"regexp"
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
