package roleplay

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/allydesk/ally/tone"
)

func TestDefaultLibraryCoversKindsAndTemperaments(t *testing.T) {
	list := Default().List()
	if len(list) < 8 {
		t.Fatalf("%d default scenarios, want at least 8", len(list))
	}
	kinds, temps := map[string]bool{}, map[Temperament]bool{}
	for _, sc := range list {
		kinds[string(sc.Kind)] = true
		temps[sc.Persona.Temperament] = true
	}
	if len(kinds) < 7 || len(temps) != len(temperaments) {
		t.Errorf("kinds %v, temperaments %v: want at least 7 kinds and every temperament", kinds, temps)
	}
}

// Every default scenario is played twice: a blaming transcript must score low
// with the facts held back, and a kind one must meet the goals. Each is read
// by the simulator's own cues alone and together with the tone engine.
func TestDefaultScenarioTranscripts(t *testing.T) {
	checkers := map[string]Checker{"own-cues": fakeTone{}, "tone-engine": nil}
	for _, sc := range Default().List() {
		for _, tc := range []struct {
			name string
			good bool
		}{{"good", true}, {"blaming", false}} {
			for cname, c := range checkers {
				t.Run(sc.ID+"/"+tc.name+"/"+cname, func(t *testing.T) {
					d := playWith(sc, transcript(t, sc.ID, tc.name), c).Debrief()
					if tc.good {
						if d.Ended != EndGoalsMet || d.Scores.Overall < 85 || len(d.FactsRevealed) != len(sc.Facts) {
							t.Errorf("good transcript: ended %s, scores %+v, facts %v", d.Ended, d.Scores, d.FactsRevealed)
						}
						return
					}
					if d.Ended == EndGoalsMet || d.Scores.Overall > 40 || d.Scores.BlameAvoided > 60 ||
						d.Scores.FactsGathered > 0 || len(d.FactsRevealed) > 0 {
						t.Errorf("blaming transcript: ended %s, scores %+v, facts %v", d.Ended, d.Scores, d.FactsRevealed)
					}
				})
			}
		}
	}
}

func TestEveryTranscriptFolderHasAScenario(t *testing.T) {
	dirs, err := os.ReadDir(filepath.Join("testdata", "transcripts"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if _, ok := Default().Get(d.Name()); !ok {
			t.Errorf("testdata/transcripts/%s has no scenario", d.Name())
		}
	}
}

// The debrief's own words must be kind: better phrasings carry no blame, no
// harshness and no jargon, by our cues and by the tone engine.
func TestBetterPhrasingsAreKind(t *testing.T) {
	engine := tone.Default()
	for _, sc := range Default().List() {
		d := play(sc, transcript(t, sc.ID, "blaming")).Debrief()
		seen := 0
		for _, tr := range d.Transcript {
			if slices.ContainsFunc(tr.Findings, isProblem) && tr.Better == "" {
				t.Errorf("%s turn %d: findings but no better phrasing", sc.ID, tr.N)
			}
			if tr.Better == "" {
				continue
			}
			seen++
			r := Read(sc, tr.Better, engine)
			if r.Blame || r.Harsh || len(r.Jargon) > 0 || !(r.Acknowledge || r.Reassure) || engine.Check(tr.Better, tone.AudienceReporter).Grade > 8 {
				t.Errorf("%s turn %d: better phrasing %q reads as %+v", sc.ID, tr.N, tr.Better, r)
			}
		}
		if seen == 0 {
			t.Errorf("%s: blaming transcript got no better phrasings", sc.ID)
		}
		for _, f := range d.Facts {
			if r := Read(sc, f.Unlock, engine); f.Unlock == "" || r.Blame || r.Harsh {
				t.Errorf("%s fact %s: unlock hint %q", sc.ID, f.ID, f.Unlock)
			}
		}
	}
}

func isProblem(f tone.Finding) bool { return f.Severity != tone.SeverityInfo }

// Each topic's model question is kind, plain, and about its own topic, so the
// debrief's advice would work if followed.
func TestTopicQuestionsUnlockTheirTopic(t *testing.T) {
	sc := mustGet(t, "parcel-link-new-hire")
	engine := tone.Default()
	for _, tp := range AllTopics() {
		r := Read(sc, tp.Question, engine)
		if !r.Question || !slices.Contains(r.Topics, tp.ID) || r.Blame || r.Harsh || len(r.Jargon) > 0 ||
			engine.Check(tp.Question, tone.AudienceReporter).Grade > 8 {
			t.Errorf("topic %s: question %q reads as %+v", tp.ID, tp.Question, r)
		}
	}
}

// Scores order trainees sensibly: a polite but cold trainee who asks good
// questions lands between the blaming and the warm one, and the gap is empathy
// and the fact that needed trust.
func TestColdTranscriptScoresInBetween(t *testing.T) {
	sc := mustGet(t, "parcel-link-new-hire")
	score := func(name string) Debrief { return play(sc, transcript(t, sc.ID, name)).Debrief() }
	blaming, cold, good := score("blaming"), score("cold"), score("good")
	if !(blaming.Scores.Overall < cold.Scores.Overall && cold.Scores.Overall < good.Scores.Overall) {
		t.Errorf("overall: blaming %d, cold %d, good %d", blaming.Scores.Overall, cold.Scores.Overall, good.Scores.Overall)
	}
	if cold.Scores.Empathy >= 50 || cold.Scores.BlameAvoided != 100 || slices.Contains(cold.FactsRevealed, "forwarded") || len(cold.FactsRevealed) == 0 {
		t.Errorf("cold: scores %+v, facts %v", cold.Scores, cold.FactsRevealed)
	}
}
