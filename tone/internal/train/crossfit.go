package main

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"log"
	"os"
	"strings"

	"github.com/allydesk/ally/tone"
)

// replyRecord is one whole reply's per-sentence scores, for fitting a
// reply-level combiner: scored by a model that never trained on it.
type replyRecord struct {
	Set   string               `json:"set"`
	ID    string               `json:"id"`
	Blame bool                 `json:"blame"`
	Sents []tone.SentenceScore `json:"sents"`
	Whole float64              `json:"whole"`
}

func fold(id string, k int) int {
	h := fnv.New32a()
	h.Write([]byte("fold:" + id))
	return int(h.Sum32() % uint32(k))
}

// crossFit scores every hand-written reply (id "wr...") with a model trained
// without its fold, and the sets in other with the model full, writing one
// replyRecord per line to out.
func crossFit(rules *tone.Engine, sents []tone.Labelled, cfg tone.TrainConfig, k int, full *tone.Model,
	other map[string][]tone.Labelled, out string) {
	fh, err := os.Create(out)
	if err != nil {
		log.Fatal(err)
	}
	enc := json.NewEncoder(fh)
	emit := func(set string, e *tone.Engine, it tone.Labelled) {
		r := replyRecord{Set: set, ID: it.ID, Blame: it.Blame, Sents: e.SentenceScores(it.Text), Whole: e.TextScore(it.Text)}
		if err := enc.Encode(r); err != nil {
			log.Fatal(err)
		}
	}
	e := rules.WithModel(full)
	for name, items := range other {
		for _, it := range items {
			emit(name, e, it)
		}
	}
	for f := range k {
		var train []tone.Labelled
		held := map[string]tone.Labelled{}
		for _, it := range sents {
			if strings.HasPrefix(it.ID, "wr") && fold(it.ID, k) == f {
				held[it.ID] = it
				continue
			}
			train = append(train, it)
		}
		e := rules.WithModel(rules.Train(train, cfg))
		for _, it := range held {
			emit("hand_replies", e, it)
		}
		fmt.Fprintf(os.Stderr, "fold %d: %d replies held out\n", f, len(held))
	}
	if err := fh.Close(); err != nil {
		log.Fatal(err)
	}
}
