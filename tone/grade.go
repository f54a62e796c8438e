package tone

import (
	"math"
	"math/bits"
)

// Reporter-audience thresholds.
const (
	maxReporterGrade = 8.0
	minGradeWords    = 15 // shorter texts give unstable grades
	minNextStepWords = 12
	longSentence     = 25 // words
)

// grade is the Flesch–Kincaid grade of the text, rounded to one decimal:
// 0.39 × words per sentence + 11.8 × syllables per word − 15.59, at least 0.
func grade(d *doc) float64 {
	words, syl := 0, 0
	for i := range d.toks {
		if d.toks[i].letters {
			words++
			syl += syllables(d.toks[i].w)
		}
	}
	sents := 0
	for _, s := range d.sents {
		for k := s.first; k <= s.last; k++ {
			if d.toks[k].letters {
				sents++
				break
			}
		}
	}
	if words == 0 {
		return 0
	}
	g := 0.39*float64(words)/float64(sents) + 11.8*float64(syl)/float64(words) - 15.59
	return math.Round(max(g, 0)*10) / 10
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// syllables estimates the syllables of a lowercase word: groups of vowels,
// less a silent final "e" and the "-es"/"-ed" endings that add none.
func syllables(w string) int {
	n, prev := 0, false
	for i := 0; i < len(w); i++ {
		v := isVowel(w[i])
		if v && !prev {
			n++
		}
		prev = v
	}
	l := len(w)
	if n > 1 && l > 2 {
		switch {
		case w[l-1] == 'e' && w[l-2] != 'l' && !isVowel(w[l-2]):
			n--
		case w[l-2:] == "ed" && w[l-3] != 't' && w[l-3] != 'd',
			w[l-2:] == "es" && !isSibilant(w[l-3]):
			n--
		}
	}
	return max(n, 1)
}

func isSibilant(c byte) bool {
	return c == 's' || c == 'x' || c == 'z' || c == 'h' || c == 'c' || c == 'g'
}

func countWords(d *doc) int {
	n := 0
	for i := range d.toks {
		if d.toks[i].letters {
			n++
		}
	}
	return n
}

func longestSentence(d *doc) sentence {
	var best sentence
	for _, s := range d.sents {
		if s.last-s.first > best.last-best.first {
			best = s
		}
	}
	return best
}

// score rates the result: see docs/tone.md for the weights.
//
//	blame   = 50 per blaming error + 20 per blaming warning, at most 100
//	warmth  = 40 + 12 per kind of warmth signal − 25 per blaming error − 10 per blaming warning
//	clarity = 100 − 8 per grade point above 6 − 10 per jargon term − 5 per sentence over 25 words
//
// each clamped to 0–100. It also sets Result.Blame.
func score(res *Result, d *doc, signals uint64) Scores {
	var errs, warns, jargon int
	for _, f := range res.Findings {
		switch {
		case f.Category == CategoryJargon:
			jargon++
		case !IsBlaming(f.Category):
		case f.Severity == SeverityError:
			errs++
		case f.Severity == SeverityWarning:
			warns++
		}
	}
	res.Blame = errs > 0
	long := 0
	for _, s := range d.sents {
		if s.last-s.first+1 > longSentence {
			long++
		}
	}
	return Scores{
		Blame:   clamp(50*errs + 20*warns),
		Warmth:  clamp(40 + 12*bits.OnesCount64(signals) - 25*errs - 10*warns),
		Clarity: clamp(100 - int(math.Round(8*max(res.Grade-6, 0))) - 10*jargon - 5*long),
	}
}

func clamp(v int) int { return min(max(v, 0), 100) }
