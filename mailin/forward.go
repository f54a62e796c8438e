package mailin

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"unicode/utf8"
)

// forwardMarkers start the forwarded part of an inline forward, in the
// forms mail programs write (Gmail, Outlook, Apple Mail, Thunderbird).
var forwardMarkers = regexp.MustCompile(`(?im)^[ \t>]*(?:-+ ?forwarded message ?-+|-+ ?original message ?-+|` +
	`begin forwarded message:|-------- (?:forwarded message|original message) --------|_{10,})[ \t\r]*$`)

// forwardFields are the header lines a forward quotes, by the names mail
// programs use, mapped to the RFC 5322 field.
var forwardFields = map[string]string{"from": "From", "to": "To", "cc": "Cc", "subject": "Subject",
	"date": "Date", "sent": "Date", "reply-to": "Reply-To"}

// inlineForward finds a forwarded email in text. It returns what the
// reporter wrote above it and the forward rebuilt as a message whose header
// holds only what the forward quoted.
func inlineForward(text string) (note string, msg []byte, ok bool) {
	loc := forwardMarkers.FindStringIndex(text)
	if loc == nil {
		return "", nil, false
	}
	rest := strings.TrimLeft(text[loc[1]:], "\r\n")
	var head bytes.Buffer
	found := false
	lines := strings.SplitAfter(rest, "\n")
	i := 0
	for ; i < len(lines); i++ {
		line := strings.TrimLeft(strings.TrimRight(lines[i], "\r\n"), "> \t")
		if strings.TrimSpace(line) == "" {
			continue // HTML turned to text leaves blank lines between the quoted fields
		}
		name, value, isField := strings.Cut(line, ":")
		field, known := forwardFields[strings.ToLower(strings.Trim(name, "* "))]
		if !isField || !known {
			if found {
				break
			}
			return "", nil, false // a marker with no quoted header is not a forward
		}
		found = true
		head.WriteString(field + ": " + oneLine(strings.Trim(value, "* ")) + "\r\n")
	}
	if !found {
		return "", nil, false
	}
	var b bytes.Buffer
	b.Write(head.Bytes())
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n")
	b.WriteString("Content-Transfer-Encoding: 8bit\r\n\r\n")
	for _, l := range lines[min(i, len(lines)):] {
		b.WriteString(strings.TrimPrefix(strings.TrimRight(l, "\r\n"), "> ") + "\r\n")
	}
	return clip(strings.TrimSpace(text[:loc[0]])), b.Bytes(), true
}

// oneLine keeps a quoted header value on one line, without control bytes.
func oneLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s))
}

// maxNote is the most of a reporter's own words kept, in bytes.
const maxNote = 4000

// note is the reporter's own text: the body without quoted lines and
// signatures, clipped.
func note(text string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, "\r \t")
		if l == "-- " || l == "--" {
			break
		}
		if !strings.HasPrefix(l, ">") {
			out = append(out, l)
		}
	}
	return clip(strings.TrimSpace(strings.Join(out, "\n")))
}

func clip(s string) string {
	if len(s) <= maxNote {
		return s
	}
	i := maxNote
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

var (
	htmlDrop  = regexp.MustCompile(`(?is)<(?:script|style|head)\b.*?</(?:script|style|head)\s*>`)
	htmlLink  = regexp.MustCompile(`(?is)<a\b[^>]*?\bhref\s*=\s*["']?([^"' >]+)[^>]*>(.*?)</a\s*>`)
	htmlBreak = regexp.MustCompile(`(?i)<(?:br|/p|/div|/tr|/h[1-6]|/li|hr)\b[^>]*>`)
	htmlTag   = regexp.MustCompile(`(?s)<[^>]*>`)
)

// htmlText reduces HTML to text, keeping each link's address after its
// words so that the analysis still sees where links lead.
func htmlText(s string) string {
	s = htmlDrop.ReplaceAllString(s, "")
	s = htmlLink.ReplaceAllString(s, "$2 ( $1 )")
	s = htmlBreak.ReplaceAllString(s, "\n")
	s = htmlTag.ReplaceAllString(s, "")
	return html.UnescapeString(s)
}
