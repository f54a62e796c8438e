package main

import (
	"math"
	"testing"

	"github.com/allydesk/ally/tone"
)

// replySet is a hand-written set of whole replies, each scored p by the
// model on one sentence, labelled blame when the score is in blaming.
func replySet(scores []float64, blaming []bool) evalSet {
	s := evalSet{hand: true, replies: true}
	for i, p := range scores {
		s.items = append(s.items, tone.Labelled{Blame: blaming[i]})
		s.scores = append(s.scores, []tone.SentenceScore{{P: p, Reply: true}})
	}
	return s
}

// TestFScoreCountsTheSetsTogether: the thresholds are chosen on the dev
// sets' texts counted together, not on the set where the F-measure is
// lowest (docs/tone.md, session 11). A small set with one false alarm
// weighs by its texts, not as a whole set.
func TestFScoreCountsTheSetsTogether(t *testing.T) {
	small := replySet([]float64{0.9, 0.9}, []bool{true, false})                       // P 0.5, R 1
	large := replySet([]float64{0.9, 0.9, 0.9, 0.1}, []bool{true, true, true, false}) // P 1, R 1
	all := replySet([]float64{0.9, 0.9, 0.9, 0.9, 0.9, 0.1}, []bool{true, false, true, true, true, false})
	c := cut{sentence: 0.5, reply: 0.5, veto: 0}
	keep := func(evalSet) bool { return true }
	got := fScore([]evalSet{small, large}, keep, c)
	want := fBeta(0.8, 1, beta) // TP 4, FP 1, FN 0
	if math.Abs(got-want) > 1e-9 || math.Abs(fScore([]evalSet{all}, keep, c)-want) > 1e-9 {
		t.Errorf("fScore of the two sets = %.3f, want %.3f, their texts counted together", got, want)
	}
	// A set that is not hand-written is reported, never chosen on.
	generated := replySet([]float64{0.9}, []bool{false})
	generated.hand = false
	if g := fScore([]evalSet{small, large, generated}, keep, c); math.Abs(g-want) > 1e-9 {
		t.Errorf("a generated set counted: fScore %.3f, want %.3f", g, want)
	}
}
