package tone

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// orgRule is the rule id of a finding the organisation's examples made.
const orgRule = "org-example"

// Limits of an organisation layer.
const (
	orgSimilarity  = 0.45  // cosine similarity at which an example decides a sentence
	maxOrgExamples = 20000 // more is not a team's own words but a corpus: train the model instead
	maxOrgText     = 4000  // characters in one example
)

// OrgLayer is an organisation's own examples of wording that "reads as
// blaming" or "is fine". A sentence close enough to one of them (cosine
// similarity of their words, word pairs and character n-grams at least
// orgSimilarity) takes its verdict: a blaming example flags it even when
// the model would not; a fine example clears a model finding and turns a
// rule's error into a warning.
type OrgLayer struct {
	examples []orgExample
	index    map[uint32][]int32 // feature → examples holding it
}

// orgExample is one sentence of an organisation's example.
type orgExample struct {
	text  string
	blame bool
	kind  int // index in Kinds, or -1
	feats []uint32
}

// Len is the number of example sentences in the layer.
func (o *OrgLayer) Len() int { return len(o.examples) }

// NewOrgLayer builds a layer from labelled examples, read with the
// engine's rules and model. A bad example (empty, too long, not UTF-8, an
// unknown kind) is an error naming it: the caller should fall back to the
// built-in engine (see WithOrgExamples).
func (e *Engine) NewOrgLayer(items []Labelled) (*OrgLayer, error) {
	if len(items) > maxOrgExamples {
		return nil, fmt.Errorf("%d examples is more than the %d an organisation layer holds", len(items), maxOrgExamples)
	}
	o := &OrgLayer{index: map[uint32][]int32{}}
	d := new(doc)
	for n, it := range items {
		if err := CheckExample(it); err != nil {
			return nil, fmt.Errorf("example %d (id %q): %w", n+1, it.ID, err)
		}
		kind := kindIndex(it.Kind)
		d.tokenise(it.Text)
		if len(d.toks) == 0 {
			continue
		}
		sents := e.exampleSentences(it, d)
		for _, s := range sents {
			if !hasLetters(d, s) {
				continue // the engine never scores such a sentence
			}
			feats := e.orgFeatures(d, s, nil)
			id := int32(len(o.examples))
			o.examples = append(o.examples, orgExample{text: it.Text, blame: it.Blame, kind: kind, feats: feats})
			for _, f := range feats {
				o.index[f] = append(o.index[f], id)
			}
		}
	}
	return o, nil
}

// CheckExample reports what is wrong with an organisation's example, if
// anything: an empty or over-long text, invalid UTF-8, an unknown kind.
func CheckExample(it Labelled) error {
	switch {
	case strings.TrimSpace(it.Text) == "":
		return errors.New("the text is empty")
	case !utf8.ValidString(it.Text):
		return errors.New("the text is not valid UTF-8")
	case utf8.RuneCountInString(it.Text) > maxOrgText:
		return fmt.Errorf("the text is longer than %d characters; mark one message at a time", maxOrgText)
	case it.Kind != "" && kindIndex(it.Kind) < 0:
		return fmt.Errorf("kind %q is not one of %s", it.Kind, kindIDs())
	}
	return nil
}

func kindIDs() string {
	ids := make([]string, len(Kinds))
	for i, k := range Kinds {
		ids[i] = k.ID
	}
	return strings.Join(ids, ", ")
}

// exampleSentences are the sentences an example teaches: every sentence of
// a fine one; of a blaming one, the sentence the engine finds most blaming.
func (e *Engine) exampleSentences(it Labelled, d *doc) []span {
	var out []span
	for _, s := range d.sents {
		out = append(out, s.span)
	}
	if !it.Blame || len(out) == 1 || e.model == nil {
		return out
	}
	best, bestP := out[0], float32(-1)
	for _, s := range out {
		if p := e.scoreRun(d, s, nil); p > bestP {
			best, bestP = s, p
		}
	}
	return []span{best}
}

// orgFeatures are the sorted, distinct model features (words, word pairs
// and triples, character n-grams, word clusters) of a span, without the
// rules' findings. orgSimilarity was set before the clusters existed; as
// clusters group words by use, opposites ("careful", "sloppy") can share
// one, which brings such examples a little closer.
func (e *Engine) orgFeatures(d *doc, s span, buf []uint32) []uint32 {
	fl := featureList{mask: e.model.mask(), idx: buf[:0]}
	extractFeatures(d, s.first, s.last, nil, &fl)
	slices.Sort(fl.idx)
	return slices.Compact(fl.idx)
}

// nearest is the example most similar to the span, if similar enough.
func (o *OrgLayer) nearest(e *Engine, d *doc, s span) *orgExample {
	d.orgFeat = e.orgFeatures(d, s, d.orgFeat)
	if len(d.orgFeat) == 0 {
		return nil
	}
	d.orgDots = slices.Grow(d.orgDots[:0], len(o.examples))[:len(o.examples)]
	clear(d.orgDots)
	for _, f := range d.orgFeat {
		for _, id := range o.index[f] {
			d.orgDots[id]++
		}
	}
	best, bestSim := -1, float64(orgSimilarity)
	for id, dot := range d.orgDots {
		if dot == 0 {
			continue
		}
		sim := float64(dot) / math.Sqrt(float64(len(d.orgFeat))*float64(len(o.examples[id].feats)))
		if sim >= bestSim {
			best, bestSim = id, sim
		}
	}
	if best < 0 {
		return nil
	}
	return &o.examples[best]
}

// WithOrg returns an engine that shares this one's rules and model and
// takes the organisation layer's verdicts; nil gives the engine back.
func (e *Engine) WithOrg(o *OrgLayer) *Engine {
	if o == nil || e.model == nil {
		return e
	}
	c := *e
	c.org = o
	return &c
}

// WithOrgExamples builds the organisation layer from stored examples and
// returns the engine using it. When the examples cannot be read it logs a
// warning and returns the engine unchanged (the built-in model), so a
// corrupt layer never stops replies from being checked.
func (e *Engine) WithOrgExamples(items []Labelled, log *slog.Logger) *Engine {
	if len(items) == 0 {
		return e
	}
	o, err := e.NewOrgLayer(items)
	if err != nil {
		if log == nil {
			log = slog.Default()
		}
		log.Warn("tone: the organisation's examples cannot be used; using the built-in model", "error", err)
		return e
	}
	return e.WithOrg(o)
}
