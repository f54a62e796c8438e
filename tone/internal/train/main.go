// Command train fits the tone engine's learned layer to the corpus and
// writes the model that the tone package embeds. `go generate ./tone/...`
// runs it after corpusgen. It is deterministic: a fixed seed and a split
// by id.
//
// Training: tone/corpus/train.jsonl (30% of the generated sentences,
// picked by id), tone/corpus/hand.jsonl, hand3.jsonl, hand4.jsonl,
// hand_replies.jsonl, hand_replies2.jsonl, hand_replies3.jsonl,
// hand_replies4.jsonl and holdout4_replies.jsonl (written by hand, counted
// six times), Ally's own words as kind texts
// (appTexts, six times; since session 10) and tone/testdata/corpus.jsonl
// (three times); a blaming reply teaches through its most blaming sentence
// from the fifth pass on (tone.TrainConfig.MILFrom),
// less a validation share. The share is picked by a hash of each generated
// sentence's template (the "-tNN" in its id), so validation measures
// phrasings the model never saw, and by a hash of the id for hand-written
// ones. Validation: that share and every whole reply in
// tone/corpus/replies.jsonl. A first model, trained without the validation
// share, reports its figures and picks a sentence threshold, a reply
// threshold and a veto (see tone.Model and choose) with the best F-measure on
// the hand-written sets counted together (held-out hand-written text and the
// dev sets, -dev: the project's holdouts, never trained on). The model
// shipped is then trained on every text, and its own thresholds and veto
// are picked the same way on its scores of the dev sets: the issue-17 and
// session-5 holdouts and their replies, and holdout5_replies.jsonl (whole
// replies written whole by someone who never saw the engine; chosen on
// since session 9), and then raised where needed to just above the
// model's highest score of Ally's own words (the built-in playbooks, mail
// templates and signal types, as `ally playbook lint` reads them, and the
// words of the web pages a reporter reads; aboveApp),
// so that the app passes its own engine. Report-only dev sets (-report: holdout7, session 9) are
// scored and printed but never chosen on: they are kept to see whether a
// change helps text unlike the dev sets. Beside precision
// and recall at the chosen cut, it prints two figures that need no
// threshold, for comparing models: AP and R@P95 (avgPrecision, recallAt).
// The fresh holdouts (corpus/holdout_fresh*.jsonl, corpus/holdout3*.jsonl,
// corpus/holdout6*.jsonl, corpus/holdout8*.jsonl, corpus/holdout9*.jsonl)
// are sealed test sets and are never read here.
package main

import (
	"cmp"
	"flag"
	"fmt"
	"hash/fnv"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/allydesk/ally/tone"
)

const (
	validShare = 20 // percent of the sentences kept for validation
)

func main() {
	corpus := flag.String("corpus", "corpus", "folder holding train.jsonl and replies.jsonl")
	extra := flag.String("extra", "testdata/corpus.jsonl", "another labelled corpus to train on")
	handFiles := flag.String("hand", "corpus/hand.jsonl,corpus/hand_replies.jsonl,corpus/hand_replies2.jsonl,"+
		"corpus/holdout4_replies.jsonl,corpus/hand3.jsonl,corpus/hand_replies3.jsonl,corpus/hand4.jsonl,"+
		"corpus/hand_replies4.jsonl",
		"hand-written training text (comma-separated), counted -hand-weight times")
	handWeight := flag.Int("hand-weight", 6, "how many times each hand-written text counts")
	appWeight := flag.Int("app-weight", 6, "how many times each of Ally's own texts counts, as kind")
	genShare := flag.Int("gen-share", 30, "percent of the generated sentences trained on (picked by id)")
	out := flag.String("out", "model.bin.gz", "where to write the model")
	cfg := tone.DefaultTrainConfig
	flag.IntVar(&cfg.Bits, "bits", cfg.Bits, "the model has 1<<bits feature buckets")
	flag.Float64Var(&cfg.L2, "l2", cfg.L2, "L2 regularisation")
	flag.Float64Var(&cfg.Rate, "rate", cfg.Rate, "AdaGrad rate")
	flag.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "passes over the data")
	flag.IntVar(&cfg.Average, "average", cfg.Average, "models (one shuffling seed each) averaged into one")
	flag.IntVar(&cfg.MILFrom, "mil", cfg.MILFrom,
		"from this pass on, a blaming reply teaches through its most blaming sentence (0: never)")
	flag.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "first shuffling seed (the next -average-1 follow it)")
	curve := flag.Bool("curve", false, "also print validation precision and recall by threshold and veto")
	dev := flag.String("dev", "corpus/holdout.jsonl,corpus/holdout_replies.jsonl,"+
		"corpus/holdout2.jsonl,corpus/holdout2_replies.jsonl,corpus/holdout5_replies.jsonl",
		"hand-written dev sets (comma-separated), never trained on, also used to choose the threshold")
	report := flag.String("report", "corpus/holdout7.jsonl,corpus/holdout7_replies.jsonl",
		"dev sets (comma-separated), never trained on, whose figures are printed but not chosen on")
	errs := flag.Bool("errors", false, "also list the validation sentences misjudged at the chosen threshold")
	flag.Parse()
	// The hand-written corpus counts three times: it is smaller and
	// more varied than the generated one.
	rulesCorpus := read(*extra)
	var sents []tone.Labelled
	for _, it := range read(filepath.Join(*corpus, "train.jsonl")) {
		// The playbooks' own words are always trained on: the engine must
		// pass them.
		if share(it.ID) < *genShare || bucket(it.ID) < validShare || strings.HasPrefix(it.ID, "playbook-") {
			sents = append(sents, it)
		}
	}
	sents = slices.Concat(sents, rulesCorpus, rulesCorpus, rulesCorpus)
	var hand []tone.Labelled
	for _, path := range strings.Split(*handFiles, ",") {
		if path != "" {
			hand = append(hand, read(path)...)
		}
	}
	for range *handWeight {
		sents = append(sents, hand...)
	}
	app := appTexts()
	for range *appWeight {
		sents = append(sents, appLabelled(app)...)
	}
	replies := read(filepath.Join(*corpus, "replies.jsonl"))
	var train, valid, validHand, validHandReplies []tone.Labelled
	inValid := map[string]bool{}
	for _, it := range sents {
		if bucket(it.ID) < validShare {
			switch {
			case inValid[it.ID]:
			case strings.HasPrefix(it.ID, "wr"): // hand-written replies (hand_replies.jsonl)
				validHandReplies = append(validHandReplies, it)
			case strings.HasPrefix(it.ID, "w"): // hand-written for the model (hand.jsonl)
				validHand = append(validHand, it)
			default:
				valid = append(valid, it)
			}
			inValid[it.ID] = true
		} else {
			train = append(train, it)
		}
	}
	rules := tone.Default().WithModel(nil)
	m := rules.Train(train, cfg)
	e := rules.WithModel(m)
	sets := []evalSet{{name: "validation sentences", items: valid}, {name: "validation replies", items: replies},
		{name: "validation hand-written", items: validHand, hand: true},
		{name: "validation hand replies", items: validHandReplies, hand: true, replies: true}}
	for i, list := range []string{*dev, *report} {
		for _, path := range strings.Split(list, ",") {
			if path != "" {
				// hand: chosen on (fScore); a report-only set is not.
				sets = append(sets, evalSet{name: "dev " + filepath.Base(path), items: read(path), hand: i == 0,
					replies: strings.Contains(filepath.Base(path), "_replies")})
			}
		}
	}
	for i := range sets {
		sets[i].scores = scores(e, sets[i].items)
	}
	best := choose(sets)
	if *curve {
		for _, v := range []float64{0, 0.02, 0.05, 0.1} {
			for t := 0.3; t < 0.995; t += 0.05 {
				fmt.Printf("v %.2f t %.2f ", v, t)
				for _, s := range sets {
					p, r := pr(s.scores, s.items, cut{t, t, v})
					fmt.Printf(" | P %.3f R %.3f", p, r)
				}
				fmt.Println()
			}
		}
	}
	if *errs {
		// Validation only: the dev sets' misses are not listed.
		for _, s := range sets[:4] {
			for i, it := range s.items {
				if blames(s.scores[i], best) != it.Blame {
					fmt.Printf("%v %s: %s\n", it.Blame, it.ID, it.Text)
				}
			}
		}
	}
	fmt.Printf("trained on %d texts; %v\n", len(train), best)
	printFigures(sets, best)
	// The model shipped learns from every sentence, validation included.
	// More data makes it surer of itself than the model above, so its
	// threshold and veto are chosen again, the same way, on its own scores
	// of the dev sets, which it never trained on.
	m = rules.Train(sents, cfg)
	e = rules.WithModel(m)
	var devs []evalSet
	for _, s := range sets {
		if strings.HasPrefix(s.name, "dev ") {
			s.scores = scores(e, s.items)
			devs = append(devs, s)
		}
	}
	best = choose(devs)
	// Ally's own words must pass its own engine: the thresholds sit above
	// the model's scores of them.
	chosen := best
	best, appSentence, appReply := aboveApp(best, appScores(e, app))
	fmt.Printf("Ally's own words: highest score %.3f on its own, %.3f in a reply; chosen %v\n",
		appSentence, appReply, chosen)
	fmt.Printf("shipped model, trained on %d texts; %v\n", len(sents), best)
	printFigures(devs, best)
	m.Threshold, m.ReplyThreshold, m.Veto = float32(best.sentence), float32(best.reply), float32(best.veto)
	fh, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := m.WriteTo(fh); err != nil {
		log.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		log.Fatal(err)
	}
}

// evalSet is a labelled set used to choose the threshold, with the
// engine's scores of its texts.
type evalSet struct {
	name   string
	items  []tone.Labelled
	scores [][]tone.SentenceScore
	hand   bool // written by hand, never trained on: the threshold is chosen on these
	// replies holds whole replies: the reply threshold is chosen on these,
	// the sentence threshold on the other hand-written sets.
	replies bool
}

// cut is a combined verdict's thresholds: the model's for a sentence on
// its own and for a sentence of a reply, and the veto.
type cut struct{ sentence, reply, veto float64 }

func (c cut) String() string {
	return fmt.Sprintf("threshold %.2f, reply threshold %.2f, veto %.3f", c.sentence, c.reply, c.veto)
}

// choose picks the thresholds and veto with the best F-measure on the
// hand-written sets (held-out hand-written text and the dev sets), their
// texts counted together: sentences and whole replies are scored by F0.5
// (beta). Until session 11 the rule took the set where the F-measure was
// lowest; the dev sets are small (100 to 277 texts), and on a sharper model
// that rule jumped from one threshold to another far off as a few texts of
// one set crossed (a reply threshold of 0.93, at a recall of 0.56 to 0.58 on
// two dev sets). Generated validation is reported but not chosen on: its
// whole replies carry the templates' label noise, and text people write is
// what the engine must judge. An F-measure rather than "best recall at a
// fixed precision": no threshold reaches a fixed precision on every set,
// and the rule then fell back to the most precise threshold, which gave up
// most of the recall. The reply threshold is chosen on the sets of whole
// replies, then the sentence threshold on the sets of sentences (a few of
// their texts have two sentences and are judged as replies), then the veto
// on all of them; ties go to the higher threshold.
func choose(sets []evalSet) cut {
	var best cut
	bestScore := -1.0
	for _, v := range []float64{0, 0.005, 0.01, 0.02, 0.05, 0.1} {
		c := cut{0.5, 0.5, v}
		c.reply = sweep(sets, true, c, func(c *cut, t float64) { c.reply = t })
		c.sentence = sweep(sets, false, c, func(c *cut, t float64) { c.sentence = t })
		if score := fScore(sets, func(evalSet) bool { return true }, c); score > bestScore {
			best, bestScore = c, score
		}
	}
	return best
}

// sweep returns the threshold, set into c by set, with the best fScore on
// the hand-written sets whose replies field is replies. Each threshold's
// score is the mean over it and its neighbours within smooth steps: a spike
// where two kind texts happen to score just under a threshold is luck, not
// a better threshold.
func sweep(sets []evalSet, replies bool, c cut, set func(*cut, float64)) float64 {
	const lo, step, smooth = 0.05, 0.01, 3
	var ts, raw []float64
	for t := lo; t < 0.995; t += step {
		set(&c, t)
		ts = append(ts, t)
		raw = append(raw, fScore(sets, func(s evalSet) bool { return s.replies == replies }, c))
	}
	best, bestScore := 0.5, -1.0
	for i, t := range ts {
		sum, n := 0.0, 0
		for j := max(0, i-smooth); j <= min(len(raw)-1, i+smooth); j++ {
			sum, n = sum+raw[j], n+1
		}
		if score := sum / float64(n); score >= bestScore {
			best, bestScore = t, score
		}
	}
	return best
}

// fScore is the F-measure of the hand-written sets that pass keep, their
// texts counted together, at the cut c.
func fScore(sets []evalSet, keep func(evalSet) bool, c cut) float64 {
	var all confusion
	for _, s := range sets {
		if s.hand && keep(s) {
			all = all.plus(count(s.scores, s.items, c))
		}
	}
	return fBeta(ratio(all.tp, all.tp+all.fp), ratio(all.tp, all.tp+all.fn), beta)
}

// beta is the F-measure's beta: 0.5, precision weighs twice, for
// sentences and replies alike, because a false alarm holds a kind reply
// back (and a sentence threshold also judges the app's own short texts).
// Until session 10 replies used F1: a reply was flagged by its most
// blaming sentence, but trained as one run, and F0.5 pushed its threshold
// to where most blaming replies passed (0.58 of the session-5 dev replies'
// recall). Since replies teach through their most blaming sentence
// (tone.TrainConfig.MILFrom), F0.5 keeps most of it (0.82 on holdout5's
// replies), and F1 chose a reply threshold (0.36) under the sentence
// threshold, at a precision of 0.78 to 0.87 on the dev replies (docs/tone.md,
// session 10).
const beta = 0.5

// fBeta is the F-measure: recall weighs beta times as much as precision.
func fBeta(p, r, beta float64) float64 {
	if p == 0 && r == 0 {
		return 0
	}
	b2 := beta * beta
	return (1 + b2) * p * r / (b2*p + r)
}

func read(path string) []tone.Labelled {
	fh, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer fh.Close()
	items, err := tone.ReadLabelled(fh)
	if err != nil {
		log.Fatalf("%s: %v", path, err)
	}
	return items
}

// bucket is a stable number 0–99 for an id: for "kind-tNN-NNNN", for its
// kind and template.
func bucket(id string) int {
	if i := strings.LastIndexByte(id, '-'); strings.Contains(id, "-t") && i > 0 {
		id = id[:i]
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % 100)
}

// share is a stable number 0–99 for an id, independent of bucket.
func share(id string) int {
	h := fnv.New32a()
	h.Write([]byte("share:" + id))
	return int(h.Sum32() % 100)
}

func scores(e *tone.Engine, items []tone.Labelled) [][]tone.SentenceScore {
	out := make([][]tone.SentenceScore, len(items))
	for i, it := range items {
		out[i] = e.SentenceScores(it.Text)
	}
	return out
}

// blames is the combined verdict at the cut c.
func blames(ss []tone.SentenceScore, c cut) bool {
	for _, s := range ss {
		t := c.sentence
		if s.Reply {
			t = c.reply
		}
		if (s.Rule && s.P >= c.veto) || (!s.Rule && s.P >= t) {
			return true
		}
	}
	return false
}

// confusion counts a verdict's true positives, false positives and false
// negatives.
type confusion struct{ tp, fp, fn int }

func (a confusion) plus(b confusion) confusion {
	return confusion{a.tp + b.tp, a.fp + b.fp, a.fn + b.fn}
}

// count is the confusion of the combined verdict at the cut c.
func count(scores [][]tone.SentenceScore, items []tone.Labelled, c cut) confusion {
	var n confusion
	for i, it := range items {
		got := blames(scores[i], c)
		switch {
		case got && it.Blame:
			n.tp++
		case got:
			n.fp++
		case it.Blame:
			n.fn++
		}
	}
	return n
}

// pr is the precision and recall of the combined verdict.
func pr(scores [][]tone.SentenceScore, items []tone.Labelled, c cut) (float64, float64) {
	n := count(scores, items, c)
	return ratio(n.tp, n.tp+n.fp), ratio(n.tp, n.tp+n.fn)
}

// printFigures prints each set's precision and recall at the cut c, and
// its AP and R@P95.
func printFigures(sets []evalSet, c cut) {
	for _, s := range sets {
		p, r := pr(s.scores, s.items, c)
		rs, pos := rankTexts(s.scores, s.items)
		fmt.Printf("%-30s %4d, precision %.3f recall %.3f, AP %.3f, R@P95 %.3f\n", s.name+":", len(s.items), p, r,
			avgPrecision(rs, pos), recallAt(rs, pos, 0.95))
	}
}

// ranked is a text's most blaming sentence score (a rule's blame counts
// as 1) and its label.
type ranked struct {
	p     float64
	blame bool
}

// rankTexts ranks the texts by their most blaming sentence, most blaming
// first, and counts the blaming ones. A rule's blame counts as 1 even where
// the veto would excuse it (blames): AP and R@P95 compare models, before
// any cut is chosen.
func rankTexts(scores [][]tone.SentenceScore, items []tone.Labelled) (rs []ranked, pos int) {
	rs = make([]ranked, len(items))
	for i, it := range items {
		for _, s := range scores[i] {
			p := s.P
			if s.Rule {
				p = 1
			}
			rs[i].p = max(rs[i].p, p)
		}
		rs[i].blame = it.Blame
		if it.Blame {
			pos++
		}
	}
	slices.SortStableFunc(rs, func(a, b ranked) int { return cmp.Compare(b.p, a.p) })
	return rs, pos
}

// avgPrecision is the average precision of the ranked texts (rankTexts),
// pos of them blaming: a measure of the model that needs no threshold, for
// comparing models.
func avgPrecision(rs []ranked, pos int) float64 {
	var sum float64
	tp := 0
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

// recallAt is the best recall of the ranked texts (rankTexts), pos of them
// blaming, at precision p or more.
func recallAt(rs []ranked, pos int, p float64) float64 {
	best, tp := 0.0, 0
	for i, r := range rs {
		if r.blame {
			tp++
		}
		if (i == len(rs)-1 || rs[i+1].p != r.p) && float64(tp) >= p*float64(i+1) {
			best = max(best, ratio(tp, pos))
		}
	}
	return best
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
