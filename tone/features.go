package tone

import (
	"math"
	"strings"
)

// The learned layer reads a run of tokens (a sentence or a clause) as a bag
// of hashed features: words, word pairs and triples, character 3- to
// 5-grams across the words, the punctuation after words, the words'
// clusters of similar words, and the rules' own findings on that run. Hashing keeps the model a fixed size and needs
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
	famClus       // a word's cluster of similar words (clusters.go)
	famClusPair   // the clusters (or words, when not in one) of two words in a row
	famClusPerson // a cluster after "you", "we", "they"... in the same clause
	famClusNeg    // a cluster in the reach of a negation
	famModalReach // a cluster after a person's modal: "you should have [checked]"
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
	extractHidden(d, a, b, findings, sink, false)
}

// extractHidden is extractFeatures that, when hide is set, shows every word
// that has a cluster and no role (not "you", "not", "should"...) only
// through its cluster's features, as a word never seen in training would
// be. Training adds such a copy of every run, so that the clusters carry
// evidence of their own instead of leaning on the words they hold.
func extractHidden(d *doc, a, b int, findings []Finding, sink featureSink, hide bool) {
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
	var person, neg uint64     // who the clause is about; a negation in reach
	var modal uint64           // a person's modal in reach ("you should"), by person
	ps := boundary             // the previous word's stem
	cq1 := boundary            // the previous word's class (below)
	hid1, hid2 := false, false // the previous words were hidden
	wc := clusters()
	for i := a; i <= b; i++ {
		w := t[i].w
		h := hashString(famWord, w)
		cl := wc.cluster(w)
		role := wordRoles[w]
		hid := hide && cl != 0 && role == roleNone
		cq := h // the word's class: its cluster, or the word itself
		if cl != 0 {
			cq = mix(famClus, uint64(cl))
			sink.add(cq)
		}
		if cl != 0 || cq1 != p1 { // not two words in no cluster: famPair has those
			sink.add(mix(famClusPair, mix(cq1, cq)))
		}
		lead := i == a || t[i].clause != t[i-1].clause
		if lead {
			person, neg, modal = 0, 0, 0
		}
		if !hid {
			sink.add(h)
			st := hashString(famStem, stem(w))
			sink.add(st)
			if !hid1 {
				sink.add(mix(famStemPair, mix(ps, st)))
				sink.add(mix(famPair, mix(p1, h)))
				if !hid2 {
					sink.add(mix(famTriple, mix(mix(p2, p1), h)))
				}
			}
			if i-a >= 2 && !hid2 {
				sink.add(mix(famSkip, mix(p2, h)))
			}
			ps = st
			if lead {
				sink.add(mix(famLead, h))
			}
			if neg != 0 {
				sink.add(mix(famNeg, h))
			}
			if person != 0 {
				sink.add(mix(famPerson, mix(person, h)))
			}
		}
		if cl != 0 {
			if neg != 0 {
				sink.add(mix(famClusNeg, cq))
			}
			if person != 0 {
				sink.add(mix(famClusPerson, mix(person, cq)))
			}
			if modal != 0 {
				sink.add(mix(famModalReach, mix(modal, cq)))
			}
		}
		switch role {
		case roleYou, roleWe, roleThey:
			person = uint64(role)
		case roleNeg:
			neg = 1
		case roleModal:
			sink.add(mix(famModal, mix(person, h)))
			modal = person + 8 // not 0 when the clause has no person yet
		}
		p2, p1 = p1, h
		cq1 = cq
		hid2, hid1 = hid1, hid
		if !hid {
			for k := 0; k < len(w); k++ {
				char(w[k])
			}
		}
		char(' ')
		if r := t[i].after; r != 0 {
			sink.add(mix(famPunct, uint64(r)))
		}
	}
	if !hid1 {
		sink.add(mix(famPair, mix(p1, boundary)))
		if !hid2 {
			sink.add(mix(famTriple, mix(mix(p2, p1), boundary)))
		}
	}
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
