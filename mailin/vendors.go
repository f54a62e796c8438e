package mailin

import (
	"bufio"
	"strings"
)

// microsoftPrefixes are the subject prefixes of Microsoft's user-reported
// message submissions, and the label each carries.
var microsoftPrefixes = []struct {
	prefix string
	label  Label
}{
	{"1|", LabelJunk}, {"2|", LabelNotJunk}, {"3|", LabelPhishing},
	{"junk:", LabelJunk}, {"not junk:", LabelNotJunk}, {"phishing:", LabelPhishing},
}

// microsoftLabel reads the reporter's label from a submission's subject and
// returns the subject without the prefix.
func microsoftLabel(subject string) (Label, string) {
	s := strings.TrimSpace(subject)
	for _, p := range microsoftPrefixes {
		if len(s) >= len(p.prefix) && strings.EqualFold(s[:len(p.prefix)], p.prefix) {
			return p.label, strings.TrimSpace(s[len(p.prefix):])
		}
	}
	return LabelNone, subject
}

// agentMarkers name the report buttons whose reports carry an agent section:
// the words that start the section (or the mailer header) for each tool.
var agentMarkers = []struct {
	tool  Tool
	words []string
}{
	{ToolKnowBe4, []string{"phish alert"}},
	{ToolCofense, []string{"cofense reporter", "phishme reporter", "reporter agent"}},
}

// agentSection recognises a report button by its mailer header or by an
// agent section in the body, and returns the section's "Key: value" lines.
func agentSection(h headerGetter, text string) (Tool, map[string]string) {
	mailer := strings.ToLower(h.Get("X-Mailer") + " " + h.Get("User-Agent") + " " + h.Get("X-Report-Agent"))
	lower := strings.ToLower(text)
	for _, m := range agentMarkers {
		for _, w := range m.words {
			if strings.Contains(mailer, w) {
				return m.tool, keyValues(text, -1)
			}
			if i := strings.Index(lower, w); i >= 0 {
				return m.tool, keyValues(text, i)
			}
		}
	}
	return "", nil
}

// keyValues reads the block of "Key: value" lines at (or, for -1, anywhere
// in) text, up to 50 of them.
func keyValues(text string, at int) map[string]string {
	if at > 0 {
		text = text[at:]
	}
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() && len(out) < 50 {
		k, v, ok := strings.Cut(sc.Text(), ":")
		k, v = strings.TrimSpace(k), oneLine(v)
		if !ok || k == "" || len(k) > 40 || v == "" || strings.ContainsAny(k, "<>/") {
			continue
		}
		out[k] = clip(v)
	}
	return out
}
