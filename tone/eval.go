package tone

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Labelled is one message of a labelled corpus: does it blame the reader?
type Labelled struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Blame bool   `json:"blame"`
	Kind  string `json:"kind,omitempty"` // optional: the kind of blame (see Kinds)
}

// ReadLabelled reads a JSONL corpus, one Labelled object per line; blank
// lines are skipped.
func ReadLabelled(r io.Reader) ([]Labelled, error) {
	var out []Labelled
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var l Labelled
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

// EvalReport compares the engine's Result.Blame with a corpus's labels.
type EvalReport struct {
	TP, FP, TN, FN        int
	Precision, Recall, F1 float64
	Missed                []Labelled // blaming, not flagged
	FalseAlarms           []Labelled // not blaming, flagged
	// ByKind counts, per kind of blame named in the labels, the blaming
	// messages flagged and the blaming messages in all.
	ByKind map[string]KindCount
}

// KindCount is how many blaming messages of one kind were flagged, of how many.
type KindCount struct{ Caught, Total int }

// Evaluate checks every message for the given audience and scores the
// blame verdicts against the labels.
func (e *Engine) Evaluate(items []Labelled, aud Audience) EvalReport {
	rep := EvalReport{ByKind: map[string]KindCount{}}
	for _, it := range items {
		got := e.Check(it.Text, aud).Blame
		if it.Blame && it.Kind != "" {
			k := rep.ByKind[it.Kind]
			k.Total++
			if got {
				k.Caught++
			}
			rep.ByKind[it.Kind] = k
		}
		switch {
		case got && it.Blame:
			rep.TP++
		case got:
			rep.FP++
			rep.FalseAlarms = append(rep.FalseAlarms, it)
		case it.Blame:
			rep.FN++
			rep.Missed = append(rep.Missed, it)
		default:
			rep.TN++
		}
	}
	rep.Precision = ratio(rep.TP, rep.TP+rep.FP)
	rep.Recall = ratio(rep.TP, rep.TP+rep.FN)
	if rep.Precision+rep.Recall > 0 {
		rep.F1 = 2 * rep.Precision * rep.Recall / (rep.Precision + rep.Recall)
	}
	return rep
}

// ratio is a/b, or 1 when b is 0 (nothing to get wrong).
func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
