package main

import (
	"fmt"
	"log"
	"math"
	"slices"

	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/playbook"
	"github.com/allydesk/ally/signals"
	"github.com/allydesk/ally/tone"
	"github.com/allydesk/ally/web"
)

// recorder is a playbook.ToneChecker that keeps every text it is asked to
// check.
type recorder struct {
	e     *tone.Engine
	texts []string
}

// Check keeps the text and checks it as the engine does.
func (r *recorder) Check(text string, aud tone.Audience) tone.Result {
	r.texts = append(r.texts, text)
	return r.e.Check(text, aud)
}

// appTexts are Ally's own words: every text of the built-in playbooks,
// mail templates and signal types that `ally playbook lint` checks, and the
// words of the web pages a reporter reads.
func appTexts() []string {
	r := &recorder{e: tone.Default().WithModel(nil)}
	if _, err := playbook.Lint(playbook.DefaultFS(), r); err != nil {
		log.Fatal(err)
	}
	if _, err := mailtext.Lint("", r); err != nil {
		log.Fatal(err)
	}
	if _, err := signals.Lint("", r); err != nil {
		log.Fatal(err)
	}
	words, err := web.ReporterWords()
	if err != nil {
		log.Fatal(err)
	}
	for _, texts := range words {
		r.texts = append(r.texts, texts...)
	}
	// The reporter words come from maps: sorted, the texts (and so the ids
	// appLabelled gives them, and the model) are the same on every run.
	slices.Sort(r.texts)
	return slices.Compact(r.texts)
}

// appLabelled are Ally's own words as kind examples to train on (ids
// "app-N"): they are kind by construction, and the first-aid steps among
// them ("Do not reply to it.") are the kind of imperative that kind replies
// are full of.
func appLabelled(texts []string) []tone.Labelled {
	out := make([]tone.Labelled, len(texts))
	for i, t := range texts {
		out[i] = tone.Labelled{ID: fmt.Sprintf("app-%d", i), Text: t}
	}
	return out
}

// appScores are the engine's scores of the texts, sentence by sentence.
func appScores(e *tone.Engine, texts []string) [][]tone.SentenceScore {
	out := make([][]tone.SentenceScore, len(texts))
	for i, t := range texts {
		out[i] = e.SentenceScores(t)
	}
	return out
}

// aboveApp raises the cut's thresholds, where needed, to the first step
// above the model's highest score of Ally's own words (a sentence on its
// own for the sentence threshold, a sentence of a reply for the reply
// threshold), so that the app passes its own engine. It reports the
// highest scores too.
func aboveApp(c cut, app [][]tone.SentenceScore) (out cut, sentence, reply float64) {
	for _, ss := range app {
		for _, s := range ss {
			if s.Rule {
				continue // a rule's finding is the lint's business, model or not
			}
			if s.Reply {
				reply = max(reply, s.P)
			} else {
				sentence = max(sentence, s.P)
			}
		}
	}
	above := func(p float64) float64 { return math.Floor(p*100)/100 + 0.01 }
	c.sentence, c.reply = max(c.sentence, above(sentence)), max(c.reply, above(reply))
	return c, sentence, reply
}
