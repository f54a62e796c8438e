package ally_test

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// maxLineLength is the longest line allowed in the module's non-test Go code
// (a tab counts as one character).
const maxLineLength = 120

// generated matches the standard header of generated Go files.
var generated = regexp.MustCompile(`^// Code generated .* DO NOT EDIT\.$`)

// TestNoLongLines walks the module's non-test Go files (skipping vendored,
// generated, testdata and node_modules files) and fails on any line over
// maxLineLength characters, naming the file and line.
func TestNoLongLines(t *testing.T) {
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != "." && (name == "vendor" || name == "testdata" || name == "node_modules" ||
				strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		checked++
		for _, l := range longLines(t, path) {
			t.Errorf("%s:%d is %d characters long; wrap it to %d or fewer", path, l.n, l.length, maxLineLength)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked only %d Go files; is the walk starting at the module root?", checked)
	}
}

type longLine struct{ n, length int }

// longLines returns the lines of path longer than maxLineLength, or none for
// a generated file.
func longLines(t *testing.T, path string) []longLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var long []longLine
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if generated.MatchString(line) {
			return nil
		}
		if length := utf8.RuneCountInString(line); length > maxLineLength {
			long = append(long, longLine{n, length})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return long
}
