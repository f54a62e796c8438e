package store

import (
	"strings"
	"testing"
	"unicode"
)

// FuzzSearchTerms checks that whatever is typed in the search box becomes
// only words of letters and digits (never query syntax for either engine)
// or a clear refusal.
func FuzzSearchTerms(f *testing.F) {
	for _, s := range []string{"invoice", `"a" OR b*`, "AL-1042", "x:* & !y", "請求書 zürich", strings.Repeat("a ", 9)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		terms, err := searchTerms(q)
		if err != nil {
			if len(q) <= maxSearchLen && len(strings.Fields(searchWords(q))) <= maxSearchWords {
				t.Fatalf("%q refused: %v", q, err)
			}
			return
		}
		for _, w := range terms {
			if w == "" || strings.IndexFunc(w, notWordRune) >= 0 || strings.ToLower(w) != w {
				t.Fatalf("%q: term %q is not a lower-case word", q, w)
			}
			for _, r := range w {
				if unicode.IsSpace(r) {
					t.Fatalf("%q: term %q has a space", q, w)
				}
			}
		}
	})
}
