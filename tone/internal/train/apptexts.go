package main

import (
	"log"
	"math"

	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/playbook"
	"github.com/allydesk/ally/signals"
	"github.com/allydesk/ally/tone"
	"github.com/allydesk/ally/web"
)

// recorder is a playbook.ToneChecker that keeps the model's scores of
// every text it is asked to check.
type recorder struct {
	e      *tone.Engine
	scores [][]tone.SentenceScore
}

// Check scores the text for the record and checks it as the engine does.
func (r *recorder) Check(text string, aud tone.Audience) tone.Result {
	r.scores = append(r.scores, r.e.SentenceScores(text))
	return r.e.Check(text, aud)
}

// appScores are the engine's scores of Ally's own words: every text of the
// built-in playbooks, mail templates and signal types that `ally playbook
// lint` checks, and the words of the web pages a reporter reads.
func appScores(e *tone.Engine) [][]tone.SentenceScore {
	r := &recorder{e: e}
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
		for _, text := range texts {
			r.Check(text, tone.AudienceReporter)
		}
	}
	return r.scores
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
