package roleplay

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/allydesk/ally/tone"
)

// Brief is what a trainee may see before starting: no hidden facts.
type Brief struct {
	ID       string  `json:"id"`
	Title    string  `json:"title"`
	Kind     string  `json:"kind"`
	Summary  string  `json:"summary"`
	Persona  Persona `json:"persona"`
	Opening  string  `json:"opening"`
	MaxTurns int     `json:"max_turns"`
	Goals    []Goal  `json:"goals"`
}

// Brief returns the scenario's public description.
func (sc *Scenario) Brief() Brief {
	return Brief{ID: sc.ID, Title: sc.Title, Kind: string(sc.Kind), Summary: sc.Summary, Persona: sc.Persona,
		Opening: sc.Opening, MaxTurns: sc.MaxTurns, Goals: Start(sc).Goals()}
}

// WriteList writes scenarios as a table: number, id, temperament, kind, title.
func WriteList(w io.Writer, scenarios []*Scenario) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tID\tTEMPERAMENT\tKIND\tTITLE")
	for i, sc := range scenarios {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", i+1, sc.ID, sc.Persona.Temperament, sc.Kind, sc.Title)
	}
	return tw.Flush()
}

// WriteDebrief writes a debrief as plain text: outcome, scores, goals, what
// the persona was hiding, the first steps, and the transcript with findings
// and kinder phrasings.
func WriteDebrief(w io.Writer, d Debrief) error {
	var b strings.Builder
	name := d.Persona.Name
	fmt.Fprintf(&b, "\nDebrief: %s\n", d.Title)
	turns := "turns"
	if d.Turns == 1 {
		turns = "turn"
	}
	fmt.Fprintf(&b, "Ended: %s after %d %s\n", endText(d.Ended, name), d.Turns, turns)
	if note := EndNote(d.Ended); note != "" {
		fmt.Fprintf(&b, "%s\n", note)
	}
	s := d.Scores
	fmt.Fprintf(&b, "Scores: overall %d | empathy %d | blame avoided %d | "+
		"facts gathered %d | first steps %d | clarity %d\n",
		s.Overall, s.Empathy, s.BlameAvoided, s.FactsGathered, s.FirstSteps, s.Clarity)
	b.WriteString("\nGoals:\n")
	for _, g := range d.Goals {
		fmt.Fprintf(&b, "  %s %s\n", mark(g.Met), g.Title)
	}
	fmt.Fprintf(&b, "\nWhat %s knew:\n", name)
	for _, f := range d.Facts {
		if f.Revealed {
			fmt.Fprintf(&b, "  %s %s (told on turn %d)\n", mark(true), f.Text, f.Turn)
		} else {
			fmt.Fprintf(&b, "  %s %s\n      %s\n", mark(false), f.Text, f.Unlock)
		}
	}
	b.WriteString("\nFirst steps:\n")
	for _, st := range d.Steps {
		fmt.Fprintf(&b, "  %s %s\n", mark(st.Given), st.Text)
	}
	fmt.Fprintf(&b, "\nTranscript:\n  %s: %s\n", name, d.Opening)
	for _, t := range d.Transcript {
		fmt.Fprintf(&b, "  %d. You: %s\n", t.N, t.Trainee)
		for _, f := range t.Findings {
			sign, match := "!", ""
			if f.Severity == tone.SeverityInfo {
				sign = "i"
			}
			if f.Match != "" {
				match = fmt.Sprintf(" %q", f.Match)
			}
			fmt.Fprintf(&b, "       %s %s%s: %s %s\n", sign, f.Category, match, f.Message, f.Suggestion)
		}
		for _, a := range t.Advice {
			fmt.Fprintf(&b, "       ! advice: %s\n", a)
		}
		if t.Better != "" {
			fmt.Fprintf(&b, "       Try: %s\n", t.Better)
		}
		fmt.Fprintf(&b, "     %s (%s, trust %d, stress %d): %s\n", name, t.State, t.Trust, t.Stress, t.Reply)
	}
	b.WriteString("\nTo practise next:\n")
	for _, l := range d.Lessons {
		fmt.Fprintf(&b, "  - %s\n", l)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func endText(e EndReason, name string) string {
	switch e {
	case EndGoalsMet:
		return "goals met"
	case EndDisengaged:
		return name + " stopped talking (disengaged)"
	case EndOutOfTurns:
		return "out of turns"
	case EndStopped:
		return "you stopped early"
	}
	return "still going"
}

// stoppedNote is said to a trainee who ended a session early. It is kind
// and plain (reading grade 8 or lower, no blame): stopping is allowed.
const stoppedNote = "That is fine: you can stop at any time. " +
	"The notes below show what went well and what to try next. " +
	"Have another go when you are ready."

// EndNote is a kind word about how a session ended, for the debrief; it is
// empty unless there is something to add to the reason itself.
func EndNote(e EndReason) string {
	if e == EndStopped {
		return stoppedNote
	}
	return ""
}

func mark(ok bool) string {
	if ok {
		return "[x]"
	}
	return "[ ]"
}
