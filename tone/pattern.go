package tone

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// A pattern is a sequence of word tests and gaps, written as text:
//
//	why ~3 did|would @you      "~3" skips up to three words
//	you should have just? @pp  "just?" is optional; "@pp" names a word class
//	exfiltrat* *ing            prefix and suffix tests
//
// Words are compared lowercased, with curly apostrophes made straight.
type pattern struct {
	src   string
	elems []elem
	// stopAtNeg keeps a gap from skipping a negation word: the rule's own
	// patterns of a negatable rule, so that "HR will not be told" is not
	// "HR ~2 be told" (a negation before the match is checked apart).
	stopAtNeg bool
}

// elem is one step of a pattern: a word test, or a gap of up to gap words.
// Exact words are compiled to sorted vocabulary ids (see Engine.intern).
type elem struct {
	words    map[string]bool // exact words, until interned
	ids      []uint32        // the same words as vocabulary ids, sorted
	prefixes []string
	suffixes []string
	optional bool
	gap      int // > 0: a gap, no word test
}

func (e *elem) test(t *token) bool {
	if t.id != 0 {
		if len(e.ids) <= 8 {
			for _, id := range e.ids {
				if id == t.id {
					return true
				}
			}
		} else if _, ok := slices.BinarySearch(e.ids, t.id); ok {
			return true
		}
	}
	for _, p := range e.prefixes {
		if strings.HasPrefix(t.w, p) {
			return true
		}
	}
	for _, s := range e.suffixes {
		if strings.HasSuffix(t.w, s) && len(t.w) > len(s)+1 {
			return true
		}
	}
	return false
}

// literals are the exact words the element accepts, or nil when it also
// accepts prefixes or suffixes (such an element cannot index a pattern).
func (e *elem) literals() []string {
	if e.gap > 0 || e.optional || len(e.prefixes) > 0 || len(e.suffixes) > 0 {
		return nil
	}
	out := make([]string, 0, len(e.words))
	for w := range e.words {
		out = append(out, w)
	}
	return out
}

// compilePattern parses a pattern, expanding @class names from classes.
func compilePattern(src string, classes map[string][]string) (pattern, error) {
	p := pattern{src: src}
	for _, f := range strings.Fields(src) {
		if strings.HasPrefix(f, "~") {
			n, err := strconv.Atoi(f[1:])
			if err != nil || n < 1 || n > 8 {
				return p, fmt.Errorf("pattern %q: gap %q must be ~1 to ~8", src, f)
			}
			p.elems = append(p.elems, elem{gap: n})
			continue
		}
		e := elem{words: map[string]bool{}}
		if strings.HasSuffix(f, "?") && len(f) > 1 {
			e.optional, f = true, strings.TrimSuffix(f, "?")
		}
		if err := e.add(strings.Split(f, "|"), classes, 0); err != nil {
			return p, fmt.Errorf("pattern %q: %w", src, err)
		}
		p.elems = append(p.elems, e)
	}
	if len(p.elems) == 0 {
		return p, fmt.Errorf("pattern is empty")
	}
	if p.elems[len(p.elems)-1].gap > 0 {
		return p, fmt.Errorf("pattern %q: must not end with a gap", src)
	}
	return p, nil
}

// expandPhrases rewrites a pattern whose word is exactly "@class", for a
// class holding phrases, into one pattern per member, so that classes such
// as "any of us" can hold several words.
func expandPhrases(src string, classes map[string][]string) []string {
	fields := strings.Fields(src)
	for i, f := range fields {
		members, ok := classes[strings.TrimPrefix(f, "@")]
		if !strings.HasPrefix(f, "@") || !ok || !slices.ContainsFunc(members,
			func(m string) bool { return strings.Contains(m, " ") }) {
			continue
		}
		var out []string
		for _, m := range members {
			variant := slices.Concat(fields[:i], []string{m}, fields[i+1:])
			out = append(out, expandPhrases(strings.Join(variant, " "), classes)...)
		}
		return out
	}
	return []string{src}
}

// add puts alternatives into the element, expanding classes (to a small depth).
func (e *elem) add(alts []string, classes map[string][]string, depth int) error {
	for _, a := range alts {
		a = normaliseWord(a)
		switch {
		case a == "":
			return fmt.Errorf("empty alternative")
		case strings.HasPrefix(a, "@"):
			members, ok := classes[a[1:]]
			if !ok {
				return fmt.Errorf("unknown word class %q", a)
			}
			if depth > 3 {
				return fmt.Errorf("word class %q nests too deep", a)
			}
			if err := e.add(members, classes, depth+1); err != nil {
				return err
			}
		case strings.HasPrefix(a, "*") && len(a) > 1:
			e.suffixes = append(e.suffixes, a[1:])
		case strings.HasSuffix(a, "*") && len(a) > 1:
			e.prefixes = append(e.prefixes, a[:len(a)-1])
		case strings.ContainsAny(a, " *~?"):
			return fmt.Errorf("%q is not a single word", a)
		default:
			e.words[a] = true
		}
	}
	return nil
}

// normaliseWord lowercases a word and straightens its apostrophes, as the
// tokeniser does.
func normaliseWord(w string) string {
	w = strings.ToLower(strings.TrimSpace(w))
	return strings.NewReplacer("’", "'", "‘", "'").Replace(w)
}

// maxVariants bounds how many patterns expandOptional makes from one.
const maxVariants = 32

// expandOptional rewrites a pattern with optional words into the variants
// with and without each of them ("a b? c" → "a b c", "a c"), so that more
// patterns can be indexed by their first two words. A pattern that would
// make too many variants is kept as it is.
func expandOptional(p pattern) []pattern {
	out := []pattern{p}
	for {
		var next []pattern
		expanded := false
		for _, q := range out {
			k := slices.IndexFunc(q.elems, func(e elem) bool { return e.optional })
			if k < 0 {
				next = append(next, q)
				continue
			}
			expanded = true
			with := slices.Clone(q.elems)
			with[k].optional = false
			without := slices.Delete(slices.Clone(q.elems), k, k+1)
			for len(without) > 0 && without[len(without)-1].gap > 0 {
				without = without[:len(without)-1] // "a ~2 b?" without b is "a"
			}
			next = append(next, pattern{src: q.src, elems: with, stopAtNeg: q.stopAtNeg})
			if len(without) > 0 {
				next = append(next, pattern{src: q.src, elems: without, stopAtNeg: q.stopAtNeg})
			}
		}
		if !expanded {
			return out
		}
		if len(next) > maxVariants {
			return []pattern{p}
		}
		out = next
	}
}

// matchRest matches the pattern at token i when its first skip words are
// already known to match (it was found through the index).
func (p *pattern) matchRest(toks []token, i, hi, skip int) (int, bool) {
	return matchElems(p.elems[skip:], toks, i+skip, hi, i+skip-1, p.stopAtNeg)
}

// match tries the pattern at token i, keeping every matched token within
// [i, hi]. It returns the index of the last matched token.
func (p *pattern) match(toks []token, i, hi int) (int, bool) {
	return matchElems(p.elems, toks, i, hi, i-1, p.stopAtNeg)
}

// matchElems matches elems from token i; last is the last token matched so
// far. With stopAtNeg a gap never skips a negation word.
func matchElems(elems []elem, toks []token, i, hi, last int, stopAtNeg bool) (int, bool) {
	if len(elems) == 0 {
		return last, last >= 0
	}
	e := &elems[0]
	if e.gap > 0 {
		for skip := 0; skip <= e.gap && i+skip <= hi+1; skip++ {
			if end, ok := matchElems(elems[1:], toks, i+skip, hi, last, stopAtNeg); ok {
				return end, true
			}
			if stopAtNeg && i+skip <= hi && toks[i+skip].neg {
				break
			}
		}
		return 0, false
	}
	if i <= hi && e.test(&toks[i]) {
		if end, ok := matchElems(elems[1:], toks, i+1, hi, i, stopAtNeg); ok {
			return end, true
		}
	}
	if e.optional {
		return matchElems(elems[1:], toks, i, hi, last, stopAtNeg)
	}
	return 0, false
}

// patternSet is a list of context patterns with a quick test of which
// words can start one of them.
type patternSet struct {
	ps    []pattern
	first []uint64 // bitset of vocabulary ids that start a pattern
	loose bool     // a pattern starts with a gap, optional word, prefix or suffix
}

// build fills the start-word bitset, once all words are interned.
func (s *patternSet) build(vocabSize int) {
	s.first = make([]uint64, vocabSize/64+1)
	for k := range s.ps {
		e := &s.ps[k].elems[0]
		if e.literals() == nil {
			s.loose = true
		}
		for _, id := range e.ids {
			s.first[id/64] |= 1 << (id % 64)
		}
	}
}

// findIn reports whether a pattern matches starting in tokens [lo, hi] and
// ending by limit.
func (s *patternSet) findIn(toks []token, lo, hi, limit int) bool {
	if len(s.ps) == 0 {
		return false
	}
	for i := lo; i <= hi; i++ {
		id := toks[i].id
		if !s.loose && s.first[id/64]&(1<<(id%64)) == 0 {
			continue
		}
		for k := range s.ps {
			if _, ok := s.ps[k].match(toks, i, limit); ok {
				return true
			}
		}
	}
	return false
}

// holdsIn is findIn for a requirement: true when the set is empty.
func (s *patternSet) holdsIn(toks []token, lo, hi, limit int) bool {
	return len(s.ps) == 0 || s.findIn(toks, lo, hi, limit)
}
