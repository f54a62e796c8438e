package playbook

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong in a playbook file.
type Problem struct {
	File    string `json:"file"`            // the file, e.g. "clicked_link.yaml"
	Field   string `json:"field,omitempty"` // where in it, e.g. "questions[2].options"
	Text    string `json:"text,omitempty"`  // the wording at fault, for wording problems
	Message string `json:"message"`         // what is wrong and how to fix it
}

// String renders the problem on one line: file: field: "text": message.
func (p Problem) String() string {
	parts := make([]string, 0, 4)
	for _, s := range []string{p.File, p.Field} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if p.Text != "" {
		parts = append(parts, fmt.Sprintf("%q", p.Text))
	}
	return strings.Join(append(parts, p.Message), ": ")
}

// Problems is a list of problems; as an error it prints one per line.
type Problems []Problem

// Error lists every problem, one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
