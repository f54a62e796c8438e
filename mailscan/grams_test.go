package mailscan

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestWordGrams: a word's 3- to 5-grams, marked at both ends, counted in
// characters (not bytes), in range, the same every time; related forms
// share many, unrelated words few; too long a word has none.
func TestWordGrams(t *testing.T) {
	for word, want := range map[string]int{
		"ab":                                  2 + 1, // ^ab$: ^ab ab$, ^ab$
		"abc":                                 3 + 2 + 1,
		"password":                            8 + 7 + 6,
		"senhá":                               5 + 4 + 3, // 5 characters, 6 bytes
		"\xffab":                              3 + 2 + 1, // an invalid byte is one character
		strings.Repeat("a", maxUsableLen):     maxUsableLen + maxUsableLen - 1 + maxUsableLen - 2,
		strings.Repeat("a", maxUsableLen+1):   0,
		strings.Repeat("é", maxUsableLen/2+1): 0, // 26 bytes
	} {
		got := appendWordGrams(nil, word)
		if len(got) != want {
			t.Errorf("%q: %d n-grams, want %d", word, len(got), want)
		}
		for _, g := range got {
			if g >= GramBuckets {
				t.Errorf("%q: bucket %d out of range", word, g)
			}
		}
		if again := appendWordGrams(nil, word); !slices.Equal(got, again) {
			t.Errorf("%q: n-grams differ between runs", word)
		}
	}
	shared := func(a, b string) int {
		n := 0
		gb := appendWordGrams(nil, b)
		for _, g := range appendWordGrams(nil, a) {
			if slices.Contains(gb, g) {
				n++
			}
		}
		return n
	}
	if s := shared("password", "passwort"); s < 12 {
		t.Errorf("password and passwort share %d n-grams, want ≥ 12", s)
	}
	if s := shared("password", "meeting"); s > 1 {
		t.Errorf("password and meeting share %d n-grams", s)
	}
	if n := len(appendWordGrams(appendWordGrams(nil, "ab"), "abc")); n != 9 {
		t.Errorf("appending the n-grams of two words gave %d, want 9", n)
	}
	if gramValue(0, 4) != 0 || gramValue(16, 4) != 1 {
		t.Errorf("gramValue(0, 4) = %v, gramValue(16, 4) = %v", gramValue(0, 4), gramValue(16, 4))
	}
}

// gramLines writes model-file lines giving each n-gram of word weight w.
func gramLines(word string, w float64) string {
	var b strings.Builder
	for _, g := range appendWordGrams(nil, word) {
		fmt.Fprintf(&b, "g:%d\t%g\n", g, w)
	}
	return b.String()
}

// TestModelGramsExplainThroughWords: a word the model never saw whole
// scores through its n-grams, and the explanation names the word, never
// an n-gram.
func TestModelGramsExplainThroughWords(t *testing.T) {
	m, err := parseModel([]byte("bias\t-3\nw:claim\t0.5\n" + gramLines("passwort", 0.4)))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := parseModel([]byte("bias\t-3\nw:claim\t0.5\n"))
	if err != nil {
		t.Fatal(err)
	}
	tokens := tokenize("Bitte claim passwortes heute")
	p, top := m.score(tokens, nil)
	p0, _ := plain.score(tokens, nil)
	if p <= p0 {
		t.Errorf("n-grams of a related word did not raise the score: %v vs %v", p, p0)
	}
	var names []string
	for _, w := range top {
		names = append(names, w.feature)
	}
	if len(names) == 0 || names[0] != "passwortes" || slices.ContainsFunc(names, func(s string) bool {
		return strings.HasPrefix(s, "g:")
	}) {
		t.Errorf("weighed most = %v, want passwortes first and no n-gram", names)
	}
	var words int
	for _, w := range []string{"bitte", "claim", "passwortes", "heute"} {
		words += len(appendWordGrams(nil, w))
	}
	if want := 1 / (1 + math.Exp(-(-3 + 0.5 + 0.4*18*gramValue(words, gramScale)))); math.Abs(p-want) > 1e-6 {
		t.Errorf("p = %v, want %v (18 n-grams shared, weighed as one block)", p, want)
	}
	for _, bad := range []string{"g:x\t1\n", fmt.Sprintf("g:%d\t1\n", GramBuckets), "g:-1\t1\n"} {
		if _, err := parseModel([]byte(bad)); err == nil {
			t.Errorf("parseModel(%q) accepted a bad n-gram line", bad)
		}
	}
}

// TestDefaultModelHasGrams: the embedded model carries n-gram weights and
// its input names words and signals but never an n-gram.
func TestDefaultModelHasGrams(t *testing.T) {
	n := 0
	for _, w := range defaultModel.grams {
		if w != 0 {
			n++
		}
	}
	if n < 1000 {
		t.Errorf("default model has %d n-gram weights", n)
	}
	in := ModelFeatures([]byte("From: a@b.example\nSubject: verify your account\n\nVerify your password now.\n"),
		Options{})
	if len(in.Grams) == 0 || in.GramValue <= 0 || slices.ContainsFunc(in.Features, func(f string) bool {
		return !strings.HasPrefix(f, "w:") && !strings.HasPrefix(f, "s:")
	}) {
		t.Errorf("model input = %+v", in)
	}
}

// german is a hand-written phishing note in German, for n-gram learning.
func german(n string, words string) []byte {
	return []byte("From: Kundendienst <service@kontohilfe-" + n + ".example>\nSubject: Konto " + n +
		"\nMessage-ID: <" + n + "@kontohilfe.example>\n\n" + words + "\n")
}

// TestOrgModelGramsGeneralise: after the team marks a note as phishing,
// a note with other forms of its words (none the same) is pushed further
// toward phishing with n-grams than without, and the evidence names words.
func TestOrgModelGramsGeneralise(t *testing.T) {
	m := NewOrgModel()
	learned := mustExample(t, german("1", "Bestaetigen Sie Ihre Zugangsdaten sofort, sonst wird Ihr Kundenkonto gesperrt."))
	m.Learn([]*Example{learned}, []bool{true}, []string{""}, time.Now())
	if m.gramWeights() == 0 {
		t.Fatal("learning left no n-gram weights")
	}
	next := mustExample(t, german("2", "Bestaetigung der Zugangsdatenpruefung: Kundenkontos werden gesperrte."))
	with := m.delta(next)
	grams := m.grams
	m.grams = nil
	without := m.delta(next)
	m.grams = grams
	if with <= without || with-without < 0.1 {
		t.Errorf("n-grams moved the related note by %.3f (with %.3f, without %.3f)", with-without, with, without)
	}
	if got := m.weighedMost(next, 1); !strings.Contains(got, "zugangsdatenpruefung") && !strings.Contains(got,
		"kundenkontos") {
		t.Errorf("weighed most = %q, want the related words", got)
	}
	unrelated := mustExample(t, []byte("From: a@b.example\nSubject: lunch\n\nSee you at noon by the river.\n"))
	m.grams = nil
	plain := m.delta(unrelated)
	m.grams = grams
	if d := m.delta(unrelated) - plain; d > 0.05 {
		t.Errorf("n-grams pushed unrelated mail by %.3f", d)
	}
}

// withCRC appends the checksum a stored model ends with.
func withCRC(b []byte) []byte { return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b)) }

// TestOrgModelFormat1StillLoads: a model stored before n-grams (format 1:
// no n-gram section) loads with its weights, scores as it did, stores back
// in format 2 and learns n-grams from then on; a damaged n-gram section is
// refused with a reason.
func TestOrgModelFormat1StillLoads(t *testing.T) {
	b := binary.AppendUvarint([]byte(orgMagicV1), 3)
	b = binary.AppendUvarint(b, 1)
	b = binary.AppendVarint(b, 1_765_000_000_000)
	b = binary.AppendUvarint(b, 2)
	for _, f := range []struct {
		k string
		w float32
	}{{"kontohilfe", 1.5}, {"s:scam-theme", 0.75}} {
		b = appendKey(b, f.k)
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f.w))
	}
	b = binary.AppendUvarint(b, 1)
	b = appendKey(b, "from:kontohilfe.example")
	b = binary.AppendUvarint(binary.AppendUvarint(b, 3), 0)
	m, err := ParseOrgModel(withCRC(b))
	if err != nil {
		t.Fatal(err)
	}
	if m.Phish != 3 || m.Safe != 1 || m.weights["kontohilfe"] != 1.5 || m.marks["from:kontohilfe.example"].phish != 3 ||
		m.grams != nil || m.Features() != 2 {
		t.Fatalf("format 1 read as %+v", m)
	}
	e := &Example{feats: []string{"kontohilfe", "s:scam-theme", "other"}, xg: 0.1}
	if d, want := m.delta(e), 2.25/math.Sqrt(3); math.Abs(d-want) > 1e-6 {
		t.Errorf("format 1 model moves log-odds by %v, want %v as before n-grams", d, want)
	}
	stored, _ := m.MarshalBinary()
	if !bytes.HasPrefix(stored, []byte(orgMagic)) {
		t.Errorf("stored back as %q", stored[:len(orgMagic)])
	}
	m.Learn([]*Example{mustExample(t, german("3", "Zugangsdaten sofort bestaetigen"))}, []bool{true}, []string{""},
		time.Now())
	if m.gramWeights() == 0 || m.weights["kontohilfe"] == 0 {
		t.Errorf("after learning: %d n-gram weights, kontohilfe %v", m.gramWeights(), m.weights["kontohilfe"])
	}

	empty, _ := NewOrgModel().MarshalBinary()
	head := empty[:len(empty)-5] // without the n-gram count and checksum
	for name, tail := range map[string][]byte{
		"out of order": {2, 5, 0, 0, 128, 63, 0, 0, 128, 63},
		"out of range": binary.LittleEndian.AppendUint32(binary.AppendUvarint([]byte{1}, GramBuckets+1),
			math.Float32bits(1)),
		"zero weight":  {1, 1, 0, 0, 0, 0},
		"NaN weight":   binary.LittleEndian.AppendUint32([]byte{1, 1}, math.Float32bits(float32(math.NaN()))),
		"too many":     binary.AppendUvarint(nil, GramBuckets+1),
		"cut short":    {1, 1, 0, 0},
		"left over":    {0, 7},
		"missing gram": {},
	} {
		_, err := ParseOrgModel(withCRC(append(bytes.Clone(head), tail...)))
		if !errors.Is(err, errOrgModel) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := ParseOrgModel(withCRC(append(bytes.Clone(head), 1, 7, 0, 0, 128, 63))); err != nil {
		t.Errorf("one n-gram weight: %v", err)
	}
}
