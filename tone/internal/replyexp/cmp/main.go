// Command cmp compares two models' dev-set scores (records from
// internal/train -model): AP and R@P95 of texts ranked by their most
// blaming sentence, with a paired bootstrap of the AP difference.
package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
)

type sent struct {
	Rule  bool
	P     float64
	Reply bool
}

type rec struct {
	Set   string `json:"set"`
	ID    string `json:"id"`
	Blame bool   `json:"blame"`
	Sents []sent `json:"sents"`
}

type ranked struct {
	p     float64
	blame bool
}

func load(path string) map[string]map[string]rec {
	fh, err := os.Open(path)
	if err != nil {
		panic(err)
	}
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<24)
	out := map[string]map[string]rec{}
	for sc.Scan() {
		var r rec
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			panic(err)
		}
		if out[r.Set] == nil {
			out[r.Set] = map[string]rec{}
		}
		out[r.Set][r.ID] = r
	}
	return out
}

// top: as internal/train's rankTexts (a rule's blame counts as 1).
func top(r rec) float64 {
	m := 0.0
	for _, s := range r.Sents {
		p := s.P
		if s.Rule {
			p = 1
		}
		m = max(m, p)
	}
	return m
}

func ap(rs []ranked) float64 {
	rs = slices.Clone(rs)
	slices.SortStableFunc(rs, func(a, b ranked) int { return cmp.Compare(b.p, a.p) })
	pos, tp, sum := 0, 0, 0.0
	for _, r := range rs {
		if r.blame {
			pos++
		}
	}
	for i, r := range rs {
		if r.blame {
			tp++
			sum += float64(tp) / float64(i+1)
		}
	}
	return sum / float64(max(pos, 1))
}

// pr is the precision and recall of the combined verdict at thresholds
// 0.70 (sentence), 0.71 (reply) and veto 0.10, the shipped model's.
func pr(rs map[string]rec) (float64, float64) {
	var tp, fp, fn float64
	for _, r := range rs {
		got := false
		for _, s := range r.Sents {
			t := 0.70
			if s.Reply {
				t = 0.71
			}
			got = got || (s.Rule && s.P >= 0.10) || (!s.Rule && s.P >= t)
		}
		switch {
		case got && r.Blame:
			tp++
		case got:
			fp++
		case r.Blame:
			fn++
		}
	}
	return tp / max(tp+fp, 1), tp / max(tp+fn, 1)
}

func main() {
	a, b := load(os.Args[1]), load(os.Args[2])
	var names []string
	for k := range a {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		var ids []string
		for id := range a[name] {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		var ra, rb []ranked
		for _, id := range ids {
			ra = append(ra, ranked{top(a[name][id]), a[name][id].Blame})
			rb = append(rb, ranked{top(b[name][id]), b[name][id].Blame})
		}
		rng := rand.New(rand.NewPCG(1, 2))
		var ds []float64
		for range 2000 {
			var x, y []ranked
			for range ids {
				i := rng.IntN(len(ids))
				x, y = append(x, ra[i]), append(y, rb[i])
			}
			ds = append(ds, ap(y)-ap(x))
		}
		slices.Sort(ds)
		pa, qa := pr(a[name])
		pb, qb := pr(b[name])
		fmt.Printf("%-24s %4d AP %.3f -> %.3f (%+.3f, 90%% %+.3f..%+.3f); at 0.70/0.71/0.10 P/R %.3f/%.3f -> %.3f/%.3f\n",
			name, len(ids), ap(ra), ap(rb), ap(rb)-ap(ra), ds[100], ds[1899], pa, qa, pb, qb)
	}
}
