package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/allydesk/ally/mailscan"
)

// TestFitLearnsAndIsDeterministic: on a toy set, words and n-gram buckets
// only in spam get positive weights, those only in ham negative ones, rare
// ones none, and two runs write the same bytes.
func TestFitLearnsAndIsDeterministic(t *testing.T) {
	in := func(grams []uint32, feats ...string) mailscan.ModelInput {
		return mailscan.ModelInput{Features: feats, Grams: grams, GramValue: 0.5}
	}
	var train []example
	for i := 0; i < 20; i++ {
		train = append(train,
			example{in([]uint32{5, 5, 7}, "w:prize", "w:claim", "w:the"), true},
			example{in([]uint32{9, 7}, "w:meeting", "w:notes", "w:the"), false})
	}
	train = append(train, example{in([]uint32{11}, "w:once"), true})
	m := fit(train)
	if m.w["w:prize"] <= 0 || m.w["w:meeting"] >= 0 || m.grams[5] <= 0 || m.grams[9] >= 0 {
		t.Errorf("weights prize %v, meeting %v, n-grams 5 %v, 9 %v",
			m.w["w:prize"], m.w["w:meeting"], m.grams[5], m.grams[9])
	}
	if _, ok := m.w["w:once"]; ok || m.grams[11] != 0 {
		t.Error("a word or n-gram seen in one message got a weight")
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.tsv"), filepath.Join(dir, "b.tsv")
	if err := write(a, m, len(train)); err != nil {
		t.Fatal(err)
	}
	if err := write(b, fit(train), len(train)); err != nil {
		t.Fatal(err)
	}
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	if string(da) != string(db) || !strings.Contains(string(da), "\nbias\t") || !strings.Contains(string(da), "\ng:5\t") {
		t.Errorf("two runs differ or lack a bias or n-gram line:\n%s\n---\n%s", da, db)
	}
}
