// Package playbook holds what each side should do for each kind of incident:
// first aid and witness questions for the reporter, tasks, message templates,
// severity rules and SLA targets for the responder. Playbooks are data:
// embedded YAML defaults, overridable by a folder, checked by Lint.
package playbook

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/allydesk/ally"
)

// Question types.
const (
	TypeYesNo  = "yes_no" // answered "yes", "no" or "not sure"
	TypeChoice = "choice" // answered with one of Options
	TypeTime   = "time"   // answered with a time (RFC 3339 from the web form)
	TypeText   = "text"   // answered in the reporter's own words
)

// QuestionTypes lists every question type.
var QuestionTypes = []string{TypeYesNo, TypeChoice, TypeTime, TypeText}

// YesNoAnswers lists the answers a yes_no question can get.
var YesNoAnswers = []string{"yes", "no", "not sure"}

// Phases lists the task phases, in the order work happens (after NIST SP
// 800-61r3: contain, investigate, recover, and learn from it).
var Phases = []string{"contain", "investigate", "recover", "learn"}

// Owners lists who a task can belong to.
var Owners = []string{"responder", "reporter"}

// Question is something only the witness knows.
type Question struct {
	ID      string   `yaml:"id" json:"id"`
	Text    string   `yaml:"text" json:"text"`
	Type    string   `yaml:"type" json:"type"` // yes_no, choice, time, text
	Options []string `yaml:"options,omitempty" json:"options,omitempty"`
}

// Task is a step for the responder or the reporter.
type Task struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"`
	Phase string `yaml:"phase" json:"phase"` // contain, investigate, recover, learn
	Owner string `yaml:"owner" json:"owner"` // responder, reporter
	DueIn string `yaml:"due_in" json:"due_in"`
	// DoneWhen names what the reporter does that completes the task by
	// itself (one of DoneEvents), e.g. email_attached.
	DoneWhen string `yaml:"done_when,omitempty" json:"done_when,omitempty"`
}

// What a reporter does that can tick a task by itself (Task.DoneWhen).
const (
	EventFileAttached  = "file_attached"  // any file added to the case
	EventEmailAttached = "email_attached" // a file that is an email
)

// DoneEvents lists the events a task can be done by.
var DoneEvents = []string{EventFileAttached, EventEmailAttached}

// SeverityRule raises a case's severity when answers match.
type SeverityRule struct {
	// When maps question ids to the answer that triggers the rule; all must
	// match (case and surrounding spaces are ignored).
	When     map[string]string `yaml:"when" json:"when"`
	Severity string            `yaml:"severity" json:"severity"`
}

// Target is an SLA target for one severity.
type Target struct {
	Acknowledge string `yaml:"acknowledge" json:"acknowledge"`
	Resolve     string `yaml:"resolve" json:"resolve"`
}

// Playbook is the plan for one kind of incident.
type Playbook struct {
	Kind          string            `yaml:"kind" json:"kind"`
	Title         string            `yaml:"title" json:"title"`
	Severity      string            `yaml:"severity" json:"severity"` // starting severity
	Message       string            `yaml:"message" json:"message"`   // reassurance shown with first aid
	FirstAid      []Step            `yaml:"first_aid" json:"first_aid"`
	Questions     []Question        `yaml:"questions" json:"questions"`
	SeverityRules []SeverityRule    `yaml:"severity_rules" json:"severity_rules"`
	Tasks         []Task            `yaml:"tasks" json:"tasks"`
	Templates     map[string]string `yaml:"templates" json:"templates"`
	SLA           map[string]Target `yaml:"sla" json:"sla"` // by severity
	// Version names this text of the playbook (the start of its file's
	// SHA-256), stored with each case's SLA targets.
	Version string `yaml:"-" json:"version"`
}

// Question returns the question with the given id.
func (p *Playbook) Question(id string) (Question, bool) {
	i := slices.IndexFunc(p.Questions, func(q Question) bool { return q.ID == id })
	if i < 0 {
		return Question{}, false
	}
	return p.Questions[i], true
}

// SeverityFor returns the playbook's starting severity raised by every rule
// whose answers all match. It never lowers the starting severity.
func (p *Playbook) SeverityFor(answers map[string]string) string {
	sev := ally.Severity(p.Severity)
	if !sev.Valid() {
		sev = ally.SeverityMedium
	}
	for _, r := range p.SeverityRules {
		if r.matches(answers) {
			sev = sev.Max(ally.Severity(r.Severity))
		}
	}
	return string(sev)
}

// equalFold compares answers ignoring case and surrounding spaces.
func equalFold(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

func (r SeverityRule) matches(answers map[string]string) bool { return matchAll(r.When, answers) }

// matchAll reports whether answers match every condition of when (question
// id → answer); an empty when matches nothing.
func matchAll(when, answers map[string]string) bool {
	for q, want := range when {
		if !equalFold(answers[q], want) {
			return false
		}
	}
	return len(when) > 0
}

// Targets returns the SLA durations for a severity (zero when unset).
func (p *Playbook) Targets(severity string) (ack, resolve time.Duration) {
	t := p.SLA[severity]
	ack, _ = ParseDuration(t.Acknowledge)
	resolve, _ = ParseDuration(t.Resolve)
	return ack, resolve
}

// CheckAnswers reports the first answer the playbook cannot take, naming it
// as answers.<id>: an id it does not ask, or a yes_no or choice answer that
// is not one of the question's (case and surrounding spaces are ignored).
// Time and text answers are free.
func (p *Playbook) CheckAnswers(answers map[string]string) error {
	for _, id := range sortedKeys(answers) {
		q, ok := p.Question(id)
		switch {
		case !ok:
			return fmt.Errorf("answers.%s: this playbook asks no such question", id)
		case !q.accepts(answers[id]):
			return fmt.Errorf("answers.%s: %q is not an answer; use one of %q", id, answers[id], q.Answers())
		}
	}
	return nil
}

// Answers returns the answers a yes_no or choice question can get, or nil
// when its answers are free (time, text).
func (q Question) Answers() []string {
	switch q.Type {
	case TypeYesNo:
		return YesNoAnswers
	case TypeChoice:
		return q.Options
	}
	return nil
}

// accepts reports whether a is a possible answer: any for free questions,
// else one of Answers ignoring case and surrounding spaces.
func (q Question) accepts(a string) bool {
	possible := q.Answers()
	return possible == nil || slices.ContainsFunc(possible, func(x string) bool { return equalFold(x, a) })
}
