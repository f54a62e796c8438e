package tone

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
)

//go:embed rules.yaml
var defaultRulesYAML []byte

// Engine checks texts against a compiled rule set. It is safe for concurrent use.
type Engine struct {
	rules    []rule
	vocab    map[string]uint32 // every exact word the patterns name → id (from 1)
	index    [][]hit           // by vocabulary id of a pattern's first word
	index2   map[uint64][]hit  // by the ids of a pattern's first two words (see pairKey)
	paired   []bool            // by id: some pattern in index2 starts with this word
	nextStep int               // bit of the "next-step" signal, -1 if none
	negation patternSet
	negIDs   []bool          // by id: the word is a negation (the rest end in a suffix of the class)
	grade    *rule           // "reading-grade", if present
	noStep   *rule           // "no-next-step", if present
	model    *Model          // the learned layer, nil for none
	org      *OrgLayer       // the organisation's examples, nil for none
	vetoable map[string]bool // rules the model may excuse: the built-in ones it was trained with
	pool     *sync.Pool
}

// hit is a pattern indexed under its first word (or first two): a rule's
// pattern, or a warmth signal's (rule < 0).
type hit struct {
	rule, signal int
	pat          *pattern
}

// pairKey indexes a pattern by its first two words.
func pairKey(a, b uint32) uint64 { return uint64(a)<<32 | uint64(b) }

// The rules with these ids have no patterns: the engine computes them.
const (
	ruleReadingGrade = "reading-grade"
	ruleNoNextStep   = "no-next-step"
	signalNextStep   = "next-step"
)

var (
	defaultOnce   sync.Once
	defaultEngine *Engine
	defaultFile   *RuleFile
	defaultModel  *Model
)

// Default returns the engine built from the embedded rules, compiled once.
func Default() *Engine {
	defaultOnce.Do(func() {
		f, err := ParseRules(bytes.NewReader(defaultRulesYAML))
		if err == nil {
			defaultEngine, err = Compile(f)
		}
		if err != nil {
			panic("tone: embedded rules are broken: " + err.Error())
		}
		defaultFile = f
		if defaultModel, err = ReadModel(bytes.NewReader(defaultModelGz)); err != nil {
			// Only a build without `go generate ./tone/...` gets here.
			slog.Warn("tone: the embedded model cannot be read; checking with the rules only", "error", err)
		}
		defaultEngine.model = defaultModel
		defaultEngine.vetoable = map[string]bool{}
		for _, r := range f.Rules {
			defaultEngine.vetoable[r.ID] = true
		}
	})
	return defaultEngine
}

// Load reads a user's rule file and merges it with the embedded defaults
// (see Merge): a rule with a default's id replaces it, others are added.
func Load(r io.Reader) (*Engine, error) {
	Default()
	f, err := ParseRules(r)
	if err != nil {
		return nil, err
	}
	e, err := Compile(Merge(defaultFile, f))
	if err != nil {
		return nil, err
	}
	e = e.WithModel(defaultModel)
	e.vetoable = maps.Clone(defaultEngine.vetoable)
	for _, r := range f.Rules {
		delete(e.vetoable, r.ID) // the user's own rules stand as written
	}
	return e, nil
}

// WithModel returns an engine sharing this one's rules that uses the model
// as its learned layer (nil: rules only).
func (e *Engine) WithModel(m *Model) *Engine {
	c := *e
	c.model, c.org = m, nil
	return &c
}

// Model returns the engine's learned layer, nil when it has none.
func (e *Engine) Model() *Model { return e.model }

// Compile builds an engine from a complete rule file.
func Compile(f *RuleFile) (*Engine, error) {
	e := &Engine{vocab: map[string]uint32{}, index: [][]hit{nil}, index2: map[uint64][]hit{}, nextStep: -1,
		pool: &sync.Pool{New: func() any { return new(doc) }}}
	neg, err := compileAll([]string{"@negation"}, f.Classes)
	if err != nil {
		return nil, fmt.Errorf("the word class \"negation\" is required: %w", err)
	}
	e.negation = patternSet{ps: neg}
	e.intern(neg)
	specs := append(jargonRules(f.Jargon), f.Rules...)
	seen := map[string]bool{}
	for i := range specs {
		s := &specs[i]
		if seen[s.ID] {
			return nil, fmt.Errorf("rule %s is defined twice", s.ID)
		}
		seen[s.ID] = true
		r, err := compileRule(s, f.Classes)
		if err != nil {
			return nil, err
		}
		r.patterns = expandAll(r.patterns)
		e.intern(r.patterns)
		for _, c := range r.conditions() {
			e.intern(c.ps)
		}
		e.rules = append(e.rules, r)
	}
	e.paired = make([]bool, len(e.index))
	for i := range e.rules {
		r := &e.rules[i]
		switch r.ID {
		case ruleReadingGrade:
			e.grade = r
		case ruleNoNextStep:
			e.noStep = r
		}
		if len(r.patterns) == 0 && r.ID != ruleReadingGrade && r.ID != ruleNoNextStep {
			return nil, fmt.Errorf("rule %s has no patterns", r.ID)
		}
		for k := range r.patterns {
			if err := e.indexPattern(hit{rule: i, pat: &r.patterns[k]}); err != nil {
				return nil, fmt.Errorf("rule %s: %w", r.ID, err)
			}
		}
	}
	if err := e.compileSignals(f); err != nil {
		return nil, err
	}
	e.aliasContractions()
	e.negation.build(len(e.index))
	e.negIDs = make([]bool, len(e.index))
	for _, id := range e.negation.ps[0].elems[0].ids {
		e.negIDs[id] = true
	}
	for i := range e.rules {
		for _, c := range e.rules[i].conditions() {
			c.build(len(e.index))
		}
	}
	return e, nil
}

func (e *Engine) compileSignals(f *RuleFile) error {
	names := make([]string, 0, len(f.Signals))
	for name := range f.Signals {
		names = append(names, name)
	}
	sort.Strings(names)
	if len(names) > 64 {
		return fmt.Errorf("at most 64 warmth signals, have %d", len(names))
	}
	for bit, name := range names {
		ps, err := compileAll(f.Signals[name], f.Classes)
		if err != nil {
			return fmt.Errorf("signal %s: %w", name, err)
		}
		ps = expandAll(ps)
		e.intern(ps)
		e.paired = append(e.paired, make([]bool, len(e.index)-len(e.paired))...)
		for k := range ps {
			if err := e.indexPattern(hit{rule: -1, signal: bit, pat: &ps[k]}); err != nil {
				return fmt.Errorf("signal %s: %w", name, err)
			}
		}
		if name == signalNextStep {
			e.nextStep = bit
		}
	}
	return nil
}

// indexPattern files a pattern under the words its first step accepts,
// and, when its second step is plain words too, under each pair of words.
func (e *Engine) indexPattern(h hit) error {
	first := h.pat.elems[0].literals()
	if first == nil {
		return fmt.Errorf("pattern %q must start with plain words (no gap, optional word, prefix or suffix)", h.pat.src)
	}
	var second []string
	if len(h.pat.elems) > 1 {
		second = h.pat.elems[1].literals()
	}
	for _, w := range first {
		id := e.vocab[w]
		if second == nil {
			e.index[id] = append(e.index[id], h)
			continue
		}
		for _, w2 := range second {
			k := pairKey(id, e.vocab[w2])
			e.index2[k] = append(e.index2[k], h)
		}
		e.paired[id] = true
	}
	return nil
}

// expandAll expands the optional words of every pattern (see expandOptional).
func expandAll(ps []pattern) []pattern {
	var out []pattern
	for _, p := range ps {
		out = append(out, expandOptional(p)...)
	}
	return out
}

// notAliases are words that a contraction without its apostrophe would
// wrongly stand for ("we're" → "were").
var notAliases = map[string]bool{"were": true, "well": true, "ill": true, "hell": true, "shell": true, "id": true,
	"wed": true, "its": true, "lets": true, "shed": true, "hed": true, "ones": true, "whos": true, "hes": true}

// aliasContractions lets "didnt" and "youre" stand for "didn't" and
// "you're", as people often type them.
func (e *Engine) aliasContractions() {
	for w, id := range e.vocab {
		alias := strings.ReplaceAll(w, "'", "")
		if _, taken := e.vocab[alias]; alias != w && !taken && !notAliases[alias] {
			e.vocab[alias] = id
		}
	}
}

// intern gives every exact word of the patterns a vocabulary id, so that
// matching compares numbers: a text's words are looked up once each.
func (e *Engine) intern(ps []pattern) {
	for k := range ps {
		for j := range ps[k].elems {
			el := &ps[k].elems[j]
			for w := range el.words {
				id, ok := e.vocab[w]
				if !ok {
					id = uint32(len(e.vocab) + 1)
					e.vocab[w] = id
					e.index = append(e.index, nil)
				}
				el.ids = append(el.ids, id)
			}
			slices.Sort(el.ids)
		}
	}
}

// Check reads text for the given audience. Findings are ordered by position
// and never nil. The rules run first; then the learned layer scores each
// sentence no rule marked as blame.
func (e *Engine) Check(text string, aud Audience) Result {
	if aud == "" {
		aud = AudienceReporter
	}
	d := e.pool.Get().(*doc)
	defer e.pool.Put(d)
	res, signals := e.rulePass(text, aud, d)
	if e.model != nil {
		e.learned(&res, text, d)
	}
	res.Grade = grade(d)
	if aud == AudienceReporter {
		e.addComputed(&res, text, d, signals)
	}
	res.Findings = prune(res.Findings)
	res.Scores = score(&res, d, signals)
	return res
}

// rulePass tokenises the text into d and runs the rules' patterns: the
// findings so far and the warmth signals found.
func (e *Engine) rulePass(text string, aud Audience, d *doc) (Result, uint64) {
	d.tokenise(text)
	res := Result{Findings: []Finding{}}
	var signals uint64
	d.lastEnd = slices.Grow(d.lastEnd[:0], len(e.rules))[:len(e.rules)] // rule → token after its last finding
	clear(d.lastEnd)
	negWord := &e.negation.ps[0].elems[0]
	for i := range d.toks {
		t := &d.toks[i]
		t.id = e.vocab[t.w]
		t.neg = e.negIDs[t.id] || (t.id == 0 && negWord.test(t))
	}
	for i := range d.toks {
		id := d.toks[i].id
		last := d.sents[d.toks[i].sent].last
		e.tryHits(&res, text, d, aud, &signals, e.index[id], i, last, 1)
		if e.paired[id] && i < last {
			e.tryHits(&res, text, d, aud, &signals, e.index2[pairKey(id, d.toks[i+1].id)], i, last, 2)
		}
	}
	return res, signals
}

// tryHits matches the hits at token i (their first skip words already
// match) and records findings and warmth signals.
func (e *Engine) tryHits(res *Result, text string, d *doc, aud Audience, signals *uint64, hits []hit, i, last,
	skip int) {
	for _, h := range hits {
		if h.rule < 0 && *signals&(1<<h.signal) != 0 {
			continue // this warmth signal is already found
		}
		end, ok := h.pat.matchRest(d.toks, i, last, skip)
		if !ok {
			continue
		}
		if h.rule < 0 {
			*signals |= 1 << h.signal
			continue
		}
		r := &e.rules[h.rule]
		if d.lastEnd[h.rule] > i || (r.Audience != "" && r.Audience != aud) || !r.accepts(e, d, i, end) {
			continue
		}
		d.lastEnd[h.rule] = end + 1
		res.Findings = append(res.Findings, r.finding(text, d.toks[i], d.toks[end]))
	}
}

// addComputed adds the findings that have no patterns: reading grade and a
// missing next step.
func (e *Engine) addComputed(res *Result, text string, d *doc, signals uint64) {
	words := countWords(d)
	if e.grade != nil && words >= minGradeWords && res.Grade > maxReporterGrade {
		s := longestSentence(d)
		f := e.grade.finding(text, d.toks[s.first], d.toks[s.last])
		f.Message = fmt.Sprintf("Reading grade %.1f is above 8: %s", res.Grade, f.Message)
		res.Findings = append(res.Findings, f)
	}
	if e.noStep != nil && e.nextStep >= 0 && words >= minNextStepWords && signals&(1<<e.nextStep) == 0 {
		f := e.noStep.finding(text, token{}, token{})
		f.Start, f.End, f.Match = d.runes, d.runes, ""
		res.Findings = append(res.Findings, f)
	}
}

// prune drops a finding lying inside another of the same category, and
// orders findings by position, then severity.
func prune(fs []Finding) []Finding {
	if len(fs) < 2 {
		return fs
	}
	sort.SliceStable(fs, func(a, b int) bool {
		if fs[a].Start != fs[b].Start {
			return fs[a].Start < fs[b].Start
		}
		if fs[a].End != fs[b].End {
			return fs[a].End > fs[b].End
		}
		return sevRank(fs[a].Severity) < sevRank(fs[b].Severity)
	})
	type reach struct {
		category string
		end      int // furthest end so far
	}
	var reaches []reach
	out := fs[:0]
next:
	for _, f := range fs {
		for k := range reaches {
			if reaches[k].category != f.Category {
				continue
			}
			if f.End <= reaches[k].end && f.Start < reaches[k].end {
				continue next
			}
			reaches[k].end = max(reaches[k].end, f.End)
			out = append(out, f)
			continue next
		}
		reaches = append(reaches, reach{f.Category, f.End})
		out = append(out, f)
	}
	return out
}

func sevRank(s Severity) int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarning:
		return 1
	}
	return 2
}
