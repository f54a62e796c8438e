package playbook

import (
	"regexp"
	"strings"
)

// Placeholders lists what a template may contain, each written in braces:
//
//	{first_name}   the reporter's first name
//	{ref}          the case reference, e.g. AL-1042
//	{next_update}  when the reporter will hear from us next, e.g. 10:30
var Placeholders = []string{"first_name", "ref", "next_update"}

// RequiredTemplates are the templates every playbook has.
var RequiredTemplates = []string{"acknowledge", "update", "resolve"}

// Fill replaces each {name} in template with vars[name] in one pass, so a
// value that itself contains braces is never expanded again. Placeholders
// missing from vars are left as they are, for the sender to fill in.
func Fill(template string, vars map[string]string) string {
	pairs := make([]string, 0, 2*len(vars))
	for k, v := range vars {
		pairs = append(pairs, "{"+k+"}", v)
	}
	return strings.NewReplacer(pairs...).Replace(template)
}

var placeholderRE = regexp.MustCompile(`\{([^{}]*)\}`)

// placeholders returns the names in braces in a template, in order.
func placeholders(template string) []string {
	var names []string
	for _, m := range placeholderRE.FindAllStringSubmatch(template, -1) {
		names = append(names, m[1])
	}
	return names
}
