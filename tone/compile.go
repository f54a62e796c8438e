package tone

import (
	"fmt"
	"strings"
)

// Context windows, in words.
const (
	beforeWindow  = 5  // how far back negations and not_before/needs_before look
	afterWindow   = 3  // how far negation_after looks
	contextWindow = 40 // how far clause and sentence conditions look, keeping Check linear
	nearbyWindow  = 8  // how far not_nearby looks, across sentences
)

// rule is a compiled RuleSpec.
type rule struct {
	RuleSpec
	patterns                   []pattern
	except, notAfter           patternSet
	notBefore, needsBefore     patternSet
	notClause, needsClause     patternSet
	notSentence, needsSentence patternSet
	notNearby                  patternSet
	negatable                  bool
	then, notThen              rune
}

func compileRule(s *RuleSpec, classes map[string][]string) (rule, error) {
	if err := s.validate(); err != nil {
		return rule{}, err
	}
	r := rule{RuleSpec: *s, negatable: s.Negatable == nil || *s.Negatable}
	if s.Then != "" {
		r.then = []rune(s.Then)[0]
	}
	if s.NotThen != "" {
		r.notThen = []rune(s.NotThen)[0]
	}
	var err error
	if r.patterns, err = compileAll(s.Patterns, classes); err != nil {
		return rule{}, fmt.Errorf("rule %s: %w", s.ID, err)
	}
	for k := range r.patterns {
		r.patterns[k].stopAtNeg = r.negatable
	}
	for _, c := range []struct {
		dst *patternSet
		src []string
	}{
		{&r.except, s.Except}, {&r.notAfter, s.NotAfter},
		{&r.notBefore, s.NotBefore}, {&r.needsBefore, s.NeedsBefore},
		{&r.notClause, s.NotInClause}, {&r.needsClause, s.NeedsInClause},
		{&r.notSentence, s.NotInSentence}, {&r.needsSentence, s.NeedsInSentence},
		{&r.notNearby, s.NotNearby},
	} {
		ps, err := compileAll(c.src, classes)
		if err != nil {
			return rule{}, fmt.Errorf("rule %s: %w", s.ID, err)
		}
		c.dst.ps = ps
	}
	return r, nil
}

func compileAll(srcs []string, classes map[string][]string) ([]pattern, error) {
	out := make([]pattern, 0, len(srcs))
	for _, src := range srcs {
		for _, v := range expandPhrases(src, classes) {
			p, err := compilePattern(v, classes)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// conditions lists the rule's context pattern sets.
func (r *rule) conditions() []*patternSet {
	return []*patternSet{&r.except, &r.notAfter, &r.notBefore, &r.needsBefore,
		&r.notClause, &r.needsClause, &r.notSentence, &r.needsSentence, &r.notNearby}
}

// accepts reports whether the candidate on tokens [i, end] counts, given its
// context.
func (r *rule) accepts(e *Engine, d *doc, i, end int) bool {
	t := d.toks
	s := d.sents[t[i].sent]
	switch {
	case r.Question && !s.question,
		r.MaxWords > 0 && s.last-s.first+1 > r.MaxWords,
		r.AtStart && i != s.first,
		r.then != 0 && t[end].after != r.then,
		r.notThen != 0 && t[end].after == r.notThen:
		return false
	}
	if r.except.findIn(t, i, i, s.last) || (end < s.last && r.notAfter.findIn(t, end+1, end+1, s.last)) {
		return false
	}
	c := d.clauses[t[i].clause]
	if cl := d.clauses[t[end].clause].last; r.NegationAfter && end < cl &&
		e.negation.findIn(t, end+1, min(cl, end+afterWindow), cl) {
		return false
	}
	blo, bhi := max(c.first, i-beforeWindow), i-1
	if (r.negatable && e.negation.findIn(t, blo, bhi, bhi)) ||
		r.notBefore.findIn(t, blo, bhi, bhi) || !r.needsBefore.holdsIn(t, blo, bhi, bhi) {
		return false
	}
	clo, chi := max(c.first, i-contextWindow), min(d.clauses[t[end].clause].last, end+contextWindow)
	if r.notClause.findIn(t, clo, chi, chi) || !r.needsClause.holdsIn(t, clo, chi, chi) {
		return false
	}
	slo, shi := max(s.first, i-contextWindow), min(s.last, end+contextWindow)
	nlo, nhi := max(0, i-nearbyWindow), min(len(t)-1, end+nearbyWindow)
	return !r.notSentence.findIn(t, slo, shi, shi) && r.needsSentence.holdsIn(t, slo, shi, shi) &&
		!r.notNearby.findIn(t, nlo, nhi, nhi)
}

// finding reports the rule on the text from token a to token b.
func (r *rule) finding(text string, a, b token) Finding {
	return Finding{
		Rule: r.ID, Category: r.Category, Severity: r.Severity,
		Start: a.start, End: b.end, Match: text[a.bstart:b.bend],
		Message: r.Message, Suggestion: r.Suggestion,
	}
}

// jargonRules turns jargon entries into reporter-audience warning rules. A
// term followed by a bracket or "which means" counts as explained.
func jargonRules(js []JargonSpec) []RuleSpec {
	out := make([]RuleSpec, 0, len(js))
	for _, j := range js {
		if len(j.Terms) == 0 {
			continue
		}
		term := displayTerm(j.Terms[0])
		out = append(out, RuleSpec{
			ID: "jargon-" + j.ID, Category: CategoryJargon, Severity: SeverityWarning, Audience: AudienceReporter,
			Message:    fmt.Sprintf("%q is security jargon that many readers will not know.", term),
			Suggestion: fmt.Sprintf("Say it plainly: %s, or explain the term in brackets.", j.Plain),
			Patterns:   j.Terms,
			NotThen:    "(",
			NotAfter:   []string{"which means|meaning|means|i.e", "in plain words|terms|english"},
			Examples: Examples{
				Match: []string{fmt.Sprintf("We found %s on your laptop.", term)},
				Clean: []string{fmt.Sprintf("We found %s (%s) on your laptop.", term, j.Plain)},
			},
		})
	}
	return out
}

// displayTerm shows a pattern as plain words, taking each step's first
// alternative: "lateral movement|move" → "lateral movement".
func displayTerm(p string) string {
	fields := strings.Fields(p)
	for i, f := range fields {
		fields[i], _, _ = strings.Cut(f, "|")
	}
	return strings.Join(fields, " ")
}
