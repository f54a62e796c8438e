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

// TestCorpusEval scores the engine (rules and model) on the labelled
// corpora and fails below each one's floor: 0.95 on the main corpus; on the
// issue-17 holdouts (never trained on) a little under the figures measured
// when the model was built, so that a change that loses ground shows
// (docs/tone.md). The fresh holdouts (holdout_fresh, holdout3, holdout6, holdout8, holdout9) are sealed:
// their sentences are never logged, and their figures only when their own floor fails (since session 11:
// another set's failure used to print them, a read nobody chose); the dev sets holdout2, holdout5 and
// holdout7 log none of their sentences either, so that their misses stay unread.
func TestCorpusEval(t *testing.T) {
	for _, c := range []struct {
		file              string
		precision, recall float64
		quiet             bool // its texts are not logged
		sealed            bool // a sealed test set: its figures are logged only when its floor fails
	}{
		{"testdata/corpus.jsonl", 0.95, 0.95, false, false},
		{"testdata/corpus_holdout.jsonl", 0.95, 0.95, false, false},
		// Session 11's model: the figures measured, then the floors.
		{"corpus/holdout.jsonl", 0.97, 0.93, false, false},             // 0.993 / 0.957
		{"corpus/holdout_replies.jsonl", 0.97, 0.91, false, false},     // 1.000 / 0.933
		{"corpus/holdout2.jsonl", 0.94, 0.85, true, false},             // 0.961 / 0.879
		{"corpus/holdout2_replies.jsonl", 0.78, 0.80, true, false},     // 0.804 / 0.820
		{"corpus/holdout4_replies.jsonl", 0.97, 0.97, true, false},     // trained on since session 9: 0.992 / 1.000
		{"corpus/holdout5_replies.jsonl", 0.90, 0.78, true, false},     // dev set since session 9: 0.924 / 0.808
		{"corpus/holdout7.jsonl", 0.82, 0.77, true, false},             // report-only dev set, session 9: 0.845 / 0.800
		{"corpus/holdout7_replies.jsonl", 0.86, 0.72, true, false},     // report-only dev set, session 9: 0.882 / 0.750
		{"corpus/holdout_fresh.jsonl", 0.94, 0.89, true, true},         // sealed: 0.964 / 0.920
		{"corpus/holdout_fresh_replies.jsonl", 0.94, 0.89, true, true}, // sealed: 0.965 / 0.917
		{"corpus/holdout3.jsonl", 0.94, 0.90, true, true},              // sealed: 0.964 / 0.926
		{"corpus/holdout3_replies.jsonl", 0.92, 0.84, true, true},      // sealed: 0.945 / 0.867
		{"corpus/holdout6.jsonl", 0.97, 0.96, true, true},              // sealed: 0.990 / 0.981
		{"corpus/holdout6_replies.jsonl", 0.87, 0.82, true, true},      // sealed: 0.894 / 0.840
		{"corpus/holdout8.jsonl", 0.97, 0.95, true, true},              // sealed: 0.990 / 0.971
		{"corpus/holdout8_replies.jsonl", 0.91, 0.92, true, true},      // sealed: 0.931 / 0.940
		{"corpus/holdout9.jsonl", 0.91, 0.93, true, true},              // sealed, new in session 11: 0.935 / 0.952
		{"corpus/holdout9_replies.jsonl", 0.92, 0.88, true, true},      // sealed, new in session 11: 0.947 / 0.900
	} {
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
		if !c.sealed {
			t.Logf("%s: %d messages, precision %.3f recall %.3f F1 %.3f (TP %d FP %d TN %d FN %d)",
				c.file, len(items), rep.Precision, rep.Recall, rep.F1, rep.TP, rep.FP, rep.TN, rep.FN)
		}
		for _, m := range rep.Missed {
			if !c.quiet {
				t.Logf("  missed %s: %s", m.ID, m.Text)
			}
		}
		for _, m := range rep.FalseAlarms {
			if !c.quiet {
				t.Logf("  false alarm %s: %s", m.ID, m.Text)
			}
		}
		if rep.Precision < c.precision || rep.Recall < c.recall {
			t.Errorf("%s: precision %.3f and recall %.3f must be at least %.2f and %.2f",
				c.file, rep.Precision, rep.Recall, c.precision, c.recall)
		}
	}
}
