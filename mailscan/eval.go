package mailscan

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Eval tallies how the analysis judged messages whose truth is known, so
// anyone can measure detection and false alarms on their own mail. A
// message counts as flagged when its verdict is not clean.
type Eval struct {
	Phish, PhishFlagged int
	Ham, HamFlagged     int
	// Misses are the phishing messages judged clean; FalseAlarms the
	// benign messages flagged.
	Misses, FalseAlarms []EvalCase
}

// EvalCase is one message judged wrongly.
type EvalCase struct {
	Source  string
	Score   int
	Signals []string // signal ids that fired, strongest first
}

// Add records the report of one message; phish says what it really is.
func (e *Eval) Add(r *Report, phish bool) {
	flagged := r.Verdict != VerdictClean
	c := EvalCase{Source: r.Source, Score: r.Score}
	for _, s := range r.Signals {
		c.Signals = append(c.Signals, s.ID)
	}
	if phish {
		e.Phish++
		if flagged {
			e.PhishFlagged++
		} else {
			e.Misses = append(e.Misses, c)
		}
		return
	}
	e.Ham++
	if flagged {
		e.HamFlagged++
		e.FalseAlarms = append(e.FalseAlarms, c)
	}
}

// Detection is the share of phishing flagged (0 when there was none).
func (e *Eval) Detection() float64 { return ratio(e.PhishFlagged, e.Phish) }

// FalseAlarmRate is the share of benign mail flagged.
func (e *Eval) FalseAlarmRate() float64 { return ratio(e.HamFlagged, e.Ham) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// WriteEval prints the figures, then the misses and false alarms grouped
// by the signals they carried (what the misses had is where rules are
// missing; what the false alarms had is what to make stricter), then up to
// worst individual messages of each kind.
func WriteEval(w io.Writer, e *Eval, worst int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Detection:    %d/%d phishing flagged = %.1f%%\n", e.PhishFlagged, e.Phish, 100*e.Detection())
	fmt.Fprintf(&b, "False alarms: %d/%d benign flagged = %.1f%%\n", e.HamFlagged, e.Ham, 100*e.FalseAlarmRate())
	group := func(title string, cases []EvalCase, highFirst bool) {
		if len(cases) == 0 {
			return
		}
		counts := map[string]int{}
		for _, c := range cases {
			if len(c.Signals) == 0 {
				counts["(no signal)"]++
			}
			for _, s := range c.Signals {
				counts[s]++
			}
		}
		ids := make([]string, 0, len(counts))
		for id := range counts {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool {
			if counts[ids[i]] != counts[ids[j]] {
				return counts[ids[i]] > counts[ids[j]]
			}
			return ids[i] < ids[j]
		})
		fmt.Fprintf(&b, "\n%s (%d), by signal:\n", title, len(cases))
		for _, id := range ids {
			fmt.Fprintf(&b, "  %4d  %s\n", counts[id], id)
		}
		sorted := append([]EvalCase(nil), cases...)
		sort.SliceStable(sorted, func(i, j int) bool {
			if highFirst {
				return sorted[i].Score > sorted[j].Score
			}
			return sorted[i].Score < sorted[j].Score
		})
		fmt.Fprintf(&b, "Worst %s:\n", strings.ToLower(title))
		for _, c := range sorted[:min(worst, len(sorted))] {
			fmt.Fprintf(&b, "  score %3d  %s  [%s]\n", c.Score, c.Source, strings.Join(c.Signals, " "))
		}
	}
	group("Missed phishing", e.Misses, false)
	group("False alarms", e.FalseAlarms, true)
	_, err := io.WriteString(w, b.String())
	return err
}
