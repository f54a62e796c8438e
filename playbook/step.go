package playbook

import (
	"encoding/json"
	"fmt"
	"slices"

	"go.yaml.in/yaml/v3"
)

// Step is one first-aid step. A plain step is one line of text. A step
// with When is for reporters whose answers all match it (as severity rules
// match); everyone else reads Otherwise instead, or nothing when it is
// empty. So "If you typed a password, change it…" becomes "Change your
// password now from your phone" for someone who said yes.
type Step struct {
	Text      string            `yaml:"text" json:"text"`
	When      map[string]string `yaml:"when,omitempty" json:"when,omitempty"`
	Otherwise string            `yaml:"otherwise,omitempty" json:"otherwise,omitempty"`
}

// stepFields are the fields a first-aid step written as a mapping may have.
var stepFields = []string{"text", "when", "otherwise"}

// UnmarshalYAML reads a step written as a line of text or as a mapping
// with text, when and otherwise, refusing unknown fields.
func (s *Step) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = Step{}
		return n.Decode(&s.Text)
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i].Value; !slices.Contains(stepFields, k) {
				return fmt.Errorf("line %d: unknown field %q in a first-aid step; use text, when and otherwise",
					n.Content[i].Line, k)
			}
		}
	}
	type plain Step // without this method
	return n.Decode((*plain)(s))
}

// MarshalJSON writes a plain step as its text, as playbooks always did,
// and a conditional one as an object.
func (s Step) MarshalJSON() ([]byte, error) {
	if len(s.When) == 0 && s.Otherwise == "" {
		return json.Marshal(s.Text)
	}
	type plain Step
	return json.Marshal(plain(s))
}

// For returns what the step says to a reporter who gave answers, or "" for
// a step that is not for them.
func (s Step) For(answers map[string]string) string {
	if len(s.When) == 0 || matchAll(s.When, answers) {
		return s.Text
	}
	return s.Otherwise
}

// FirstAidFor returns the first-aid steps for a reporter who gave answers:
// each step that applies to them, in the playbook's order.
func (p *Playbook) FirstAidFor(answers map[string]string) []string {
	out := make([]string, 0, len(p.FirstAid))
	for _, s := range p.FirstAid {
		if t := s.For(answers); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// FirstAidTexts returns every line first aid may say, to anyone: each
// step's text and, for conditional steps, what others read instead.
func (p *Playbook) FirstAidTexts() []string {
	var out []string
	for _, s := range p.FirstAid {
		out = append(out, s.Text)
		if s.Otherwise != "" {
			out = append(out, s.Otherwise)
		}
	}
	return out
}
