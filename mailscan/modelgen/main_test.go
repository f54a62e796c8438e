package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFitLearnsAndIsDeterministic: on a toy set, words only in spam get
// positive weights, words only in ham negative ones, rare words none, and
// two runs write the same bytes.
func TestFitLearnsAndIsDeterministic(t *testing.T) {
	var train []example
	for i := 0; i < 20; i++ {
		train = append(train,
			example{[]string{"w:prize", "w:claim", "w:the"}, true},
			example{[]string{"w:meeting", "w:notes", "w:the"}, false})
	}
	train = append(train, example{[]string{"w:once"}, true})
	w, bias := fit(train)
	if w["w:prize"] <= 0 || w["w:meeting"] >= 0 {
		t.Errorf("weights prize %v, meeting %v", w["w:prize"], w["w:meeting"])
	}
	if _, ok := w["w:once"]; ok {
		t.Error("a word seen in one message got a weight")
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.tsv"), filepath.Join(dir, "b.tsv")
	if err := write(a, w, bias, len(train)); err != nil {
		t.Fatal(err)
	}
	w2, bias2 := fit(train)
	if err := write(b, w2, bias2, len(train)); err != nil {
		t.Fatal(err)
	}
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	if string(da) != string(db) || !strings.Contains(string(da), "\nbias\t") {
		t.Errorf("two runs differ or lack a bias line:\n%s\n---\n%s", da, db)
	}
}
