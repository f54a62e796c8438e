package ally

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// PlainName is a kind's id in words, "Clicked link" for clicked_link.
func (k Kind) PlainName() string {
	if k == "" {
		return ""
	}
	return strings.ToUpper(string(k[0])) + strings.ReplaceAll(string(k[1:]), "_", " ")
}

// Summary limits of Summarize.
const (
	summaryWords = 12  // words of the details
	summaryRunes = 120 // characters in all
)

// Summarize makes a case summary from a label for its kind and the first
// words of what the reporter wrote, within MaxSummary bytes; "…" marks a
// cut. With no details it is the label.
func Summarize(label, details string) string {
	words := strings.Fields(details)
	if len(words) == 0 {
		return label
	}
	more := len(words) > summaryWords
	if more {
		words = words[:summaryWords]
	}
	s := label + ": " + strings.Join(words, " ")
	if r := []rune(s); len(r) > summaryRunes {
		s, more = string(r[:summaryRunes]), true
	}
	for len(s) > MaxSummary-len("…") {
		_, size := utf8.DecodeLastRuneInString(s)
		s, more = s[:len(s)-size], true
	}
	if more {
		s = strings.TrimRightFunc(s, unicode.IsSpace) + "…"
	}
	return s
}

// SummaryOrDefault is the summary a new case is opened with: the one
// given, trimmed, or else the plain name of its kind.
func (n *NewCase) SummaryOrDefault() string {
	if s := strings.TrimSpace(n.Summary); s != "" {
		return s
	}
	return n.Kind.PlainName()
}
