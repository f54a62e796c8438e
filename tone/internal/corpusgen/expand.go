package main

import (
	"math/rand/v2"
	"strings"
	"unicode"
)

// expander fills templates: "{a|b|c}" picks one alternative, "{NAME}" a
// member of the slot NAME (slots may hold templates themselves).
type expander struct {
	rng   *rand.Rand
	slots map[string][]string
}

func (x *expander) pick(alts []string) string { return alts[x.rng.IntN(len(alts))] }

// fill expands every brace group in t, innermost first, to a small depth.
func (x *expander) fill(t string) string {
	for depth := 0; depth < 8 && strings.Contains(t, "{"); depth++ {
		var b strings.Builder
		for {
			i := strings.IndexByte(t, '{')
			if i < 0 {
				b.WriteString(t)
				break
			}
			j := matching(t, i)
			b.WriteString(t[:i])
			inner := t[i+1 : j]
			if vals, ok := x.slots[inner]; ok {
				b.WriteString(x.pick(vals))
			} else {
				b.WriteString(x.pick(splitTop(inner)))
			}
			t = t[j+1:]
		}
		t = b.String()
	}
	return t
}

// sentence fills a template and tidies it into one sentence.
func (x *expander) sentence(t string) string {
	s := tidy(x.fill(t))
	if s != "" && !strings.ContainsAny(s[len(s)-1:], ".!?") {
		s += "."
	}
	return s
}

// matching returns the index of the brace closing the one at i.
func matching(t string, i int) int {
	depth := 0
	for j := i; j < len(t); j++ {
		switch t[j] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	panic("unbalanced braces in template: " + t)
}

// splitTop splits on "|" outside nested braces.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
		case '|':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// tidy collapses spaces, fixes spacing before punctuation and capitalises
// the first letter.
func tidy(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, p := range []string{" ,", " .", " ?", " !", " ;", " :"} {
		s = strings.ReplaceAll(s, p, p[1:])
	}
	s = strings.ReplaceAll(s, ",,", ",")
	s = strings.ReplaceAll(s, "..", ".")
	s = strings.ReplaceAll(s, ".,", ".")
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}
