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
// (docs/tone.md). The fresh holdouts (holdout_fresh, holdout3, holdout6, holdout8) are sealed:
// only their figures are logged, never their sentences; the session-5 dev set (holdout2) logs none of its
// sentences either, so that its misses stay unread.
func TestCorpusEval(t *testing.T) {
	for _, c := range []struct {
		file              string
		precision, recall float64
		sealed            bool
	}{
		{"testdata/corpus.jsonl", 0.95, 0.95, false},
		{"testdata/corpus_holdout.jsonl", 0.95, 0.95, false},
		// Session 10's model: the figures measured, then the floors.
		{"corpus/holdout.jsonl", 0.95, 0.93, false},              // 0.971 / 0.950
		{"corpus/holdout_replies.jsonl", 0.97, 0.91, false},      // 1.000 / 0.933
		{"corpus/holdout2.jsonl", 0.93, 0.83, true},              // 0.952 / 0.857
		{"corpus/holdout2_replies.jsonl", 0.78, 0.85, true},      // 0.815 / 0.880
		{"corpus/holdout4_replies.jsonl", 0.96, 0.97, true},      // trained on since session 9: 0.992 / 0.992
		{"corpus/holdout5_replies.jsonl", 0.90, 0.79, true},      // dev set since session 9: 0.925 / 0.817
		{"corpus/holdout7.jsonl", 0.80, 0.71, true},              // report-only dev set, session 9: 0.821 / 0.733
		{"corpus/holdout7_replies.jsonl", 0.82, 0.72, true},      // report-only dev set, session 9: 0.848 / 0.742
		{"corpus/holdout_fresh.jsonl", 0.94, 0.86, true},         // sealed: 0.963 / 0.880
		{"corpus/holdout_fresh_replies.jsonl", 0.95, 0.83, true}, // sealed: 0.981 / 0.850
		{"corpus/holdout3.jsonl", 0.93, 0.89, true},              // sealed: 0.958 / 0.920
		{"corpus/holdout3_replies.jsonl", 0.90, 0.86, true},      // sealed: 0.930 / 0.883
		{"corpus/holdout6.jsonl", 0.94, 0.94, true},              // sealed: 0.962 / 0.962
		{"corpus/holdout6_replies.jsonl", 0.88, 0.82, true},      // sealed: 0.903 / 0.840
		{"corpus/holdout8.jsonl", 0.96, 0.92, true},              // sealed, new in session 10: 0.990 / 0.943
		{"corpus/holdout8_replies.jsonl", 0.87, 0.90, true},      // sealed, new in session 10: 0.894 / 0.930
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
		t.Logf("%s: %d messages, precision %.3f recall %.3f F1 %.3f (TP %d FP %d TN %d FN %d)",
			c.file, len(items), rep.Precision, rep.Recall, rep.F1, rep.TP, rep.FP, rep.TN, rep.FN)
		for _, m := range rep.Missed {
			if !c.sealed {
				t.Logf("  missed %s: %s", m.ID, m.Text)
			}
		}
		for _, m := range rep.FalseAlarms {
			if !c.sealed {
				t.Logf("  false alarm %s: %s", m.ID, m.Text)
			}
		}
		if rep.Precision < c.precision || rep.Recall < c.recall {
			t.Errorf("%s: precision %.3f and recall %.3f must be at least %.2f and %.2f",
				c.file, rep.Precision, rep.Recall, c.precision, c.recall)
		}
	}
}
