package roleplay

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/allydesk/ally/tone"
)

// fakeTone is a Checker that returns a fixed result.
type fakeTone struct{ res tone.Result }

func (f fakeTone) Check(string, tone.Audience) tone.Result { return f.res }

// transcript reads testdata/transcripts/<id>/<name>.txt, one message a line.
func transcript(t testing.TB, id, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "transcripts", id, name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// play starts sc and says each line until the session ends, then stops it.
func play(sc *Scenario, lines []string) *Session { return playWith(sc, lines, nil) }

// playWith is play reading messages with c (nil: the tone engine).
func playWith(sc *Scenario, lines []string, c Checker) *Session {
	s := Start(sc)
	s.checker = c
	for _, l := range lines {
		if s.Ended != "" {
			break
		}
		s.Say(l)
	}
	s.Stop()
	return s
}

func mustGet(t testing.TB, id string) *Scenario {
	t.Helper()
	sc, ok := Default().Get(id)
	if !ok {
		t.Fatalf("no scenario %q", id)
	}
	return sc
}
