// Package playbook holds what each side should do for each kind of incident:
// first aid and witness questions for the reporter, tasks, message templates,
// severity rules and SLA targets for the responder. Playbooks are data:
// embedded YAML defaults, overridable by a folder.
package playbook

import (
	"time"
)

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
}

// SeverityRule raises a case's severity when answers match.
type SeverityRule struct {
	// When maps question ids to the answer that triggers the rule; all must match.
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
	FirstAid      []string          `yaml:"first_aid" json:"first_aid"`
	Questions     []Question        `yaml:"questions" json:"questions"`
	SeverityRules []SeverityRule    `yaml:"severity_rules" json:"severity_rules"`
	Tasks         []Task            `yaml:"tasks" json:"tasks"`
	Templates     map[string]string `yaml:"templates" json:"templates"`
	SLA           map[string]Target `yaml:"sla" json:"sla"` // by severity
}

// Set is every playbook, by kind.
type Set struct {
	byKind map[string]*Playbook
	order  []string
}

// Get returns the playbook for a kind.
func (s *Set) Get(kind string) (*Playbook, bool) {
	p, ok := s.byKind[kind]
	return p, ok
}

// All returns every playbook in a stable order.
func (s *Set) All() []*Playbook {
	out := make([]*Playbook, 0, len(s.order))
	for _, k := range s.order {
		out = append(out, s.byKind[k])
	}
	return out
}

var severityRank = map[string]int{"low": 0, "medium": 1, "high": 2, "critical": 3}

// SeverityFor returns the playbook's starting severity raised by every rule
// whose answers match.
func (p *Playbook) SeverityFor(answers map[string]string) string {
	sev := p.Severity
	if sev == "" {
		sev = "medium"
	}
	for _, r := range p.SeverityRules {
		if matches(r.When, answers) && severityRank[r.Severity] > severityRank[sev] {
			sev = r.Severity
		}
	}
	return sev
}

func matches(when, answers map[string]string) bool {
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
