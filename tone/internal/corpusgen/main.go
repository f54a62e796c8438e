// Command corpusgen writes the tone model's training corpus, tone/corpus/,
// from the templates (templates.txt) and slots (slots.go) in this folder: single sentences of every
// kind of blame and of kind wording full of the same trigger words, in four
// registers, and whole replies that hide one blaming sentence among kind
// ones. It is deterministic (fixed seed); `go generate ./tone/...` runs it.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Labelled is one line of the corpus (the shape of tone.Labelled).
type Labelled struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Blame bool   `json:"blame"`
	Kind  string `json:"kind,omitempty"`
}

const (
	perBlameKind = 1200 // sentences per kind of blame
	replies      = 700  // whole replies, half of them blaming
)

func main() {
	dir := "corpus"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	blame, kind, err := parseTemplates(templatesTxt)
	if err != nil {
		log.Fatal(err)
	}
	x := &expander{rng: rand.New(rand.NewPCG(17, 2026)), slots: slots}
	sents := sentences(x, blame, kind)
	if err := write(filepath.Join(dir, "train.jsonl"), sents); err != nil {
		log.Fatal(err)
	}
	if err := write(filepath.Join(dir, "replies.jsonl"), wholeReplies(x, blame, kind)); err != nil {
		log.Fatal(err)
	}
}

// sentences makes about as many kind sentences as blaming ones, each in a
// register picked at random, without duplicates.
func sentences(x *expander, blameTemplates, kindTemplates map[string][]string) []Labelled {
	var out []Labelled
	seen := map[string]bool{}
	add := func(kinds map[string][]string, blame bool, per int) {
		for _, kind := range sortedKeys(kinds) {
			made := 0
			for try := 0; made < per && try < per*20; try++ {
				t := x.rng.IntN(len(kinds[kind]))
				s := register(x, x.sentence(kinds[kind][t]))
				if seen[strings.ToLower(s)] {
					continue
				}
				seen[strings.ToLower(s)] = true
				made++
				id := fmt.Sprintf("%s-t%02d-%04d", kind, t, made)
				out = append(out, Labelled{ID: id, Text: s, Blame: blame, Kind: kind})
			}
		}
	}
	add(blameTemplates, true, perBlameKind)
	add(kindTemplates, false, perBlameKind*len(blameTemplates)/len(kindTemplates))
	for i, s := range playbookSentences() {
		if !seen[strings.ToLower(s)] {
			seen[strings.ToLower(s)] = true
			out = append(out, Labelled{ID: fmt.Sprintf("playbook-%04d", i+1), Text: s})
		}
	}
	return out
}

// wholeReplies joins two to five kind sentences; every other reply hides
// one blaming sentence among them.
func wholeReplies(x *expander, blameTemplates, kindTemplates map[string][]string) []Labelled {
	blameKinds, kindKinds := sortedKeys(blameTemplates), sortedKeys(kindTemplates)
	var out []Labelled
	for i := range replies {
		n := 2 + x.rng.IntN(4)
		parts := make([]string, 0, n+1)
		for range n {
			parts = append(parts, x.sentence(x.pick(kindTemplates[x.pick(kindKinds)])))
		}
		it := Labelled{ID: fmt.Sprintf("reply-%04d", i+1)}
		if i%2 == 1 {
			it.Kind = x.pick(blameKinds)
			it.Blame = true
			at := 1 + x.rng.IntN(n)
			parts = slices.Insert(parts, at, x.sentence(x.pick(blameTemplates[it.Kind])))
		}
		sep := x.pick([]string{" ", " ", "\n", "\n\n"})
		text := strings.Join(parts, sep)
		if x.rng.IntN(3) == 0 {
			text = x.fill("{Hi|Hello|Hi there|Dear colleague|Hey}{ Alex| Sam| Priya|},\n\n") + text
		}
		if x.rng.IntN(3) == 0 {
			text += x.fill("\n\n{Thanks|Kind regards|Best|Cheers},\n{The security team|Ally desk|Chris}")
		}
		it.Text = text
		out = append(out, it)
	}
	return out
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func write(path string, items []Labelled) error {
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(fh)
	enc.SetEscapeHTML(false)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			fh.Close()
			return err
		}
	}
	return fh.Close()
}
