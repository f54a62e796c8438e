// Package roleplay is a practice room for hard conversations: a simulated
// employee who has just had a security scare, and a deterministic engine that
// reacts to what the trainee says. Blame makes the persona hold back; warmth,
// open questions and clear first steps earn trust and unlock what they know.
// A debrief scores the conversation and shows kinder phrasings.
//
// Scenarios are data: embedded YAML defaults, overridable by a folder. The
// package is pure: no I/O beyond reading scenario files.
package roleplay

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/allydesk/ally"
	"go.yaml.in/yaml/v3"
)

// Temperament is how the persona meets stress. It changes how strongly they
// react to blame, warmth, jargon, long messages and clear steps.
type Temperament string

// Temperaments.
const (
	Anxious     Temperament = "anxious"
	Defensive   Temperament = "defensive"
	Embarrassed Temperament = "embarrassed"
	Angry       Temperament = "angry"
	Rushed      Temperament = "rushed"
)

// Persona is the person on the other side of the conversation.
type Persona struct {
	Name        string      `yaml:"name" json:"name"`
	Role        string      `yaml:"role" json:"role"`
	Temperament Temperament `yaml:"temperament" json:"temperament"`
}

// Fact is something the persona knows but only says when asked about one of
// its topics while trusting the trainee at least MinTrust.
type Fact struct {
	ID       string   `yaml:"id" json:"id"`
	Text     string   `yaml:"text" json:"text"` // what it is, for the debrief
	Topics   []string `yaml:"topics" json:"topics"`
	MinTrust int      `yaml:"min_trust" json:"min_trust"`
	Says     string   `yaml:"says" json:"says"` // the persona's words when they tell it
}

// Step is a first step the trainee should give. Each cue is a few words that
// must all appear in one sentence ("change password" matches "Please change
// the password for your email"); a word ending in * matches any word it starts.
type Step struct {
	ID   string   `yaml:"id" json:"id"`
	Text string   `yaml:"text" json:"text"` // the step in plain words
	Cues []string `yaml:"cues" json:"cues"`
}

// Lines are what the persona says in each state and reaction. A line is
// picked in turn from its list, so replays are deterministic. In Confused
// lines, {term} is replaced by the jargon the persona did not understand.
type Lines struct {
	Calm        []string `yaml:"calm" json:"calm"`
	Worried     []string `yaml:"worried" json:"worried"`
	Withholding []string `yaml:"withholding" json:"withholding"`
	Disengaged  []string `yaml:"disengaged" json:"disengaged"`
	Relieved    []string `yaml:"relieved" json:"relieved"`
	Confused    []string `yaml:"confused" json:"confused"`
	Agreeing    []string `yaml:"agreeing" json:"agreeing"`
}

// Scenario is one practice conversation.
type Scenario struct {
	ID       string    `yaml:"id" json:"id"`
	Title    string    `yaml:"title" json:"title"`
	Kind     ally.Kind `yaml:"kind" json:"kind"`
	Summary  string    `yaml:"summary" json:"summary"`
	Persona  Persona   `yaml:"persona" json:"persona"`
	Opening  string    `yaml:"opening" json:"opening"`
	Trust    int       `yaml:"trust" json:"trust"`         // starting trust, 0-100 (default 40)
	Stress   int       `yaml:"stress" json:"stress"`       // starting stress, 0-100 (default 60)
	MaxTurns int       `yaml:"max_turns" json:"max_turns"` // default 12
	Facts    []Fact    `yaml:"facts" json:"facts"`
	Steps    []Step    `yaml:"first_steps" json:"first_steps"`
	Avoid    []Step    `yaml:"avoid" json:"avoid"` // wrong advice; Text says why and what to do instead
	Lines    Lines     `yaml:"lines" json:"lines"`
}

// Defaults for fields a scenario leaves out.
const (
	DefaultTrust    = 40
	DefaultStress   = 60
	DefaultMaxTurns = 12
)

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// Parse reads one scenario from YAML, fills in defaults and checks it.
// Unknown fields are errors, so typos are caught.
func Parse(data []byte) (*Scenario, error) {
	var sc Scenario
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&sc); err != nil {
		return nil, err
	}
	sc.fillDefaults()
	if err := sc.validate(); err != nil {
		return nil, err
	}
	return &sc, nil
}

func (sc *Scenario) fillDefaults() {
	if sc.Trust == 0 {
		sc.Trust = DefaultTrust
	}
	if sc.Stress == 0 {
		sc.Stress = DefaultStress
	}
	if sc.MaxTurns == 0 {
		sc.MaxTurns = DefaultMaxTurns
	}
}

func (sc *Scenario) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !idPattern.MatchString(sc.ID) {
		bad("id %q: use 1-64 lowercase letters, digits and dashes", sc.ID)
	}
	for _, f := range [][2]string{{"title", sc.Title}, {"opening", sc.Opening}, {"persona.name", sc.Persona.Name}} {
		if strings.TrimSpace(f[1]) == "" {
			bad("%s is missing", f[0])
		}
	}
	if !sc.Kind.Valid() {
		bad("kind %q is not a known incident kind (known: %s)", sc.Kind, joinKinds())
	}
	if _, ok := temperaments[sc.Persona.Temperament]; !ok {
		bad("persona.temperament %q: use one of anxious, defensive, embarrassed, angry, rushed", sc.Persona.Temperament)
	}
	if !inRange(sc.Trust) || !inRange(sc.Stress) {
		bad("trust and stress must be between 0 and 100")
	}
	if sc.MaxTurns < 1 || sc.MaxTurns > 50 {
		bad("max_turns must be between 1 and 50")
	}
	errs = append(errs, validateFacts(sc.Facts)...)
	errs = append(errs, validateSteps(sc.Steps, "first_steps", true)...)
	errs = append(errs, validateSteps(sc.Avoid, "avoid", false)...)
	l := &sc.Lines
	for _, set := range []struct {
		name  string
		lines []string
	}{{"calm", l.Calm}, {"worried", l.Worried}, {"withholding", l.Withholding}, {"disengaged", l.Disengaged},
		{"relieved", l.Relieved}, {"confused", l.Confused}, {"agreeing", l.Agreeing}} {
		if len(set.lines) == 0 || slices.Contains(set.lines, "") {
			bad("lines.%s needs at least one line, none empty", set.name)
		}
	}
	return errors.Join(errs...)
}

func validateFacts(facts []Fact) []error {
	var errs []error
	if len(facts) == 0 {
		errs = append(errs, errors.New("facts: a scenario needs at least one hidden fact"))
	}
	seen := map[string]bool{}
	for i, f := range facts {
		at := fmt.Sprintf("facts[%d]", i)
		if f.ID == "" || seen[f.ID] {
			errs = append(errs, fmt.Errorf("%s: id %q is missing or repeated", at, f.ID))
		}
		seen[f.ID] = true
		if f.Text == "" || f.Says == "" {
			errs = append(errs, fmt.Errorf("%s: text and says are both needed", at))
		}
		if !inRange(f.MinTrust) {
			errs = append(errs, fmt.Errorf("%s: min_trust must be between 0 and 100", at))
		}
		if len(f.Topics) == 0 {
			errs = append(errs, fmt.Errorf("%s: list at least one topic (known: %s)", at, strings.Join(topicIDs(), ", ")))
		}
		for _, t := range f.Topics {
			if _, ok := topicByID(t); !ok {
				errs = append(errs, fmt.Errorf("%s: unknown topic %q (known: %s)", at, t, strings.Join(topicIDs(), ", ")))
			}
		}
	}
	return errs
}

func validateSteps(steps []Step, field string, required bool) []error {
	var errs []error
	if required && len(steps) == 0 {
		errs = append(errs, fmt.Errorf("%s: a scenario needs at least one", field))
	}
	seen := map[string]bool{}
	for i, s := range steps {
		at := fmt.Sprintf("%s[%d]", field, i)
		if s.ID == "" || seen[s.ID] {
			errs = append(errs, fmt.Errorf("%s: id %q is missing or repeated", at, s.ID))
		}
		seen[s.ID] = true
		if s.Text == "" || len(s.Cues) == 0 {
			errs = append(errs, fmt.Errorf("%s: text and at least one cue are needed", at))
		}
		for _, c := range s.Cues {
			if len(words(c)) == 0 || slices.Contains(cueWords(c), "*") {
				errs = append(errs, fmt.Errorf("%s: cue %q has no words", at, c))
			}
		}
	}
	return errs
}

// Fact returns the fact with the given id.
func (sc *Scenario) Fact(id string) (Fact, bool) {
	for _, f := range sc.Facts {
		if f.ID == id {
			return f, true
		}
	}
	return Fact{}, false
}

func inRange(v int) bool { return v >= 0 && v <= 100 }

func joinKinds() string {
	s := make([]string, len(ally.Kinds))
	for i, k := range ally.Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}
