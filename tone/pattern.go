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
}

// elem is one step of a pattern: a word test, or a gap of up to gap words.
type elem struct {
	words    map[string]bool
	prefixes []string
	suffixes []string
	optional bool
	gap      int // > 0: a gap, no word test
}

func (e *elem) test(w string) bool {
	if e.words[w] {
		return true
	}
	for _, p := range e.prefixes {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	for _, s := range e.suffixes {
		if strings.HasSuffix(w, s) && len(w) > len(s)+1 {
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
		if !strings.HasPrefix(f, "@") || !ok || !slices.ContainsFunc(members, func(m string) bool { return strings.Contains(m, " ") }) {
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

// match tries the pattern at token i, keeping every matched token within
// [i, hi]. It returns the index of the last matched token.
func (p *pattern) match(toks []token, i, hi int) (int, bool) {
	return matchElems(p.elems, toks, i, hi, i-1)
}

// matchElems matches elems from token i; last is the last token matched so far.
func matchElems(elems []elem, toks []token, i, hi, last int) (int, bool) {
	if len(elems) == 0 {
		return last, last >= 0
	}
	e := &elems[0]
	if e.gap > 0 {
		for skip := 0; skip <= e.gap && i+skip <= hi+1; skip++ {
			if end, ok := matchElems(elems[1:], toks, i+skip, hi, last); ok {
				return end, true
			}
		}
		return 0, false
	}
	if i <= hi && e.test(toks[i].w) {
		if end, ok := matchElems(elems[1:], toks, i+1, hi, i); ok {
			return end, true
		}
	}
	if e.optional {
		return matchElems(elems[1:], toks, i, hi, last)
	}
	return 0, false
}

// findIn reports whether any of the patterns matches somewhere starting in
// tokens [lo, hi] and ending by limit.
func findIn(ps []pattern, toks []token, lo, hi, limit int) bool {
	for s := lo; s <= hi; s++ {
		for k := range ps {
			if _, ok := ps[k].match(toks, s, limit); ok {
				return true
			}
		}
	}
	return false
}
