// Command comb fits a reply-level combiner (logistic regression over a reply's sorted
// per-sentence scores) on records from internal/train -model/-crossfit and
// compares it with the most blaming sentence on every set (experiment, issue
// 17 session 8; not shipped).
package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strings"
)

type sent struct {
	Rule  bool
	P     float64
	Reply bool
}

type rec struct {
	Set   string  `json:"set"`
	ID    string  `json:"id"`
	Blame bool    `json:"blame"`
	Sents []sent  `json:"sents"`
	Whole float64 `json:"whole"`
}

const veto = 0.1

func logit(p float64) float64 {
	p = min(max(p, 1e-4), 1-1e-4)
	return math.Log(p / (1 - p))
}

// ruled: a rule's blame that the veto keeps.
func ruled(r rec) bool {
	for _, s := range r.Sents {
		if s.Rule && s.P >= veto {
			return true
		}
	}
	return false
}

func modelPs(r rec) []float64 {
	var ps []float64
	for _, s := range r.Sents {
		if !s.Rule {
			ps = append(ps, s.P)
		}
	}
	slices.SortFunc(ps, func(a, b float64) int { return cmp.Compare(b, a) })
	return ps
}

func isReply(r rec) bool { return len(r.Sents) > 0 && r.Sents[0].Reply }

var featSet string

func feats(r rec) []float64 {
	ps := modelPs(r)
	at := func(i int) float64 {
		if i < len(ps) {
			return ps[i]
		}
		return 0
	}
	var f []float64
	f = append(f, logit(at(0)))
	if strings.Contains(featSet, "2") {
		f = append(f, logit(at(1)))
	}
	if strings.Contains(featSet, "3") {
		f = append(f, logit(at(2)))
	}
	if strings.Contains(featSet, "m") {
		s, n := 0.0, 0
		for _, p := range ps {
			if p > 0 {
				s += p
				n++
			}
		}
		f = append(f, s/float64(max(n, 1)))
	}
	if strings.Contains(featSet, "c") {
		c2, c5 := 0.0, 0.0
		for _, p := range ps {
			if p >= 0.2 {
				c2++
			}
			if p >= 0.5 {
				c5++
			}
		}
		f = append(f, c2, c5)
	}
	if strings.Contains(featSet, "n") {
		n := 0
		for _, p := range ps {
			if p > 0 {
				n++
			}
		}
		f = append(f, math.Log(float64(n+1)))
	}
	if strings.Contains(featSet, "w") {
		f = append(f, logit(r.Whole))
	}
	if strings.Contains(featSet, "o") { // noisy-or
		q := 1.0
		for _, p := range ps {
			q *= 1 - p
		}
		f = append(f, logit(1-q))
	}
	return f
}

type lr struct {
	w      []float64
	mu, sd []float64
	b      float64
}

func fit(xs [][]float64, ys []bool, ws []float64, l2 float64) lr {
	d := len(xs[0])
	m := lr{w: make([]float64, d), mu: make([]float64, d), sd: make([]float64, d)}
	for j := range d {
		for _, x := range xs {
			m.mu[j] += x[j]
		}
		m.mu[j] /= float64(len(xs))
		for _, x := range xs {
			m.sd[j] += (x[j] - m.mu[j]) * (x[j] - m.mu[j])
		}
		m.sd[j] = math.Sqrt(m.sd[j]/float64(len(xs))) + 1e-9
	}
	z := make([][]float64, len(xs))
	for i, x := range xs {
		z[i] = make([]float64, d)
		for j := range d {
			z[i][j] = (x[j] - m.mu[j]) / m.sd[j]
		}
	}
	W := 0.0
	for _, w := range ws {
		W += w
	}
	for it := 0; it < 3000; it++ {
		g := make([]float64, d)
		gb := 0.0
		for i, x := range z {
			p := m.prob0(x)
			y := 0.0
			if ys[i] {
				y = 1
			}
			for j := range d {
				g[j] += ws[i] * (p - y) * x[j]
			}
			gb += ws[i] * (p - y)
		}
		for j := range d {
			m.w[j] -= 0.5 * (g[j]/W + l2*m.w[j])
		}
		m.b -= 0.5 * gb / W
	}
	return m
}

func (m lr) prob0(z []float64) float64 {
	s := m.b
	for j := range z {
		s += m.w[j] * z[j]
	}
	return 1 / (1 + math.Exp(-s))
}

func (m lr) prob(x []float64) float64 {
	z := make([]float64, len(x))
	for j := range x {
		z[j] = (x[j] - m.mu[j]) / m.sd[j]
	}
	return m.prob0(z)
}

type ranked struct {
	p     float64
	blame bool
}

func ap(rs []ranked) float64 {
	rs = slices.Clone(rs)
	slices.SortStableFunc(rs, func(a, b ranked) int { return cmp.Compare(b.p, a.p) })
	pos := 0
	for _, r := range rs {
		if r.blame {
			pos++
		}
	}
	sum, tp := 0.0, 0
	for i, r := range rs {
		if r.blame {
			tp++
			sum += float64(tp) / float64(i+1)
		}
	}
	if pos == 0 {
		return 1
	}
	return sum / float64(pos)
}

func recallAt(rs []ranked, p float64) float64 {
	rs = slices.Clone(rs)
	slices.SortStableFunc(rs, func(a, b ranked) int { return cmp.Compare(b.p, a.p) })
	pos := 0
	for _, r := range rs {
		if r.blame {
			pos++
		}
	}
	best, tp := 0.0, 0
	for i, r := range rs {
		if r.blame {
			tp++
		}
		if (i == len(rs)-1 || rs[i+1].p != r.p) && float64(tp) >= p*float64(i+1) {
			best = max(best, float64(tp)/float64(pos))
		}
	}
	return best
}

// bestF1 is the best F1 over cuts, with its P and R.
func bestF1(rs []ranked) (float64, float64, float64) {
	rs = slices.Clone(rs)
	slices.SortStableFunc(rs, func(a, b ranked) int { return cmp.Compare(b.p, a.p) })
	pos := 0
	for _, r := range rs {
		if r.blame {
			pos++
		}
	}
	bf, bp, br := 0.0, 0.0, 0.0
	tp := 0
	for i, r := range rs {
		if r.blame {
			tp++
		}
		if i == len(rs)-1 || rs[i+1].p != r.p {
			p, rc := float64(tp)/float64(i+1), float64(tp)/float64(pos)
			if f := 2 * p * rc / (p + rc + 1e-12); f > bf {
				bf, bp, br = f, p, rc
			}
		}
	}
	return bf, bp, br
}

func score(r rec, m *lr) float64 {
	if ruled(r) {
		return 2
	}
	ps := modelPs(r)
	mx := 0.0
	if len(ps) > 0 {
		mx = ps[0]
	}
	if m == nil || !isReply(r) {
		return mx
	}
	return m.prob(feats(r))
}

func main() {
	in := flag.String("in", "", "records")
	flag.StringVar(&featSet, "f", "2", "features: 2 3 m c n w o")
	train := flag.String("train", "hand_replies", "sets to fit on, comma")
	l2 := flag.Float64("l2", 0.01, "")
	genW := flag.Float64("genw", 1, "weight of the generated replies")
	flag.Parse()
	fh, _ := os.Open(*in)
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<24)
	bySet := map[string][]rec{}
	for sc.Scan() {
		var r rec
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			panic(err)
		}
		bySet[r.Set] = append(bySet[r.Set], r)
	}
	var xs [][]float64
	var ys []bool
	var ws []float64
	for _, s := range strings.Split(*train, ",") {
		for _, r := range bySet[s] {
			if ruled(r) || !isReply(r) {
				continue
			}
			xs = append(xs, feats(r))
			ys = append(ys, r.Blame)
			w := 1.0
			if s == "replies" {
				w = *genW
			}
			ws = append(ws, w)
		}
	}
	m := fit(xs, ys, ws, *l2)
	fmt.Printf("features %q fit on %d: w %.3f b %.3f\n", featSet, len(xs), m.w, m.b)
	names := make([]string, 0)
	for k := range bySet {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		rs := bySet[name]
		var base, comb []ranked
		for _, r := range rs {
			base = append(base, ranked{score(r, nil), r.Blame})
			comb = append(comb, ranked{score(r, &m), r.Blame})
		}
		f0, p0, r0 := bestF1(base)
		f1, p1, r1 := bestF1(comb)
		// paired bootstrap of the AP difference
		rng := rand.New(rand.NewPCG(1, 2))
		var ds []float64
		for range 2000 {
			var b, c []ranked
			for range rs {
				i := rng.IntN(len(rs))
				b = append(b, base[i])
				c = append(c, comb[i])
			}
			ds = append(ds, ap(c)-ap(b))
		}
		slices.Sort(ds)
		fmt.Printf("%-26s %4d AP %.3f -> %.3f (d %+.3f, 90%% %+.3f..%+.3f) R@P95 %.3f -> %.3f  bestF1 %.3f (P %.2f R %.2f) -> %.3f (P %.2f R %.2f)\n",
			name, len(rs), ap(base), ap(comb), ap(comb)-ap(base), ds[100], ds[1899], recallAt(base, 0.95), recallAt(comb, 0.95), f0, p0, r0, f1, p1, r1)
	}
}
