package tone

import (
	"fmt"
	"slices"
	"testing"
)

// TestMostBlamingSentenceTeaches: a blaming reply teaches through its most
// blaming sentence (MILFrom), so the kind line it opens with ("Thanks for
// letting us know.") is not learned as blame; trained as one run, it is.
func TestMostBlamingSentenceTeaches(t *testing.T) {
	var items []Labelled
	blaming := []string{
		"You should have checked the sender before clicking.",
		"This happened because you ignored the warning banner.",
		"Frankly, you of all people should know better by now.",
		"We will have to tell your manager about this lapse.",
	}
	kind := []string{
		"The filter missed it, and we have blocked the sender now.",
		"Your laptop is clean and nothing else is needed from you.",
		"We changed the password for you, so you can carry on.",
		"The link is blocked for everyone in the company today.",
	}
	for i := range 40 {
		items = append(items,
			Labelled{ID: fmt.Sprint("b", i), Text: "Thanks for letting us know. " + blaming[i%4], Blame: true},
			Labelled{ID: fmt.Sprint("k", i), Text: kind[i%4], Blame: false},
			Labelled{ID: fmt.Sprint("s", i), Text: blaming[(i+1)%4], Blame: true})
		if i%20 == 0 { // kind replies thank too, far less often
			items = append(items, Labelled{ID: fmt.Sprint("t", i), Text: "Thanks for letting us know. " + kind[i%3]})
		}
	}
	rules := Default().WithModel(nil)
	score := func(cfg TrainConfig) float64 {
		e := rules.WithModel(rules.Train(items, cfg))
		return e.SentenceScores("Thanks for letting us know.")[0].P
	}
	cfg := TrainConfig{Bits: 14, Epochs: 10, Rate: 0.1, L2: 1e-5, Seed: 5, Average: 1}
	whole := score(cfg)
	cfg.MILFrom = 2
	most := score(cfg)
	t.Logf("kind opening line: %.3f trained as one run, %.3f through the most blaming sentence", whole, most)
	if most >= 0.5 || most >= whole-0.02 {
		t.Errorf("the kind opening line scores %.3f (as one run %.3f); want under 0.5 and well under", most, whole)
	}
}

// TestMostBlamingPicksTheTopSentence: before pass MILFrom (or without it) a
// blaming reply teaches through all its words; from it on, through the
// sentence the model scores highest.
func TestMostBlamingPicksTheTopSentence(t *testing.T) {
	m := newModel(4)
	m.Weights[3] = 2 // the second sentence's word
	ex := &example{idx: []uint32{1, 3}, blame: true, alts: [][]uint32{{1}, {3}}}
	for _, c := range []struct {
		pass, from int
		want       []uint32
	}{{0, 0, ex.idx}, {5, 0, ex.idx}, {1, 2, ex.idx}, {2, 2, ex.alts[1]}, {9, 2, ex.alts[1]}} {
		if got := m.mostBlaming(ex, c.pass, c.from); !slices.Equal(got, c.want) {
			t.Errorf("pass %d, from %d: learns from %v, want %v", c.pass, c.from, got, c.want)
		}
	}
	m.Weights[1] = 3
	if got := m.mostBlaming(ex, 3, 2); !slices.Equal(got, ex.alts[0]) {
		t.Errorf("with the first sentence the more blaming, learns from %v", got)
	}
}
