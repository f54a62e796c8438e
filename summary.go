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

// kindNames are the kinds' short names, as the responders' and leads'
// screens show them (see Kind.Name).
var kindNames = map[Kind]string{
	KindClickedLink:         "Clicked a link",
	KindEnteredCredentials:  "Entered a password",
	KindOpenedAttachment:    "Opened an attachment",
	KindUnexpectedMFAPrompt: "Unexpected sign-in prompt",
	KindLostDevice:          "Lost device",
	KindMisdirectedData:     "Sent to the wrong person",
	KindMalwareWarning:      "Strange screen",
	KindSuspiciousCall:      "Suspicious call or message",
	KindSuspiciousEmail:     "Suspicious email",
	KindOther:               "Other",
}

// Name is k's short name as the responders' and leads' screens show it
// ("Entered a password", "Unexpected sign-in prompt"): in lists, filters,
// the case page and the insights alike; its PlainName for a kind without
// one.
func (k Kind) Name() string { return k.nameIn(kindNames) }

// nameIn is k's name in names, its PlainName when names has none for it.
func (k Kind) nameIn(names map[Kind]string) string {
	if n, ok := names[k]; ok {
		return n
	}
	return k.PlainName()
}

// reporterLabels name each kind in the reporter's own words, as the
// report form offers them.
var reporterLabels = map[Kind]string{
	KindClickedLink:         "I clicked a link",
	KindEnteredCredentials:  "I typed my password somewhere",
	KindOpenedAttachment:    "I opened an attachment",
	KindUnexpectedMFAPrompt: "I got a sign-in prompt I didn't ask for",
	KindLostDevice:          "I lost a device",
	KindMisdirectedData:     "I sent something to the wrong person",
	KindMalwareWarning:      "Something strange is on my screen",
	KindSuspiciousCall:      "Someone called or messaged asking for information",
	KindSuspiciousEmail:     "I got a suspicious email",
	KindOther:               "Something else",
}

// ReporterLabel names k in the reporter's own words ("I clicked a link"),
// as the report form offers it; its plain name for a kind without one.
func (k Kind) ReporterLabel() string { return k.nameIn(reporterLabels) }

// SummaryOrDefault is the summary a new case is opened with, on the web,
// by the API and by mail alike: the one given, trimmed, or else the kind
// in the reporter's words with the start of the details (Summarize).
func (n *NewCase) SummaryOrDefault() string {
	if s := strings.TrimSpace(n.Summary); s != "" {
		return s
	}
	return Summarize(n.Kind.ReporterLabel(), n.Details)
}
