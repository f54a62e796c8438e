package roleplay

import (
	"strings"
	"unicode"
)

// sentence is one sentence of a message, as lowercase words.
type sentence struct {
	words    []string
	question bool // ends with "?" or opens like a question or a request to tell
	open     bool // an open question: what, when, how, tell me...
}

// normalize lowercases text and turns typographic apostrophes into plain
// ones. It keeps the number of code points, so offsets still line up.
func normalize(text string) string { return strings.ToLower(apostrophes.Replace(text)) }

var apostrophes = strings.NewReplacer("\u2019", "'", "\u2018", "'")

// words splits text into lowercase words of letters, digits and apostrophes.
func words(text string) []string { return split(text, false) }

// cueWords splits a cue like words, keeping a trailing * on prefix words.
func cueWords(cue string) []string { return split(cue, true) }

func split(text string, star bool) []string {
	return strings.FieldsFunc(normalize(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && (!star || r != '*')
	})
}

var (
	openStarters   = set("what", "when", "where", "how", "which", "who", "whose")
	closedStarters = set("did", "do", "does", "have", "has", "had", "is", "are", "was", "were", "can", "could",
		"would", "will", "any", "anything", "why", "should", "may")
	openRequests = [][]string{{"tell", "me"}, {"walk", "me", "through"}, {"talk", "me", "through"},
		{"describe"}, {"help", "me", "understand"}, {"say", "more"}}
)

// sentences splits a message at . ! ? ; and line breaks.
func sentences(text string) []sentence {
	var out []sentence
	start := 0
	flush := func(end int, question bool) {
		w := words(text[start:end])
		if len(w) > 0 {
			out = append(out, classify(w, question))
		}
	}
	for i, r := range text {
		switch r {
		case '.', '!', '?', ';', '\n':
			flush(i, r == '?')
			start = i + len(string(r))
		}
	}
	flush(len(text), false)
	return out
}

func classify(w []string, mark bool) sentence {
	first := w[0]
	if (first == "so" || first == "and" || first == "ok" || first == "okay") && len(w) > 1 {
		first = w[1]
	}
	s := sentence{words: w}
	s.open = openStarters[first]
	for _, req := range openRequests {
		if containsRun(w, req) {
			s.open = true
		}
	}
	s.question = mark || s.open || closedStarters[first]
	return s
}

// matchCue reports whether every word of cue appears in the sentence's words;
// a cue word ending in * matches any word it starts.
func matchCue(w []string, cue string) bool { return matchWords(w, cueWords(cue)) }

// matchWords is matchCue for a cue already split by cueWords.
func matchWords(w, cw []string) bool {
	if len(cw) == 0 {
		return false
	}
	for _, c := range cw {
		if !hasWord(w, c) {
			return false
		}
	}
	return true
}

func hasWord(w []string, c string) bool {
	prefix := strings.HasSuffix(c, "*")
	c = strings.TrimSuffix(c, "*")
	for _, x := range w {
		if x == c || (prefix && c != "" && strings.HasPrefix(x, c)) {
			return true
		}
	}
	return false
}

// containsRun reports whether run appears in w as consecutive words.
func containsRun(w, run []string) bool {
	for i := 0; i+len(run) <= len(w); i++ {
		match := true
		for j := range run {
			if w[i+j] != run[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

func set(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, it := range items {
		m[it] = true
	}
	return m
}
