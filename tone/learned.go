package tone

import (
	"slices"
	"strings"
)

// vetoMinWords is the shortest sentence in which the model may excuse a
// rule: a shorter one gives it too little context to overrule ("Your fault.").
const vetoMinWords = 6

// minModelWords is the shortest sentence the model flags on its own: with
// fewer words it has too little to go on ("Someone else."). Rules and the
// organisation's examples still apply.
const minModelWords = 3

// learnedRulePrefix starts the rule id of every model finding:
// "learned-advice", "learned-threat", ...
const learnedRulePrefix = "learned-"

// connectives open a clause but carry no blame: a model finding's span
// starts after them ("but you should have..." → "you should have...").
var connectives = map[string]bool{"but": true, "however": true, "although": true, "though": true, "and": true,
	"so": true, "also": true, "yet": true}

// learned adds the model's findings: each sentence that no rule already
// marks as blame is scored; one that blames gets a finding on the clause
// that carries it, naming the kind of blame.
func (e *Engine) learned(res *Result, text string, d *doc) {
	rules := res.Findings // the rules' findings, in text order
	slices.SortStableFunc(rules, func(a, b Finding) int { return a.Start - b.Start })
	var found []Finding
	th := e.model.threshold(d)
	lo := 0
	for si := range d.sents {
		s := d.sents[si].span
		// Patterns never cross sentences: the sentence's findings are the
		// run that starts within it.
		start, end := d.toks[s.first].start, d.toks[s.last].end
		for lo < len(rules) && rules[lo].Start < start {
			lo++
		}
		hi := lo
		for hi < len(rules) && rules[hi].Start < end {
			hi++
		}
		fs := rules[lo:hi]
		if !hasLetters(d, s) {
			continue
		}
		ruled := blamedByRules(fs, d, s)
		p := e.scoreRun(d, s, fs)
		if ruled {
			e.judgeRules(fs, d, s, p)
			continue
		}
		verdict := p >= th && s.last-s.first+1 >= minModelWords
		var ex *orgExample
		if e.org != nil {
			ex = e.org.nearest(e, d, s)
			if ex != nil {
				verdict = ex.blame
			}
		}
		if !verdict {
			continue
		}
		kind := e.model.kind(d.feat.idx)
		if ex != nil && ex.kind >= 0 {
			kind = ex.kind
		}
		if promoteWarning(fs, d, s, kind) {
			continue
		}
		c := e.blamingClause(d, s, fs)
		found = append(found, e.learnedFinding(text, d, c, kind, ex))
	}
	res.Findings = append(res.Findings, found...)
}

// threshold is the model's threshold for the text: the reply threshold
// when the model scores two of its sentences or more, else the sentence
// threshold.
func (m *Model) threshold(d *doc) float32 {
	if scoredSentences(d) >= 2 {
		return m.ReplyThreshold
	}
	return m.Threshold
}

// scoredSentences counts the sentences the model may flag on its own:
// those with a letter and at least minModelWords words.
func scoredSentences(d *doc) int {
	n := 0
	for _, s := range d.sents {
		if s.last-s.first+1 >= minModelWords && hasLetters(d, s.span) {
			n++
		}
	}
	return n
}

// hasLetters reports whether a word of the span holds a letter.
func hasLetters(d *doc, s span) bool {
	for i := s.first; i <= s.last; i++ {
		if d.toks[i].letters {
			return true
		}
	}
	return false
}

// promoteWarning makes a rule's blaming warning in the sentence an error
// when the model reads the sentence as blame, so that the rule's
// explanation stands and rule and model never report the same words twice.
func promoteWarning(fs []Finding, d *doc, s span, kind int) bool {
	start, end := d.toks[s.first].start, d.toks[s.last].end
	for i := range fs {
		f := &fs[i]
		if f.Severity == SeverityWarning && IsBlaming(f.Category) && f.Start < end && f.End > start {
			f.Severity = SeverityError
			f.Message += " Here it reads as blame: " + lowerFirst(Kinds[kind].Message)
			return true
		}
	}
	return false
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// blamedByRules reports whether a rule's blaming error lies in the span.
func blamedByRules(fs []Finding, d *doc, s span) bool {
	start, end := d.toks[s.first].start, d.toks[s.last].end
	for _, f := range fs {
		if f.Severity == SeverityError && IsBlaming(f.Category) && f.Start < end && f.End > start {
			return true
		}
	}
	return false
}

// scoreRun fills d.feat with the features of the span and returns the
// probability that it blames.
func (e *Engine) scoreRun(d *doc, s span, fs []Finding) float32 {
	d.feat.mask = e.model.mask()
	d.feat.idx = d.feat.idx[:0]
	extractFeatures(d, s.first, s.last, fs, &d.feat)
	return e.model.blame(d.feat.idx)
}

// blamingClause is the clause of the sentence that scores highest, without
// a leading connective; the whole sentence when it has one clause. A clause
// of fewer than minModelWords words ("Going forward,") is only a lead-in:
// it is never the span on its own.
func (e *Engine) blamingClause(d *doc, s span, fs []Finding) span {
	sentFeat := append([]uint32(nil), d.feat.idx...)
	best, bestP := s, float32(-1)
	for ci := d.toks[s.first].clause; ci < len(d.clauses) && d.clauses[ci].first <= s.last; ci++ {
		c := d.clauses[ci]
		for c.first < c.last && connectives[d.toks[c.first].w] {
			c.first++
		}
		if c.last-c.first+1 < minModelWords {
			continue
		}
		if p := e.scoreRun(d, c, fs); p > bestP {
			best, bestP = c, p
		}
	}
	d.feat.idx = append(d.feat.idx[:0], sentFeat...)
	return best
}

// learnedFinding reports a model finding on the clause c.
func (e *Engine) learnedFinding(text string, d *doc, c span, kind int, ex *orgExample) Finding {
	k := Kinds[kind]
	a, b := d.toks[c.first], d.toks[c.last]
	f := Finding{
		Rule: learnedRulePrefix + k.ID, Category: k.Category, Severity: SeverityError,
		Start: a.start, End: b.end, Match: text[a.bstart:b.bend],
		Message: k.Message, Suggestion: wording(k.Wording, d, c),
	}
	if ex != nil {
		f.Rule = orgRule
		f.Message = "Your team marked similar wording as blaming. " + k.Message
	}
	return f
}

// wording fits a kind's kinder clause to where it goes: capitalised at the
// start of a sentence.
func wording(w string, d *doc, c span) string {
	if c.first == d.sents[d.toks[c.first].sent].first && w != "" {
		return strings.ToUpper(w[:1]) + w[1:]
	}
	return w
}

// judgeRules lets the model and the organisation excuse a rule's blame in
// the sentence: when the organisation marked similar wording as fine, or
// the model is very sure the sentence is kind (below its veto).
func (e *Engine) judgeRules(fs []Finding, d *doc, s span, p float32) {
	if e.org != nil {
		if ex := e.org.nearest(e, d, s); ex != nil {
			if !ex.blame {
				excuse(fs, d, s, "Your team marked similar wording as fine, but check it: ", nil)
			}
			return
		}
	}
	if p < e.model.Veto && e.vetoable != nil && s.last-s.first+1 >= vetoMinWords {
		excuse(fs, d, s, "This may read as fine in context, but check it: ", e.vetoable)
	}
}

// excuse turns the blaming rule errors in the span into warnings, their
// message led by why; only the rules in only, when it is not nil.
func excuse(fs []Finding, d *doc, s span, why string, only map[string]bool) {
	start, end := d.toks[s.first].start, d.toks[s.last].end
	for i := range fs {
		f := &fs[i]
		if only != nil && !only[f.Rule] {
			continue
		}
		if f.Severity == SeverityError && IsBlaming(f.Category) && f.Start < end && f.End > start {
			f.Severity = SeverityWarning
			f.Message = why + f.Message
		}
	}
}
