package mailin

import (
	"regexp"
	"strings"
	"unicode"
)

// quoteStarts match the line where a mail program starts quoting the
// message being answered: "On Mon, 7 Dec 2026, Ally wrote:", Outlook's
// "-----Original Message-----" and its underscore rule, or its "From: …"
// header block.
var quoteStarts = []*regexp.Regexp{
	regexp.MustCompile(`(?i)^(on|le|am|el|op)\s.*(wrote|écrit|schrieb|escribió|geschreven)\s*:\s*$`),
	regexp.MustCompile(`(?i)^-{2,}\s*(original message|forwarded message|message d'origine)\s*-{2,}`),
	regexp.MustCompile(`^_{10,}\s*$`),
	regexp.MustCompile(`(?i)^\*?(from|von|de)\s*:\*?\s+\S`),
}

// StripQuoted returns what the writer of a reply wrote themselves: the text
// above the quoted history their mail program added, without lines quoted
// with ">" or the signature after "-- ". Lines are trimmed at the end and
// blank lines at the start and end are dropped. It is pure and never fails;
// the result is "" when the reply holds nothing of its own.
func StripQuoted(text string) string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if strings.TrimSpace(l) == "--" || startsQuote(l) {
			break
		}
		if !strings.HasPrefix(strings.TrimLeftFunc(l, unicode.IsSpace), ">") {
			out = append(out, l)
		}
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// startsQuote reports whether line l opens a quoted history.
func startsQuote(l string) bool {
	l = strings.TrimSpace(l)
	for _, re := range quoteStarts {
		if re.MatchString(l) {
			return true
		}
	}
	return false
}
