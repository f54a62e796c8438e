package tone

import (
	"math"
	"strings"
)

// The learned layer reads a run of tokens (a sentence or a clause) as a bag
// of hashed features: words, word pairs and triples, character 3- to
// 5-grams across the words, the punctuation after words, and the rules'
// own findings on that run. Hashing keeps the model a fixed size and needs
// no vocabulary.

// Feature families, mixed into each hash so that equal strings of
// different families do not collide on purpose.
const (
	famWord uint64 = iota + 1
	famPair
	famTriple
	famChar
	famPunct
	famRule
	famCategory
	famShape
	famSkip   // two words with one between them
	famNeg    // a word in the reach of a negation, same clause
	famPerson // a word after "you", "we", "they"... in the same clause
	famModal  // a person with a modal verb after it: "you should", "we'll"
	famLead   // the first word of a clause
	famStem   // a word without its inflection: "clicked", "clicking" → "click"
	famStemPair
)

// Word roles for the clause-level features: who the clause is about, and
// whether it negates or puts a modal on what follows.
const (
	roleNone = iota
	roleYou
	roleWe
	roleThey
	roleNeg
	roleModal
)

var wordRoles = map[string]uint8{
	"you": roleYou, "your": roleYou, "you're": roleYou, "you've": roleYou, "you'd": roleYou, "you'll": roleYou,
	"yourself": roleYou, "u": roleYou, "ur": roleYou, "yours": roleYou,
	"we": roleWe, "we're": roleWe, "we've": roleWe, "we'll": roleWe, "we'd": roleWe, "us": roleWe, "our": roleWe,
	"i": roleWe, "i'm": roleWe, "i've": roleWe, "i'll": roleWe, "i'd": roleWe, "me": roleWe, "my": roleWe,
	"they": roleThey, "their": roleThey, "they're": roleThey, "they'd": roleThey, "he": roleThey, "she": roleThey,
	"his": roleThey, "her": roleThey, "them": roleThey, "someone": roleThey, "somebody": roleThey,
	"user": roleThey, "employee": roleThey, "staff": roleThey, "whoever": roleThey, "people": roleThey,
	"not": roleNeg, "never": roleNeg, "no": roleNeg, "nobody": roleNeg, "nothing": roleNeg, "none": roleNeg,
	"without": roleNeg, "don't": roleNeg, "didn't": roleNeg, "won't": roleNeg, "isn't": roleNeg,
	"wasn't": roleNeg, "aren't": roleNeg, "doesn't": roleNeg, "can't": roleNeg, "shouldn't": roleNeg,
	"wouldn't": roleNeg, "haven't": roleNeg, "hasn't": roleNeg, "neither": roleNeg, "cannot": roleNeg,
	"should": roleModal, "must": roleModal, "need": roleModal, "needs": roleModal, "have": roleModal,
	"ought": roleModal, "could": roleModal, "would": roleModal, "will": roleModal, "might": roleModal,
	"may": roleModal, "should've": roleModal, "would've": roleModal, "could've": roleModal, "expect": roleModal,
	"'ll": roleModal, "'d": roleModal,
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// hashString is FNV-1a over s, started from the family.
func hashString(fam uint64, s string) uint64 {
	h := uint64(fnvOffset) ^ fam*0x9E3779B97F4A7C15
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// mix combines two hashes into one (a pair of words, say).
func mix(a, b uint64) uint64 {
	h := a*0x9E3779B97F4A7C15 ^ b
	h ^= h >> 29
	h *= 0xBF58476D1CE4E5B9
	return h ^ h>>32
}

// boundary stands for the start or end of the run in word n-grams.
var boundary = hashString(famWord, "\x00")

// featureSink receives hashed features.
type featureSink interface{ add(h uint64) }

// extractFeatures sends the features of tokens [a, b] of d to sink, with
// the rule findings (from the engine's rules) whose span lies in the run.
func extractFeatures(d *doc, a, b int, findings []Finding, sink featureSink) {
	t := d.toks
	p2, p1 := boundary, boundary
	var win uint64 // the last bytes seen, for character n-grams
	nb := 0
	char := func(c byte) {
		win = win<<8 | uint64(c)
		nb++
		for n := 3; n <= 5; n++ {
			if nb >= n {
				sink.add(mix(famChar<<8|uint64(n), win&(1<<(8*n)-1)))
			}
		}
	}
	char(' ')
	var person, neg uint64 // who the clause is about; a negation in reach
	ps := boundary         // the previous word's stem
	for i := a; i <= b; i++ {
		w := t[i].w
		h := hashString(famWord, w)
		sink.add(h)
		st := hashString(famStem, stem(w))
		sink.add(st)
		sink.add(mix(famStemPair, mix(ps, st)))
		ps = st
		sink.add(mix(famPair, mix(p1, h)))
		sink.add(mix(famTriple, mix(mix(p2, p1), h)))
		if i-a >= 2 {
			sink.add(mix(famSkip, mix(p2, h)))
		}
		if i == a || t[i].clause != t[i-1].clause {
			person, neg = 0, 0
			sink.add(mix(famLead, h))
		}
		if neg != 0 {
			sink.add(mix(famNeg, h))
		}
		if person != 0 {
			sink.add(mix(famPerson, mix(person, h)))
		}
		switch role := wordRoles[w]; role {
		case roleYou, roleWe, roleThey:
			person = uint64(role)
		case roleNeg:
			neg = 1
		case roleModal:
			sink.add(mix(famModal, mix(person, h)))
		}
		p2, p1 = p1, h
		for k := 0; k < len(w); k++ {
			char(w[k])
		}
		char(' ')
		if r := t[i].after; r != 0 {
			sink.add(mix(famPunct, uint64(r)))
		}
	}
	sink.add(mix(famPair, mix(p1, boundary)))
	sink.add(mix(famTriple, mix(mix(p2, p1), boundary)))
	sink.add(mix(famShape, uint64(min(b-a+1, 40)/4)))
	if len(t) > 0 {
		start, end := t[a].start, t[b].end
		for _, f := range findings {
			if f.Start >= start && f.End <= end && f.End > f.Start {
				sink.add(hashString(famRule, f.Rule))
				sink.add(hashString(famCategory, f.Category+"/"+string(f.Severity)))
			}
		}
	}
}

// featureList collects hashed features, reduced to model buckets.
type featureList struct {
	mask uint64
	idx  []uint32
}

func (l *featureList) add(h uint64) { l.idx = append(l.idx, uint32(h&l.mask)) }

// value is the weight of each feature in a run of n: the feature vector is
// scaled to unit length so that long and short runs score alike.
func value(n int) float32 {
	if n == 0 {
		return 0
	}
	return float32(1 / math.Sqrt(float64(n)))
}

// stem drops a common English inflection from a lowercased word, so that
// "clicked", "clicking" and "clicks" share a feature. It is crude on
// purpose: it only has to be the same for the forms of one word.
func stem(w string) string {
	n := len(w)
	switch {
	case n > 5 && strings.HasSuffix(w, "ing"):
		return w[:n-3]
	case n > 4 && strings.HasSuffix(w, "ed"):
		return w[:n-2]
	case n > 4 && strings.HasSuffix(w, "ly"):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "'s"):
		return w[:n-2]
	case n > 3 && w[n-1] == 's' && w[n-2] != 's' && w[n-2] != 'u' && w[n-2] != 'i':
		return w[:n-1]
	}
	return w
}
