package tone

import (
	"math"
	"math/rand/v2"
)

// TrainConfig sets how a model is trained.
type TrainConfig struct {
	Bits   int     // 1<<Bits feature buckets
	Epochs int     // passes over the examples
	Rate   float64 // AdaGrad learning rate
	L2     float64 // L2 regularisation, per update
	Seed   uint64  // shuffling; the same seed and data give the same model
	// Average is how many models, each shuffled from its own seed (Seed,
	// Seed+1, ...), are trained and averaged into one: the order of the
	// updates matters less, so a small change in the corpus moves the
	// verdicts less. The average is still one set of weights.
	Average int
	// MILFrom, when above zero, is the pass from which a blaming text of
	// several sentences teaches through its most blaming sentence alone
	// (as the model then scores it) instead of through all its words as
	// one run: the model flags a reply by its most blaming sentence, and
	// the kind sentences around the blame are not blame.
	MILFrom int
}

// DefaultTrainConfig is what `go generate` uses for the built-in model.
var DefaultTrainConfig = TrainConfig{Bits: 18, Epochs: 20, Rate: 0.1, L2: 1e-5, Seed: 17, Average: 3, MILFrom: 5}

// example is one run of words to learn from.
type example struct {
	idx   []uint32
	blame bool
	kind  int        // -1 when unknown
	alts  [][]uint32 // a blaming text's scored sentences, one of which blames
}

// examples turns labelled texts into runs: each sentence of a text with one
// sentence or of a text that does not blame; a blaming text of several
// sentences as one run (which sentence blames is not known). Each run is
// learned from twice: as it is, and with its words that have a cluster
// shown only as their clusters (extractHidden).
func (e *Engine) examples(items []Labelled, bits int) []example {
	var out []example
	d := new(doc)
	mask := uint64(1)<<bits - 1
	for _, it := range items {
		res, _ := e.rulePass(it.Text, AudienceReporter, d)
		if len(d.toks) == 0 {
			continue
		}
		runs := []span{{0, len(d.toks) - 1}}
		if !it.Blame || len(d.sents) == 1 {
			runs = runs[:0]
			for _, s := range d.sents {
				runs = append(runs, s.span)
			}
		}
		for _, r := range runs {
			for _, hide := range []bool{false, true} {
				fl := featureList{mask: mask}
				extractHidden(d, r.first, r.last, res.Findings, &fl, hide)
				ex := example{idx: fl.idx, blame: it.Blame, kind: kindIndex(it.Kind)}
				if it.Blame && len(d.sents) > 1 {
					ex.alts = sentenceRuns(d, res.Findings, mask, hide)
				}
				out = append(out, ex)
			}
		}
	}
	return out
}

// sentenceRuns lists the features of each sentence the model scores.
func sentenceRuns(d *doc, fs []Finding, mask uint64, hide bool) [][]uint32 {
	var alts [][]uint32
	for _, s := range d.sents {
		if s.last-s.first+1 < minModelWords || !hasLetters(d, s.span) {
			continue
		}
		fl := featureList{mask: mask}
		extractHidden(d, s.first, s.last, fs, &fl, hide)
		alts = append(alts, fl.idx)
	}
	return alts
}

// mostBlaming is the run of ex the model learns from: with alts, from
// pass MILFrom on, the sentence the model now finds most blaming.
func (m *Model) mostBlaming(ex *example, pass, from int) []uint32 {
	if from <= 0 || pass < from || len(ex.alts) == 0 {
		return ex.idx
	}
	best, top := ex.alts[0], float32(-1)
	for _, a := range ex.alts {
		if p := m.blame(a); p > top {
			best, top = a, p
		}
	}
	return best
}

// Train fits a model to labelled texts: logistic regression for blame and
// a softmax over Kinds (on the blaming texts that name their kind), by
// AdaGrad with L2 regularisation, in a shuffled order fixed by the seed.
// The engine's rules supply their findings as features.
func (e *Engine) Train(items []Labelled, cfg TrainConfig) *Model {
	exs := e.examples(items, cfg.Bits)
	n := max(cfg.Average, 1)
	avg := newModel(cfg.Bits)
	for i := range n {
		c := cfg
		c.Seed += uint64(i)
		m := trainOne(exs, c)
		avg.Bias += m.Bias / float32(n)
		for j := range m.Weights {
			avg.Weights[j] += m.Weights[j] / float32(n)
		}
		for j := range m.KindBias {
			avg.KindBias[j] += m.KindBias[j] / float32(n)
		}
		for j := range m.KindW {
			avg.KindW[j] += m.KindW[j] / float32(n)
		}
	}
	return avg
}

// trainOne fits one model to the examples, shuffled from cfg.Seed.
func trainOne(exs []example, cfg TrainConfig) *Model {
	m := newModel(cfg.Bits)
	rng := rand.New(rand.NewPCG(cfg.Seed, 1))
	k := len(Kinds)
	g := make([]float32, len(m.Weights))
	gk := make([]float32, len(m.KindW))
	var gb float32
	gkb := make([]float32, k)
	probs := make([]float32, k)
	step := func(w, acc *float32, grad float32) {
		grad += float32(cfg.L2) * *w
		*acc += grad * grad
		*w -= float32(cfg.Rate) * grad / float32(math.Sqrt(float64(*acc))+1e-6)
	}
	order := make([]int, len(exs))
	for i := range order {
		order[i] = i
	}
	for pass := range cfg.Epochs {
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		for _, n := range order {
			ex := &exs[n]
			idx := m.mostBlaming(ex, pass, cfg.MILFrom)
			v := value(len(idx))
			y := float32(0)
			if ex.blame {
				y = 1
			}
			diff := m.blame(idx) - y
			step(&m.Bias, &gb, diff)
			for _, i := range idx {
				step(&m.Weights[i], &g[i], diff*v)
			}
			if !ex.blame || ex.kind < 0 {
				continue
			}
			m.kindProbs(idx, probs)
			for j := range k {
				d := probs[j]
				if j == ex.kind {
					d--
				}
				step(&m.KindBias[j], &gkb[j], d)
				for _, i := range idx {
					step(&m.KindW[int(i)*k+j], &gk[int(i)*k+j], d*v)
				}
			}
		}
	}
	return m
}

// kindProbs fills probs with the softmax of the kind head.
func (m *Model) kindProbs(idx []uint32, probs []float32) {
	k := len(Kinds)
	copy(probs, m.KindBias)
	v := value(len(idx))
	for _, i := range idx {
		row := m.KindW[int(i)*k : int(i)*k+k]
		for j := range probs {
			probs[j] += row[j] * v
		}
	}
	top := probs[0]
	for _, p := range probs {
		top = max(top, p)
	}
	var sum float32
	for j := range probs {
		probs[j] = float32(math.Exp(float64(probs[j] - top)))
		sum += probs[j]
	}
	for j := range probs {
		probs[j] /= sum
	}
}

// SentenceScore is the learned layer's view of one sentence: whether a
// rule finds blame in it, and the model's probability that it blames.
type SentenceScore struct {
	Rule  bool
	P     float64
	Reply bool // the text is a reply: the model's ReplyThreshold applies
}

// SentenceScores scores every sentence of the text. The combined verdict
// for threshold t (the reply threshold when Reply), and veto v is: some
// sentence has Rule and P ≥ v, or not Rule and P ≥ t. Training picks the
// thresholds and v with it.
func (e *Engine) SentenceScores(text string) []SentenceScore {
	d := e.pool.Get().(*doc)
	defer e.pool.Put(d)
	res, _ := e.rulePass(text, AudienceReporter, d)
	out := make([]SentenceScore, 0, len(d.sents))
	reply := scoredSentences(d) >= 2
	for _, s := range d.sents {
		sc := SentenceScore{Rule: blamedByRules(res.Findings, d, s.span), P: 1, Reply: reply}
		n := s.last - s.first + 1
		switch {
		case e.model == nil || (sc.Rule && n < vetoMinWords):
		case !sc.Rule && (n < minModelWords || !hasLetters(d, s.span)):
			sc.P = 0
		default:
			sc.P = float64(e.scoreRun(d, s.span, res.Findings))
		}
		out = append(out, sc)
	}
	return out
}
