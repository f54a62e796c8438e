package mailscan

import (
	"os"
	"path/filepath"
	"testing"
)

// evalRates analyses every .eml in dir and returns how many were flagged
// (verdict not clean) out of how many, listing each flagged or missed file.
func evalRates(t *testing.T, dir string, wantFlagged bool) (flagged, total int) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no eval files in %s: %v", dir, err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Analyze(raw, Options{})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		total++
		isFlagged := r.Verdict != VerdictClean
		if isFlagged {
			flagged++
		}
		if isFlagged != wantFlagged {
			t.Logf("  %s: %s (score %d) %s", filepath.Base(f), r.Verdict, r.Score, r.ResponderSummary)
		}
	}
	return flagged, total
}

// TestEval measures detection (phish judged suspicious or malicious) and
// false alarms (benign judged suspicious or malicious: "suspicious" on a
// benign message counts as a false alarm). It fails below 95% detection or
// above 2% false alarms on the tuning set; the held-out set, written before
// tuning, is reported separately and held to a looser bar.
func TestEval(t *testing.T) {
	for _, set := range []struct {
		name             string
		dir              string
		minDetect, maxFA float64
	}{
		{"tuning", "testdata/eval", 0.95, 0.02},
		{"held-out", "testdata/eval/heldout", 0.85, 0.10},
	} {
		pf, pt := evalRates(t, filepath.Join(set.dir, "phish"), true)
		bf, bt := evalRates(t, filepath.Join(set.dir, "benign"), false)
		detect, fa := float64(pf)/float64(pt), float64(bf)/float64(bt)
		t.Logf("%s set: detection %d/%d = %.1f%%, false alarms %d/%d = %.1f%%", set.name, pf, pt, 100*detect, bf, bt, 100*fa)
		if detect < set.minDetect {
			t.Errorf("%s detection %.1f%% below %.0f%%", set.name, 100*detect, 100*set.minDetect)
		}
		if fa > set.maxFA {
			t.Errorf("%s false alarms %.1f%% above %.0f%%", set.name, 100*fa, 100*set.maxFA)
		}
	}
}
