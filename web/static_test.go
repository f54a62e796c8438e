package web

import (
	"io/fs"
	"strings"
	"testing"
)

// The style sheet's blocks are closed: one missing brace (as a merge once
// left) pulls every later rule into a media query, and the page still
// loads, so nothing else would notice.
func TestStyleSheetBlocksClosed(t *testing.T) {
	b, err := fs.ReadFile(staticFS, "static/ally.css")
	if err != nil {
		t.Fatal(err)
	}
	depth := 0
	for i, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "/*") && depth != 0 {
			t.Errorf("ally.css:%d: a top-level comment inside an open block (depth %d): a brace is missing above",
				i+1, depth)
		}
		depth += strings.Count(line, "{") - strings.Count(line, "}")
		if depth < 0 {
			t.Fatalf("ally.css:%d: a closing brace too many", i+1)
		}
	}
	if depth != 0 {
		t.Fatalf("ally.css ends with %d blocks open", depth)
	}
}
