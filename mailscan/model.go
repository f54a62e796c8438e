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
// message ("w:wallet") or a signal the rules raised ("s:sender-platform").
type model struct {
	bias    float64
	weights map[string]float32
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
	m := &model{weights: map[string]float32{}}
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
		if k == "bias" {
			m.bias = w
		} else {
			m.weights[k] = float32(w)
		}
	}
	return m, sc.Err()
}

// maxModelWords bounds how many distinct words one message gives the model.
const maxModelWords = 3000

// features returns the model's features for a message: its distinct
// words (2 to 24 letters, not bare numbers) and the signals raised.
func features(tokens []string, signals []Signal) []string {
	seen := make(map[string]bool, min(len(tokens), maxModelWords))
	out := make([]string, 0, min(len(tokens), maxModelWords)+len(signals))
	for _, t := range tokens {
		if len(seen) >= maxModelWords {
			break
		}
		if len(t) < 2 || len(t) > 24 || isNumber(t) || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, "w:"+t)
	}
	for _, s := range signals {
		if !strings.HasPrefix(s.ID, "model-") {
			out = append(out, "s:"+s.ID)
		}
	}
	return out
}

// weighed is a feature and how much it moved the model's score.
type weighed struct {
	feature string
	weight  float32
}

// score returns the probability that the features are phishing or spam,
// and the features that pushed it most toward that.
func (m *model) score(feats []string) (float64, []weighed) {
	z := m.bias
	var top []weighed
	for _, f := range feats {
		w, ok := m.weights[f]
		if !ok {
			continue
		}
		z += float64(w)
		if w > 0 {
			top = append(top, weighed{f, w})
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

// ModelFeatures returns the features the default model reads from a raw
// message, for training a model (see modelgen). Empty input has none.
func ModelFeatures(raw []byte, opts Options) []string {
	a, err := analyse(raw, opts)
	if err != nil {
		return nil
	}
	return features(a.tokens, a.sig.list)
}

// modelSignals asks the default model what it makes of the message and
// raises model-phish with the words that weighed most.
func (a *analysis) modelSignals() {
	p, top := defaultModel.score(features(a.tokens, a.sig.list))
	var words []string
	for _, w := range top {
		words = append(words, strings.TrimPrefix(strings.TrimPrefix(w.feature, "w:"), "s:"))
	}
	switch {
	case p >= modelStrong:
		a.sig.add("model-phish-strong", "%.0f%% like scam mail; weighed most: %s", 100*p, strings.Join(words, ", "))
	case p >= modelLikely:
		a.sig.add("model-phish", "%.0f%% like scam mail; weighed most: %s", 100*p, strings.Join(words, ", "))
	}
}

// Model thresholds, chosen on the model's held-back ham (see modelgen).
const (
	modelLikely = 0.90
	modelStrong = 0.99
)
