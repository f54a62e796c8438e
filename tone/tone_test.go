package tone

import (
	"os"
	"testing"
)

// TestRuleExamples runs every rule's match and clean examples.
func TestRuleExamples(t *testing.T) {
	failures, ran := Default().TestRules()
	if ran < 50 {
		t.Fatalf("only %d rule examples ran; the defaults should carry many more", ran)
	}
	for _, f := range failures {
		want := "flag"
		if !f.WantMatch {
			want = "leave alone"
		}
		t.Errorf("rule %s should %s %q; findings: %+v", f.Rule, want, f.Text, f.Findings)
	}
}

// TestCorpusEval scores the engine on the main labelled corpus and fails
// below 0.95 precision or recall. The held-out corpus is reported, not gated.
func TestCorpusEval(t *testing.T) {
	for _, c := range []struct {
		file string
		gate bool
	}{{"testdata/corpus.jsonl", true}, {"testdata/corpus_holdout.jsonl", false}} {
		fh, err := os.Open(c.file)
		if err != nil {
			t.Fatal(err)
		}
		items, err := ReadLabelled(fh)
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		rep := Default().Evaluate(items, AudienceReporter)
		t.Logf("%s: %d messages, precision %.3f recall %.3f F1 %.3f (TP %d FP %d TN %d FN %d)",
			c.file, len(items), rep.Precision, rep.Recall, rep.F1, rep.TP, rep.FP, rep.TN, rep.FN)
		for _, m := range rep.Missed {
			t.Logf("  missed %s: %s", m.ID, m.Text)
		}
		for _, m := range rep.FalseAlarms {
			t.Logf("  false alarm %s: %s", m.ID, m.Text)
		}
		if c.gate && (rep.Precision < 0.95 || rep.Recall < 0.95) {
			t.Errorf("%s: precision %.3f and recall %.3f must both be at least 0.95", c.file, rep.Precision, rep.Recall)
		}
	}
}
