package main

import (
	"mime"
	"net/mail"
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
			example{in([]uint32{5, 5, 7}, "w:prize", "w:claim", "w:the"), true, 1},
			example{in([]uint32{9, 7}, "w:meeting", "w:notes", "w:the"), false, 1})
	}
	train = append(train, example{in([]uint32{11}, "w:once"), true, 1})
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

// TestWrittenWeight: a heavier example moves its words further, and
// readOwn reads phish/ and benign/ with the source's weight and refuses a
// folder without samples.
func TestWrittenWeight(t *testing.T) {
	fitWith := func(w float64) float64 {
		var train []example
		for i := 0; i < 10; i++ {
			train = append(train,
				example{mailscan.ModelInput{Features: []string{"w:refund", "w:the"}}, true, w},
				example{mailscan.ModelInput{Features: []string{"w:agenda", "w:the"}}, false, 1})
		}
		return fit(train).w["w:refund"]
	}
	if light, heavy := fitWith(1), fitWith(3); heavy <= light {
		t.Errorf("weight 3 gave %v, weight 1 gave %v", heavy, light)
	}
	dir := t.TempDir()
	for _, kind := range []string{"phish", "benign"} {
		if err := os.MkdirAll(filepath.Join(dir, kind), 0o755); err != nil {
			t.Fatal(err)
		}
		msg := "From: a@b.example\r\nSubject: " + kind + "\r\n\r\nhello\r\n"
		if err := os.WriteFile(filepath.Join(dir, kind, "1.eml"), []byte(msg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ex, err := readOwn(source{dir, 2.5})
	if err != nil || len(ex) != 2 || !ex[0].spam || ex[1].spam || ex[0].weight != 2.5 {
		t.Fatalf("readOwn = %d examples, %v", len(ex), err)
	}
	if _, err := readOwn(source{t.TempDir(), 1}); err == nil {
		t.Error("an empty folder was accepted")
	}
}

// TestWrittenSetApartFromHeldOut: the written training set is the size
// its README says and shares no subject with the held-out eval set, which
// must stay unseen by the model.
func TestWrittenSetApartFromHeldOut(t *testing.T) {
	subjects := func(pattern string) map[string]bool {
		files, _ := filepath.Glob(pattern)
		got := map[string]bool{}
		for _, f := range files {
			r, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			msg, err := mail.ReadMessage(r)
			r.Close()
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			s, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			got[s] = true
		}
		return got
	}
	for _, kind := range []string{"phish", "benign"} {
		if files, _ := filepath.Glob(filepath.Join("written", kind, "*.eml")); len(files) < 250 {
			t.Errorf("written/%s has %d messages", kind, len(files))
		}
	}
	written := subjects(filepath.Join("written", "*", "*.eml"))
	for s := range subjects(filepath.Join("..", "testdata", "eval", "heldout", "*", "*.eml")) {
		if written[s] {
			t.Errorf("held-out subject %q is in the written training set", s)
		}
	}
	if len(written) < 200 {
		t.Errorf("only %d distinct subjects in the written set", len(written))
	}
}
