package mailscan

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/allydesk/ally/mailscan/benchgen"
)

// TestScoredExampleSameScore: the example NewExample makes in one pass
// over the words is the one made from the default model's score, to the
// bit: the same words, n-grams and log-odds.
func TestScoredExampleSameScore(t *testing.T) {
	files, _ := filepath.Glob("testdata/eval/*/*.eml")
	more, _ := filepath.Glob("testdata/eval/heldout/*/*.eml")
	var msgs [][]byte
	for _, f := range append(files, more...) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, raw)
	}
	for i := range 40 {
		msgs = append(msgs, benchgen.Message(i))
	}
	if len(msgs) < 100 {
		t.Fatalf("only %d messages", len(msgs))
	}
	for i, raw := range msgs {
		a, err := analyse(raw, Options{})
		if err != nil {
			continue
		}
		p, _ := defaultModel.score(a.tokens, a.sig.list)
		want, got := a.example(p), a.scoredExample(defaultModel)
		if got.base != want.base || got.xg != want.xg || !slices.Equal(got.feats, want.feats) ||
			!slices.Equal(got.grams, want.grams) || !slices.Equal(got.like, want.like) {
			t.Fatalf("message %d: one-pass example differs: base %v / %v, %d / %d features", i, got.base, want.base,
				len(got.feats), len(want.feats))
		}
	}
}
