package playbook

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/allydesk/ally"
)

// Check returns the problems in one playbook read from file: its shape,
// ids, kinds, phases, owners, question types, severity rules, durations,
// SLA targets and template placeholders. Wording is checked by Lint.
func Check(file string, p *Playbook) []Problem {
	c := &checker{file: file, p: p}
	c.head()
	c.questions()
	c.rules()
	c.tasks()
	c.templates()
	c.sla()
	return c.problems
}

type checker struct {
	file     string
	p        *Playbook
	problems []Problem
}

func (c *checker) add(field, format string, args ...any) {
	c.problems = append(c.problems, Problem{File: c.file, Field: field, Message: fmt.Sprintf(format, args...)})
}

// oneOf checks that v is in allowed; what names it with its article.
func (c *checker) oneOf(field, what, v string, allowed []string) {
	switch {
	case v == "":
		c.add(field, "is missing; use one of %s", strings.Join(allowed, ", "))
	case !slices.Contains(allowed, v):
		c.add(field, "%q is not %s; use one of %s", v, what, strings.Join(allowed, ", "))
	}
}

func (c *checker) required(field, v string) {
	if strings.TrimSpace(v) == "" {
		c.add(field, "is missing")
	}
}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// ids checks that each id is a short lowercase name, unique in its list.
func (c *checker) ids(list string, ids []string) {
	seen := map[string]bool{}
	for i, id := range ids {
		field := item(list, i, id) + ".id"
		switch {
		case id == "":
			c.add(field, "is missing")
		case !idRE.MatchString(id):
			c.add(field, "%q is not an id; use lowercase letters, digits, _ and - (at most 64)", id)
		case seen[id]:
			c.add(field, "%q is used twice in %s; ids must be unique", id, list)
		}
		seen[id] = true
	}
}

// item names an entry of a list by its id, or by its place counting from 1.
func item(list string, i int, id string) string {
	if id == "" {
		id = strconv.Itoa(i + 1)
	}
	return list + "[" + id + "]"
}

// The domain's kinds and severities, as the strings playbooks use.
var (
	kinds      = strs(ally.Kinds)
	severities = strs(ally.Severities)
)

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func (c *checker) head() {
	p := c.p
	c.oneOf("kind", "a kind", p.Kind, kinds)
	c.required("title", p.Title)
	c.oneOf("severity", "a severity", p.Severity, severities)
	c.required("message", p.Message)
	if len(p.FirstAid) == 0 {
		c.add("first_aid", "has no steps; add what the reporter should do right now")
	}
	for i, s := range p.FirstAid {
		field := item("first_aid", i, "")
		c.required(field, s.Text)
		for _, id := range sortedKeys(s.When) {
			c.answer(field+".when."+id, id, s.When[id])
		}
		if s.Otherwise != "" && len(s.When) == 0 {
			c.add(field+".otherwise", "only a step with when has an otherwise; add when or remove otherwise")
		}
	}
}

func (c *checker) questions() {
	ids := make([]string, len(c.p.Questions))
	for i, q := range c.p.Questions {
		ids[i] = q.ID
		field := item("questions", i, q.ID)
		c.required(field+".text", q.Text)
		c.oneOf(field+".type", "a question type", q.Type, QuestionTypes)
		switch {
		case q.Type == TypeChoice && len(q.Options) < 2:
			c.add(field+".options", "a choice question needs at least two options")
		case q.Type != TypeChoice && len(q.Options) > 0:
			c.add(field+".options", "only choice questions take options; make it type: choice or remove them")
		}
		seen := map[string]bool{}
		for j, o := range q.Options {
			key := strings.ToLower(strings.TrimSpace(o))
			c.required(item(field+".options", j, ""), o)
			if key != "" && seen[key] {
				c.add(item(field+".options", j, ""), "%q is listed twice", o)
			}
			seen[key] = true
		}
	}
	c.ids("questions", ids)
}

func (c *checker) rules() {
	start := ally.Severity(c.p.Severity)
	for i, r := range c.p.SeverityRules {
		field := item("severity_rules", i, "")
		if len(r.When) == 0 {
			c.add(field+".when", "has no conditions; name at least one question id and its answer")
		}
		for _, id := range sortedKeys(r.When) {
			c.answer(field+".when."+id, id, r.When[id])
		}
		c.oneOf(field+".severity", "a severity", r.Severity, severities)
		if s := ally.Severity(r.Severity); s.Valid() && start.Valid() && s.Rank() <= start.Rank() {
			c.add(field+".severity", "%s never raises the starting severity (%s); remove the rule or raise it", s, start)
		}
	}
}

// answer checks that a rule's answer is one the question can get.
func (c *checker) answer(field, id, answer string) {
	q, ok := c.p.Question(id)
	switch {
	case !ok:
		c.add(field, "refers to question %q, which this playbook does not ask", id)
	case q.Answers() == nil:
		c.add(field, "question %q is type %s, whose answers are free; rules can use yes_no and choice questions", id, q.Type)
	case !q.accepts(answer):
		c.add(field, "%q is not a possible answer; use one of %q", answer, q.Answers())
	}
}

func (c *checker) tasks() {
	ids := make([]string, len(c.p.Tasks))
	for i, t := range c.p.Tasks {
		ids[i] = t.ID
		field := item("tasks", i, t.ID)
		c.required(field+".title", t.Title)
		c.oneOf(field+".phase", "a phase", t.Phase, Phases)
		c.oneOf(field+".owner", "an owner", t.Owner, Owners)
		c.duration(field+".due_in", t.DueIn)
		if t.DoneWhen != "" {
			c.oneOf(field+".done_when", "an event", t.DoneWhen, DoneEvents)
		}
	}
	c.ids("tasks", ids)
}

// duration checks a required, positive duration and returns it.
func (c *checker) duration(field, v string) (time.Duration, bool) {
	d, err := ParseDuration(v)
	switch {
	case err != nil:
		c.add(field, "%v", err)
	case d == 0:
		c.add(field, "is missing or zero; write a duration like 30m, 4h or 2d")
	}
	return d, err == nil && d > 0
}

func (c *checker) templates() {
	for _, name := range RequiredTemplates {
		if _, ok := c.p.Templates[name]; !ok {
			c.add("templates."+name, "is missing; every playbook has %s", strings.Join(RequiredTemplates, ", "))
		}
	}
	for _, name := range sortedKeys(c.p.Templates) {
		field := "templates." + name
		text := c.p.Templates[name]
		if !idRE.MatchString(name) {
			c.add(field, "%q is not a template name; use lowercase letters, digits, _ and -", name)
		}
		c.required(field, text)
		for _, ph := range placeholders(text) {
			if !slices.Contains(Placeholders, ph) {
				c.add(field, "{%s} is not a placeholder; use {%s}", ph, strings.Join(Placeholders, "}, {"))
			}
		}
	}
}

func (c *checker) sla() {
	for _, sev := range severities {
		t, ok := c.p.SLA[sev]
		field := "sla." + sev
		if !ok {
			c.add(field, "is missing; give acknowledge and resolve targets for %s", strings.Join(severities, ", "))
			continue
		}
		ack, okAck := c.duration(field+".acknowledge", t.Acknowledge)
		res, okRes := c.duration(field+".resolve", t.Resolve)
		if okAck && okRes && ack > res {
			c.add(field, "acknowledge (%s) is later than resolve (%s); acknowledging comes first", t.Acknowledge, t.Resolve)
		}
	}
	for _, sev := range sortedKeys(c.p.SLA) {
		if !slices.Contains(severities, sev) {
			c.add("sla."+sev, "%q is not a severity; use one of %s", sev, strings.Join(severities, ", "))
		}
	}
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
