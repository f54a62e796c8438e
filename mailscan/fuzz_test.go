package mailscan

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzAnalyze feeds arbitrary bytes to the parser and analyser: it must
// never panic or hang, and must return a well-formed report.
func FuzzAnalyze(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/malformed/*.eml")
	more, _ := filepath.Glob("testdata/eval/phish/0[0-4]*.eml")
	for _, p := range append(seeds, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("From: a\n\n"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: message/rfc822\n\n--x--"))
	o := Options{MaxBytes: 1 << 20, MaxParts: 50, MaxDepth: 6, MaxArchiveEntries: 50, MaxURLs: 100}
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := Analyze(raw, o)
		if err != nil {
			return
		}
		if r.Score < 0 || r.Score > 100 {
			t.Fatalf("score %d out of range", r.Score)
		}
		switch r.Verdict {
		case VerdictClean, VerdictSuspicious, VerdictMalicious:
		default:
			t.Fatalf("verdict %q", r.Verdict)
		}
		if r.ReporterSummary == "" {
			t.Fatal("empty reporter summary")
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatal(err)
		}
	})
}
