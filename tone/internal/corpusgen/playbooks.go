package main

import (
	"maps"
	"slices"
	"strings"

	"github.com/allydesk/ally/playbook"
)

// playbookSentences are the sentences of the built-in playbooks' words to
// reporters (reassurance, first aid, questions, message templates): kind
// wording addressed to "you", in the project's own voice.
func playbookSentences() []string {
	fill := strings.NewReplacer("{first_name}", "Sam", "{ref}", "AL-1042", "{next_update}", "3pm",
		"{name}", "Sam", "{kind}", "report")
	var out []string
	for _, p := range playbook.Default().All() {
		texts := append([]string{p.Message}, p.FirstAidTexts()...)
		for _, q := range p.Questions {
			texts = append(texts, q.Text)
		}
		for _, name := range slices.Sorted(maps.Keys(p.Templates)) {
			texts = append(texts, p.Templates[name])
		}
		for _, t := range texts {
			out = append(out, splitSentences(fill.Replace(t))...)
		}
	}
	return out
}

// splitSentences splits after ". ", "! " and "? ".
func splitSentences(t string) []string {
	var out []string
	start := 0
	for i := 0; i+1 < len(t); i++ {
		if strings.ContainsRune(".!?", rune(t[i])) && t[i+1] == ' ' {
			out = append(out, strings.TrimSpace(t[start:i+1]))
			start = i + 2
		}
	}
	if s := strings.TrimSpace(t[start:]); s != "" {
		out = append(out, s)
	}
	return out
}
