// Package mailtext holds the wording of the email Ally sends: one template
// per message (subject and body), built in and overridable by leads from
// mail/templates.yaml in the playbooks folder. Templates are filled with
// playbook.Fill and checked like playbook wording (see Lint). Pure: no I/O
// besides reading the override file.
package mailtext

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/allydesk/ally/playbook"
	"go.yaml.in/yaml/v3"
)

// Template names: the messages Ally sends.
const (
	Acknowledge   = "acknowledge"    // to the reporter, when a case is opened
	Reply         = "reply"          // to the reporter, each responder message
	Resolve       = "resolve"        // to the reporter, when the case is resolved
	Assigned      = "assigned"       // to a responder, when a case is assigned to them
	ReporterWrote = "reporter_wrote" // to the assignee, when the reporter writes
	Critical      = "critical"       // to every responder, when a critical case arrives
	Practice      = "practice"       // to a reporter by email, when they reported a practice email
	NotTaken      = "not_taken"      // to a sender whose mailed report was refused (read from IMAP)
	Digest        = "digest"         // to a responder, the events they chose to hear of together
	SignInLink    = "sign_in_link"   // to a person who asked for a sign-in link
	ResetLink     = "reset_link"     // to a person who forgot their password
	SignalAsk     = "signal_ask"     // to a person a signal is about: "was this you?" (signal.go)
)

// Verdict names the template that closes the loop with each reporter of a
// campaign decided with verdict (ally.CampaignVerdicts): "verdict_spam".
func Verdict(verdict string) string { return "verdict_" + verdict }

// Names lists every template, in the order of the file.
var Names = []string{Acknowledge, Reply, Resolve, Assigned, ReporterWrote, Critical, Practice, NotTaken, Digest,
	Verdict("malicious"), Verdict("suspicious"), Verdict("spam"), Verdict("clean"), Verdict("simulation"),
	SignInLink, ResetLink, SignalAsk}

// Placeholders lists what a template may contain, each written in braces.
var Placeholders = []string{"first_name", "ref", "link", "summary", "title", "severity", "first_aid",
	"next_update", "message", "author", "reporter_name", "count", "items", "every", "action", "question"}

// SampleVars fill templates before their wording is checked.
var SampleVars = map[string]string{
	"first_name": "Sam", "ref": "AL-1042", "link": "https://ally.example.org/cases/AL-1042",
	"summary": "Odd email about my parcel", "title": "I got an email that looks wrong", "severity": "medium",
	"first_aid": "- Do not click links in the email.\n- Do not reply to it.", "next_update": "within 4 hours",
	"message": "Thank you. We are looking at it now.", "author": "Alex", "reporter_name": "Sam Lee",
	"action": "We have blocked it for everyone.", "count": "2", "every": "once an hour",
	"items":    "- AL-1042 is now yours: Odd email about my parcel\n- Critical: AL-1043 (Lost laptop)",
	"question": "Hi Sam, we noticed a sign-in to your account from Lisbon at 03:12 on 7 December. Was this you?",
}

// Audiences a template can be written for.
const (
	AudienceReporter  = "reporter"
	AudienceResponder = "responder"
)

// Template is one message: who reads it, its subject line and its body.
type Template struct {
	Audience string `yaml:"audience"`
	Subject  string `yaml:"subject"`
	Body     string `yaml:"body"`
}

// Set is every template, by name. Treat it as read-only.
type Set struct {
	byName map[string]Template
}

//go:embed templates.yaml
var defaults []byte

// DefaultFile returns the built-in templates file, to copy and edit.
func DefaultFile() []byte { return bytes.Clone(defaults) }

// Default returns the built-in templates, parsed once and shared.
func Default() *Set { return defaultSet() }

var defaultSet = sync.OnceValue(func() *Set {
	s, err := parse("templates.yaml", defaults, true)
	if err != nil {
		panic("mailtext: built-in templates are broken: " + err.Error())
	}
	return s
})

// Path is where a playbooks folder keeps its mail templates.
func Path(playbooks string) string { return filepath.Join(playbooks, "mail", "templates.yaml") }

// LoadDir returns the built-in templates with those in Path(playbooks)
// replacing them by name. A folder without the file uses the built-in ones.
// Its error is playbook.Problems naming each problem, or a read error.
func LoadDir(playbooks string) (*Set, error) {
	b, err := os.ReadFile(Path(playbooks))
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	if err != nil {
		return nil, err
	}
	s, err := parse(Path(playbooks), b, false)
	if err != nil {
		return nil, err
	}
	out := &Set{byName: map[string]Template{}}
	for _, n := range Names {
		out.byName[n] = Default().byName[n]
		if t, ok := s.byName[n]; ok {
			out.byName[n] = t
		}
	}
	return out, nil
}

// Get returns a template by name.
func (s *Set) Get(name string) (Template, bool) {
	t, ok := s.byName[name]
	return t, ok
}

// Render fills template name with vars. Line breaks in values are kept in
// the body but become spaces in the subject.
func (s *Set) Render(name string, vars map[string]string) (subject, body string, err error) {
	t, ok := s.byName[name]
	if !ok {
		return "", "", fmt.Errorf("mailtext: no template %q", name)
	}
	one := make(map[string]string, len(vars))
	for k, v := range vars {
		one[k] = strings.Join(strings.Fields(v), " ")
	}
	return strings.TrimSpace(playbook.Fill(t.Subject, one)), strings.TrimSpace(playbook.Fill(t.Body, vars)) + "\n", nil
}

// parse reads a templates file; all requires every template to be present.
func parse(file string, b []byte, all bool) (*Set, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var m map[string]Template
	if err := dec.Decode(&m); err != nil && !errors.Is(err, io.EOF) {
		return nil, playbook.Problems{{File: file, Message: "is not valid YAML: " + err.Error()}}
	}
	if ps := check(file, m, all); len(ps) > 0 {
		return nil, ps
	}
	return &Set{byName: m}, nil
}

// check returns what is wrong with the templates in m, apart from wording.
func check(file string, m map[string]Template, all bool) playbook.Problems {
	var ps playbook.Problems
	add := func(field, format string, args ...any) {
		ps = append(ps, playbook.Problem{File: file, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if len(m) == 0 {
		add("", "has no templates; write at least one of %s", strings.Join(Names, ", "))
	}
	for _, name := range sortedNames(m) {
		t := m[name]
		if !slices.Contains(Names, name) {
			add(name, "is not a mail template; use one of %s", strings.Join(Names, ", "))
			continue
		}
		if t.Audience != AudienceReporter && t.Audience != AudienceResponder {
			add(name+".audience", "%q is not an audience; use reporter or responder", t.Audience)
		}
		for _, field := range []string{"subject", "body"} {
			text := t.field(field)
			if strings.TrimSpace(text) == "" {
				add(name+"."+field, "is empty; write the %s of this email", field)
			}
			for _, p := range placeholderNames(text) {
				if !slices.Contains(Placeholders, p) {
					add(name+"."+field, "{%s} is not a placeholder; use %s", p, strings.Join(Placeholders, ", "))
				}
			}
		}
	}
	if all {
		for _, n := range Names {
			if _, ok := m[n]; !ok {
				add(n, "is missing")
			}
		}
	}
	return ps
}

// field returns the subject or the body.
func (t Template) field(name string) string {
	if name == "subject" {
		return t.Subject
	}
	return t.Body
}

func sortedNames(m map[string]Template) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// placeholderNames returns the names in braces in a template.
func placeholderNames(text string) []string {
	var out []string
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexAny(text[i+1:], "{}")
		if j < 0 || text[i+1+j] == '{' {
			text = text[i+1:]
			continue
		}
		out = append(out, text[i+1:i+1+j])
		text = text[i+2+j:]
	}
}
