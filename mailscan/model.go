package mailscan

//go:generate go run ./modelgen -out model.tsv

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// model.tsv is the default model: logistic regression weights over the
// message's words and the rules' signals, trained by modelgen (see
// docs/mailscan.md) only on data Ally may ship.
//
//go:embed model.tsv
var modelTSV []byte

// model is a logistic regression over binary features: a word of the
// message ("w:wallet" in the file) or a signal the rules raised
// ("s:sender-platform"), kept in two maps so scoring never builds strings;
// and over the words' character n-grams ("g:12345", a bucket, see
// grams.go), kept in a table of GramBuckets weights (nil when the file has
// none).
type model struct {
	bias           float64
	words, signals map[string]float32
	grams          []float32
}

var defaultModel = mustLoadModel(modelTSV)

// mustLoadModel reads "bias\tB" then "feature\tweight" lines; # starts a
// comment. The embedded file is built by go generate, so an error is a bug.
func mustLoadModel(data []byte) *model {
	m, err := parseModel(data)
	if err != nil {
		panic("mailscan: model.tsv: " + err.Error())
	}
	return m
}

func parseModel(data []byte) (*model, error) {
	m := &model{words: map[string]float32{}, signals: map[string]float32{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "\t")
		w, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || math.IsNaN(w) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("line %d: want feature, tab, weight", n)
		}
		switch {
		case k == "bias":
			m.bias = w
		case strings.HasPrefix(k, "w:"):
			m.words[k[2:]] = float32(w)
		case strings.HasPrefix(k, "s:"):
			m.signals[k[2:]] = float32(w)
		case strings.HasPrefix(k, "g:"):
			g, err := strconv.ParseUint(k[2:], 10, 32)
			if err != nil || g >= GramBuckets {
				return nil, fmt.Errorf("line %d: n-gram bucket %q is not a number below %d", n, k[2:], GramBuckets)
			}
			if m.grams == nil {
				m.grams = make([]float32, GramBuckets)
			}
			m.grams[g] = float32(w)
		default:
			return nil, fmt.Errorf("line %d: feature %q is not w:word, s:signal or g:n-gram", n, k)
		}
	}
	return m, sc.Err()
}

// maxModelWords bounds how many words of one message the model reads.
const maxModelWords = 20000

// usable reports whether a token can be a model word: 2 to 24 letters,
// not a bare number.
func usable(t string) bool { return len(t) >= 2 && len(t) <= maxUsableLen && !isNumber(t) }

// gramScale is how much a message's n-grams weigh together in the default
// model, against 1 for each word.
const gramScale = 16

// ModelInput is what the default model reads from a message: its features
// as the model file names them (each distinct usable word "w:…", each
// signal raised "s:…"), the n-gram buckets of those words (one entry per
// n-gram, so a bucket can repeat) and what one n-gram counts for.
type ModelInput struct {
	Features  []string
	Grams     []uint32
	GramValue float64
}

// features returns the model's input for a message.
func features(tokens []string, signals []Signal) ModelInput {
	seen := map[string]bool{}
	var in ModelInput
	for _, t := range tokens[:min(len(tokens), maxModelWords)] {
		if usable(t) && !seen[t] {
			seen[t] = true
			in.Features = append(in.Features, "w:"+t)
			in.Grams = appendWordGrams(in.Grams, t)
		}
	}
	for _, s := range signals {
		if !strings.HasPrefix(s.ID, "model-") {
			in.Features = append(in.Features, "s:"+s.ID)
		}
	}
	in.GramValue = gramValue(len(in.Grams), gramScale)
	return in
}

// weighed is a feature and how much it moved the model's score.
type weighed struct {
	feature string
	weight  float32
}

// wordWeight is a word of a message, its weight, and the sum of its
// n-grams' weights.
type wordWeight struct {
	word  string
	w     float32
	grams float64
}

// score returns the probability that a message with these tokens and
// signals is phishing or spam, and the words or signals that pushed it
// most toward that; a word's n-grams count toward the word. Each distinct
// word counts once.
func (m *model) score(tokens []string, signals []Signal) (float64, []weighed) {
	z := m.bias
	var words []wordWeight
	counted := map[string]bool{}
	var buf [maxWordGrams]uint32
	nGrams, gramTotal := 0, 0.0
	for _, t := range tokens[:min(len(tokens), maxModelWords)] {
		if !usable(t) || counted[t] {
			continue
		}
		counted[t] = true
		w, ok := m.words[t]
		g := 0.0
		if m.grams != nil {
			grams := appendWordGrams(buf[:0], t)
			nGrams += len(grams)
			for _, b := range grams {
				g += float64(m.grams[b])
			}
			gramTotal += g
		}
		z += float64(w)
		if ok || g != 0 {
			words = append(words, wordWeight{t, w, g})
		}
	}
	gv := gramValue(nGrams, gramScale)
	z += gv * gramTotal
	var top []weighed
	for _, w := range words {
		if total := w.w + float32(gv*w.grams); total > 0 {
			top = append(top, weighed{w.word, total})
		}
	}
	for _, s := range signals {
		if w, ok := m.signals[s.ID]; ok {
			z += float64(w)
			if w > 0 {
				top = append(top, weighed{"signal " + s.ID, w})
			}
		}
	}
	sort.Slice(top, func(i, j int) bool {
		if top[i].weight != top[j].weight {
			return top[i].weight > top[j].weight
		}
		return top[i].feature < top[j].feature
	})
	return 1 / (1 + math.Exp(-z)), top[:min(len(top), 5)]
}

// ModelFeatures returns what the default model reads from a raw message,
// for training a model (see modelgen). Empty input has nothing.
func ModelFeatures(raw []byte, opts Options) ModelInput {
	a, err := analyse(raw, opts)
	if err != nil {
		return ModelInput{}
	}
	return features(a.tokens, a.sig.list)
}

// modelSignals asks the default model what it makes of the message and
// raises model-phish with the words that weighed most; it returns the
// model's probability.
func (a *analysis) modelSignals() float64 {
	p, top := defaultModel.score(a.tokens, a.sig.list)
	var words []string
	for _, w := range top {
		words = append(words, w.feature)
	}
	switch {
	case p >= modelStrong:
		a.sig.add("model-phish-strong", "%.0f%% like scam mail; weighed most: %s", 100*p, strings.Join(words, ", "))
	case p >= modelLikely:
		a.sig.add("model-phish", "%.0f%% like scam mail; weighed most: %s", 100*p, strings.Join(words, ", "))
	}
	return p
}

// Model thresholds, chosen on the model's held-back ham (see modelgen).
const (
	modelLikely = 0.90
	modelStrong = 0.99
)
