package mailscan

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// TestExampleKeyUnchanged: a message's key is what it was when keys were
// first stored (hashing the parts in place must not change it), or mail
// learned before would count twice.
func TestExampleKeyUnchanged(t *testing.T) {
	old := func(parts ...string) string {
		h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
		return hex.EncodeToString(h[:16])
	}
	withID := "From: Sam <sam@example.org>\nSubject: Lunch\nMessage-ID: <42@example.org>\n\nSee you at noon.\n"
	noID := "From: Sam <sam@example.org>\nSubject: Lunch\n\nSee you at noon.\n"
	for raw, want := range map[string]string{
		withID: old("id", "42@example.org", "sam@example.org", "Lunch"),
		noID:   old("raw", noID),
	} {
		e, err := NewExample([]byte(raw), Options{})
		if err != nil || e.Key != want {
			t.Errorf("key %q, want %q (%v)", e.Key, want, err)
		}
	}
}
