package mailscan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"
)

// OrgModel is an organisation's own model, learned from its team's
// decisions on reported mail: corrections to the default model's log-odds
// for the words, signals, senders and subjects of the mail it was shown
// and for its words' character n-grams (a table of GramBuckets weights,
// nil until it learns), and how often mail "like this" (same sender, same
// subject) was marked each way. The zero value is not usable; start with
// NewOrgModel.
type OrgModel struct {
	Phish, Safe int       // messages learned as phishing or spam, and as safe
	Updated     time.Time // when it last learned; zero when never
	weights     map[string]float32
	grams       []float32
	marks       map[string]marks
}

// marks counts how often mail with one "like this" key was marked each way.
type marks struct{ phish, safe uint32 }

// NewOrgModel returns an empty organisation model: it changes nothing.
func NewOrgModel() *OrgModel {
	return &OrgModel{weights: map[string]float32{}, marks: map[string]marks{}}
}

// Examples is how many messages the model learned from.
func (m *OrgModel) Examples() int { return m.Phish + m.Safe }

// Features is how many weights the model holds: named features and
// n-gram buckets.
func (m *OrgModel) Features() int { return len(m.weights) + m.gramWeights() }

// gramWeights is how many n-gram buckets have a weight.
func (m *OrgModel) gramWeights() int {
	n := 0
	for _, w := range m.grams {
		if w != 0 {
			n++
		}
	}
	return n
}

// Example is one message made ready for learning.
type Example struct {
	// Key identifies the message: learning the same message twice (the same
	// file, or the same Message-ID from the same sender with the same
	// subject) counts once.
	Key   string
	feats []string
	like  []string
	base  float64  // the default model's log-odds
	grams []uint32 // the n-grams of its words (a bucket may repeat)
	xg    float64  // what each of grams counts for
}

// x is what each of the example's features counts for.
func (e *Example) x() float64 { return 1 / math.Sqrt(float64(max(len(e.feats), 1))) }

// NewExample analyses a raw message into an example to learn from. The
// only error is for empty input.
func NewExample(raw []byte, opts Options) (*Example, error) {
	a, err := analyse(raw, opts)
	if err != nil {
		return nil, err
	}
	e := a.scoredExample(defaultModel)
	e.keep()
	if id := a.r.MessageID; id != "" {
		e.Key = hashKey([]byte("id"), []byte(id), []byte(a.r.From), []byte(a.r.Subject))
	} else {
		e.Key = hashKey([]byte("raw"), raw)
	}
	return e, nil
}

// hashKey is the hash of the parts joined by NUL bytes, in hex: a
// message's key. The parts are hashed where they are, never copied (a
// message can be 25 MiB).
func hashKey(parts ...[]byte) string {
	h := sha256.New()
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{0})
		}
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// example is the analysed message as the organisation's model reads it:
// its distinct usable words (bare: a word never holds a colon) and their
// n-grams, the signals raised ("s:id", model signals left out) and its
// like keys; p is the default model's probability.
func (a *analysis) example(p float64) *Example {
	e := a.exampleWords(nil)
	a.finishExample(e, p)
	return e
}

// scoredExample is a.example(p) for the probability p that the model m
// gives the message, found in the same pass over the words: each word's
// n-grams are hashed once, for the example and for m. The sums are those
// of m.score, term by term in the same order, so p is the same to the bit
// (TestScoredExampleSameScore).
func (a *analysis) scoredExample(m *model) *Example {
	z, gramTotal := m.bias, 0.0
	e := a.exampleWords(func(word string, grams []uint32) {
		if m.grams != nil {
			g := 0.0
			for _, b := range grams {
				g += float64(m.grams[b])
			}
			gramTotal += g
		}
		z += float64(m.words[word])
	})
	if m.grams != nil {
		z += gramValue(len(e.grams), gramScale) * gramTotal
	}
	for _, s := range a.sig.list {
		z += float64(m.signals[s.ID])
	}
	a.finishExample(e, 1/(1+math.Exp(-z)))
	return e
}

// exampleWords starts the example: its distinct usable words and their
// n-grams, in the order of the text; each, when not nil, is called with
// every word and its n-grams.
func (a *analysis) exampleWords(each func(word string, grams []uint32)) *Example {
	seen := make(map[string]bool, len(a.tokens)/2)
	e := &Example{}
	for _, t := range a.tokens[:min(len(a.tokens), maxModelWords)] {
		if usable(t) && !seen[t] {
			seen[t] = true
			e.feats = append(e.feats, t)
			n := len(e.grams)
			e.grams = appendWordGrams(e.grams, t)
			if each != nil {
				each(t, e.grams[n:])
			}
		}
	}
	return e
}

// keep readies an example to wait in a batch of thousands to be learned:
// its words are copied out of the message's whole tokenised text (up to
// 256 KiB, which they would keep alive) and its n-grams into a slice made
// to measure. An example scored during an analysis is dropped at once and
// skips this.
func (e *Example) keep() {
	compactWords(e.feats)
	e.grams = slices.Clone(e.grams)
}

// compactWords copies words into one string of their own.
func compactWords(words []string) {
	n := 0
	for _, w := range words {
		n += len(w)
	}
	var b strings.Builder
	b.Grow(n)
	for _, w := range words {
		b.WriteString(w)
	}
	all, at := b.String(), 0
	for i, w := range words {
		words[i] = all[at : at+len(w)]
		at += len(w)
	}
}

// finishExample adds the signals raised and the like keys to an example
// of the message, and the default model's probability p.
func (a *analysis) finishExample(e *Example, p float64) {
	var sigs []string
	for _, s := range a.sig.list {
		if !strings.HasPrefix(s.ID, "model-") && !strings.HasPrefix(s.ID, "org-") && !orgIgnores[s.ID] {
			sigs = append(sigs, "s:"+s.ID)
		}
	}
	e.like = a.likeKeys()
	feats := make([]string, 0, len(e.feats)+len(sigs)+len(e.like))
	e.feats = append(append(append(feats, e.feats...), sigs...), e.like...)
	e.base = min(max(logit(p), -orgMaxBase), orgMaxBase)
	e.xg = gramValue(len(e.grams), orgGramScale)
}

// isWord reports whether a feature of an example is one of its words.
func isWord(f string) bool { return !strings.Contains(f, ":") }

// orgIgnores are signals the organisation's model does not learn from:
// whether a message carries authentication results at all says more about
// the mail system it passed through (or an archive's age) than about the
// message, and the default model and the rules weigh them already.
var orgIgnores = map[string]bool{"auth-missing": true, "auth-aligned-pass": true}

// likeKeys are what makes two messages "like" each other for the team's
// marks: the sender (the whole address on free mail, else its registrable
// domain) and the subject with numbers and reply prefixes taken out.
func (a *analysis) likeKeys() []string {
	var out []string
	if d := domainOf(a.r.From); d != "" {
		if rules.freemail[d] {
			out = append(out, "from:"+a.r.From)
		} else {
			out = append(out, "from:"+registrable(d))
		}
	}
	if s := normalSubject(a.r.Subject); len(s) >= 8 {
		out = append(out, "subject:"+s[:min(len(s), 120)])
	}
	return out
}

func logit(p float64) float64 {
	p = min(max(p, 1e-6), 1-1e-6)
	return math.Log(p / (1 - p))
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// Learning settings: passes over a batch, step size, and the bound on one
// weight. Each message's features are scaled to unit length, and its
// n-grams to length orgGramScale, so one step moves that message's
// log-odds by at most rate·(1+orgGramScale²) and a message sharing few of
// its features much less.
const (
	orgEpochs   = 6
	orgFewSteps = 30
	// orgMaxBalance bounds how much more one example of the rarer label
	// weighs in a batch.
	orgMaxBalance = 4
	orgRate       = 0.6
	orgGramScale  = 0.5
	orgMaxWeight  = 8
	// orgMaxBase bounds the default model's log-odds as the organisation's
	// model sees them: a default that is sure of itself would otherwise
	// leave nothing to learn from the mail it already gets right, and the
	// words common to all mail would lean toward the team's phishing.
	orgMaxBase = 2
	// OrgMaxFeatures bounds the weights kept (the smallest go first), so
	// the model stays small in memory whatever is learned.
	OrgMaxFeatures = 300_000
	orgMinWeight   = 1e-4
)

// Learn counts each example once, as phishing or spam (phish[i]) or as
// safe, and trains the model on them. was[i] is the label an example was
// learned with before ("" when new; "phish" or "safe"): such an example
// moves from one count to the other. now stamps the model.
func (m *OrgModel) Learn(ex []*Example, phish []bool, was []string, now time.Time) {
	for i, e := range ex {
		if was[i] != "" {
			m.count(e, was[i] == "phish", -1)
		}
		m.count(e, phish[i], 1)
	}
	order := make([]int, len(ex))
	for i := range order {
		order[i] = i
	}
	// Each label weighs half of the batch, so one phishing email among many
	// safe ones is learned as firmly as the rest (up to orgMaxBalance).
	nPhish := 0
	for _, p := range phish {
		if p {
			nPhish++
		}
	}
	balance := func(n int) float64 { return min(float64(len(ex))/float64(2*max(n, 1)), orgMaxBalance) }
	weight := map[bool]float64{true: balance(nPhish), false: balance(len(ex) - nPhish)}
	rng := rand.New(rand.NewPCG(uint64(len(ex)), 16))
	b := m.newBatch(ex)
	// A few decisions get more passes, so one decision is learned firmly.
	for range max(orgEpochs, orgFewSteps/max(len(ex), 1)) {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			b.step(i, phish[i], weight[phish[i]])
		}
	}
	b.keep()
	m.prune()
	m.Updated = now
}

// count adds (or with sign -1 takes back) one example from the counts.
func (m *OrgModel) count(e *Example, phish bool, sign int) {
	n := func(v uint32) uint32 { return uint32(max(int64(v)+int64(sign), 0)) }
	for _, k := range e.like {
		mk := m.marks[k]
		if phish {
			mk.phish = n(mk.phish)
		} else {
			mk.safe = n(mk.safe)
		}
		if mk == (marks{}) {
			delete(m.marks, k)
		} else {
			m.marks[k] = mk
		}
	}
	if phish {
		m.Phish = max(m.Phish+sign, 0)
	} else {
		m.Safe = max(m.Safe+sign, 0)
	}
}

func clampWeight(w float32) float32 { return min(max(w, -orgMaxWeight), orgMaxWeight) }

// delta is the model's change to a message's log-odds.
func (m *OrgModel) delta(e *Example) float64 {
	d, g := 0.0, 0.0
	for _, f := range e.feats {
		d += float64(m.weights[f])
	}
	if m.grams != nil {
		for _, b := range e.grams {
			g += float64(m.grams[b])
		}
	}
	return d*e.x() + g*e.xg
}

// prune drops the smallest weights beyond OrgMaxFeatures, and weights too
// small to matter (n-gram weights are bounded by their table).
func (m *OrgModel) prune() {
	for f, w := range m.weights {
		if math.Abs(float64(w)) < orgMinWeight {
			delete(m.weights, f)
		}
	}
	for b, w := range m.grams {
		if math.Abs(float64(w)) < orgMinWeight {
			m.grams[b] = 0
		}
	}
	if len(m.weights) <= OrgMaxFeatures {
		return
	}
	all := m.Top(0)
	for _, fw := range all[OrgMaxFeatures:] {
		delete(m.weights, fw.Feature)
	}
}

// FeatureWeight is one learned feature and its weight (positive: toward
// phishing).
type FeatureWeight struct {
	Feature string
	Weight  float64
}

// Top returns the n named features of largest weight either way (all
// when n is 0), largest first; n-gram buckets have no name and are left
// out.
func (m *OrgModel) Top(n int) []FeatureWeight {
	out := make([]FeatureWeight, 0, len(m.weights))
	for f, w := range m.weights {
		out = append(out, FeatureWeight{f, float64(w)})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := math.Abs(out[i].Weight), math.Abs(out[j].Weight)
		if a != b {
			return a > b
		}
		return out[i].Feature < out[j].Feature
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// Thresholds for the organisation's signals: the message must be this
// likely (or unlikely) phishing with the team's corrections, and the
// corrections must have moved it by at least minShift in log-odds.
const (
	orgLikely   = 0.5
	orgSafe     = 0.1
	orgMinShift = 1.0
	// orgInformed is how many examples of each label the model learns
	// from before its shifts count for more than one decision's.
	orgInformed = 50
	// orgMinShiftInformed bounds how small a shift counts, however many
	// examples the model learned from.
	orgMinShiftInformed = 0.25
	// orgMaxSay bounds how many times its catalogue weight org-like-phish
	// can count.
	orgMaxSay = 1.5
)

// informed is how many examples of the rarer label the model learned
// from: a model that saw only one side (a team that only ever marks
// false alarms safe) has learned little about telling the two apart.
func (m *OrgModel) informed() float64 { return float64(min(m.Phish, m.Safe)) }

// minShift is the shift in log-odds the team's corrections must make for
// an organisation signal: orgMinShift while the model has learned from at
// most orgInformed examples of either label, then shrinking as a
// standard error does, as 1/√n, down to orgMinShiftInformed.
func (m *OrgModel) minShift() float64 {
	return min(orgMinShift, max(orgMinShiftInformed, orgMinShift*math.Sqrt(orgInformed/m.informed())))
}

// phishSay is how many times its catalogue weight org-like-phish counts
// for a shift d: d in units of minShift, but at most once for a model of
// up to orgInformed examples of either label, rising toward orgMaxSay as
// it learns from more. org-like-safe always counts once: the analysis
// never lets the team's model take more than one decision's worth off a
// message, so one phishing email marked safe cannot buy the next of its
// campaign more than that (and critical signals keep their floor).
func (m *OrgModel) phishSay(d float64) float64 {
	most := 1 + (orgMaxSay-1)*max(0, 1-orgInformed/m.informed())
	return min(d/m.minShift(), most)
}

// orgSignals weighs the message with the organisation's model, when one
// is given, and says so in the evidence; p is the default model's
// probability.
func (a *analysis) orgSignals(m *OrgModel, p float64) {
	if m == nil || m.Examples() == 0 {
		return
	}
	e := a.example(p)
	if len(e.feats) == 0 {
		return
	}
	d, shift := m.delta(e), m.minShift()
	p = sigmoid(e.base + d)
	switch {
	case p >= orgLikely && d >= shift:
		a.sig.add("org-like-phish", "%s; %.0f%% like mail your team marked phishing or spam; weighed most: %s",
			m.likeNote(e.like, true), 100*p, m.weighedMost(e, 1))
		a.sig.scale("org-like-phish", m.phishSay(d))
	case p <= orgSafe && d <= -shift && d-m.grammarDelta(e) <= -shift:
		a.sig.add("org-like-safe", "%s; weighed most: %s", m.likeNote(e.like, false), m.weighedMost(e, -1))
	}
}

// grammarDelta is the part of the model's change to a message's log-odds
// that its function words make (see function_words in lists.yaml), with
// their n-grams. All mail is written with them, so a team's "safe" must
// not rest on them: a word-salad phish ("but that my not have…", a
// filter-buster's padding) would otherwise be cleared by the grammar the
// team's chatty safe mail shares. They still count toward "phishing":
// there they only add points, and a team's phishing in another language
// than its safe mail is told apart by them honestly.
func (m *OrgModel) grammarDelta(e *Example) float64 {
	d := 0.0
	for _, f := range e.feats {
		if !isWord(f) || !rules.functionWords[f] {
			continue
		}
		d += m.featureDelta(e, f)
	}
	return d
}

// featureDelta is what feature f of the message adds to its log-odds under
// the model: its weight, and for a word its n-grams' too.
func (m *OrgModel) featureDelta(e *Example, f string) float64 {
	d := float64(m.weights[f]) * e.x()
	if m.grams != nil && isWord(f) {
		d += gramSum(m.grams, f) * e.xg
	}
	return d
}

// likeNote says how often the team marked mail like this (same sender or
// subject) the way the model leans, or how many messages it learned from.
func (m *OrgModel) likeNote(like []string, phish bool) string {
	best, what := uint32(0), ""
	for _, k := range like {
		mk := m.marks[k]
		n := mk.safe
		if phish {
			n = mk.phish
		}
		if n > best {
			best, what = n, k
		}
	}
	label := "safe"
	if phish {
		label = "phishing"
	}
	if best == 0 {
		return fmt.Sprintf("Your team's decisions on %d reported emails lean this way", m.Examples())
	}
	times := "times"
	if best == 1 {
		times = "time"
	}
	by := "same sender"
	if strings.HasPrefix(what, "subject:") {
		by = "same subject"
	}
	return fmt.Sprintf("Mail like this (%s) was marked %s by your team %d %s", by, label, best, times)
}

// weighedMost names the features of the message that pushed most in the
// direction sign (1 toward phishing, -1 toward safe); a word's n-grams
// count toward the word. Function words are never named: "the" explains
// nothing to a responder.
func (m *OrgModel) weighedMost(e *Example, sign float64) string {
	var top []weighed
	for _, f := range e.feats {
		if rules.functionWords[f] {
			continue
		}
		if w := m.featureDelta(e, f) * sign; w > 0 {
			top = append(top, weighed{f, float32(w)})
		}
	}
	sort.Slice(top, func(i, j int) bool {
		if top[i].weight != top[j].weight {
			return top[i].weight > top[j].weight
		}
		return top[i].feature < top[j].feature
	})
	names := make([]string, 0, 5)
	for _, w := range top[:min(len(top), 5)] {
		names = append(names, FeatureName(w.feature))
	}
	return strings.Join(names, ", ")
}

// FeatureName is a learned feature as a responder reads it: a word as it
// is, "signal html-form", "sender example.com", "subject "…"".
func FeatureName(f string) string {
	switch {
	case strings.HasPrefix(f, "s:"):
		return "signal " + f[2:]
	case strings.HasPrefix(f, "from:"):
		return "sender " + f[5:]
	case strings.HasPrefix(f, "subject:"):
		return fmt.Sprintf("subject %q", f[8:])

	}
	return f
}
