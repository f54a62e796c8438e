package mailscan

import (
	"strings"
	"testing"
)

func TestEvalTallyAndReport(t *testing.T) {
	var e Eval
	e.Add(&Report{Source: "p1", Verdict: VerdictMalicious, Score: 90}, true)
	e.Add(&Report{Source: "p2", Verdict: VerdictClean, Score: 10, Signals: []Signal{{ID: "url-shortener"}}}, true)
	e.Add(&Report{Source: "p3", Verdict: VerdictClean, Score: 0}, true)
	e.Add(&Report{Source: "h1", Verdict: VerdictSuspicious, Score: 40, Signals: []Signal{{ID: "pressure"}, {ID: "url-shortener"}}}, false)
	e.Add(&Report{Source: "h2", Verdict: VerdictClean}, false)
	if e.Detection() != 1.0/3 || e.FalseAlarmRate() != 0.5 {
		t.Fatalf("detection %v, false alarms %v", e.Detection(), e.FalseAlarmRate())
	}
	var b strings.Builder
	if err := WriteEval(&b, &e, 1); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Detection:    1/3 phishing flagged = 33.3%",
		"False alarms: 1/2 benign flagged = 50.0%",
		"Missed phishing (2), by signal:\n     1  (no signal)\n     1  url-shortener\n",
		"Worst missed phishing:\n  score   0  p3  []\n",
		"Worst false alarms:\n  score  40  h1  [pressure url-shortener]\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	var empty Eval
	if empty.Detection() != 0 || empty.FalseAlarmRate() != 0 {
		t.Error("an empty tally must give zero rates, not NaN")
	}
}
