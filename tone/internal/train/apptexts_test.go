package main

import (
	"slices"
	"testing"
)

// TestAppTextsStable: Ally's own words come out in the same order on every
// call (they are trained on with ids by position, and the model must come
// out the same on every run), once each, and include the web pages' words.
func TestAppTextsStable(t *testing.T) {
	a, b := appTexts(), appTexts()
	if !slices.Equal(a, b) {
		t.Fatal("two calls gave Ally's own words in different orders")
	}
	if !slices.IsSorted(a) || len(slices.Compact(slices.Clone(a))) != len(a) {
		t.Error("Ally's own words are not sorted and unique")
	}
	if !slices.Contains(a, "Change your work password from another device. This signs the lost one out.") {
		t.Errorf("a playbook's first-aid step is missing from %d texts", len(a))
	}
}
