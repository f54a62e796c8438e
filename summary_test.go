package ally

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSummarize(t *testing.T) {
	for _, c := range []struct{ label, details, want string }{
		{"I lost a device", "", "I lost a device"},
		{"I lost a device", "  my phone\n on the train ", "I lost a device: my phone on the train"},
		{"Something else", "one two three four five six seven eight nine ten eleven twelve thirteen",
			"Something else: one two three four five six seven eight nine ten eleven twelve…"},
	} {
		if got := Summarize(c.label, c.details); got != c.want {
			t.Errorf("Summarize(%q, %q) = %q, want %q", c.label, c.details, got, c.want)
		}
	}
}

// FuzzSummarize checks that summaries are valid UTF-8 and fit the limit.
func FuzzSummarize(f *testing.F) {
	f.Add("I clicked a link", "a link in an email")
	f.Add("Something else", strings.Repeat("😀", 200))
	f.Add("x", strings.Repeat("ab ", 500))
	f.Fuzz(func(t *testing.T, label, details string) {
		if !utf8.ValidString(label) || len(label) > 100 {
			t.Skip()
		}
		got := Summarize(label, details)
		if len(got) > MaxSummary {
			t.Errorf("summary is %d bytes", len(got))
		}
		if utf8.ValidString(details) && !utf8.ValidString(got) {
			t.Errorf("summary %q is not valid UTF-8", got)
		}
	})
}

func TestSummaryOrDefault(t *testing.T) {
	for _, tc := range []struct {
		n    NewCase
		want string
	}{
		{NewCase{Kind: KindClickedLink}, "I clicked a link"},
		{NewCase{Kind: KindUnexpectedMFAPrompt, Summary: "   "}, "I got a sign-in prompt I didn't ask for"},
		{NewCase{Kind: KindLostDevice, Details: " my phone\n on the train "}, "I lost a device: my phone on the train"},
		{NewCase{Kind: KindOther, Summary: "  A call from 'IT'  "}, "A call from 'IT'"},
	} {
		if got := tc.n.SummaryOrDefault(); got != tc.want {
			t.Errorf("%+v: SummaryOrDefault = %q, want %q", tc.n, got, tc.want)
		}
	}
	for _, k := range Kinds {
		if _, ok := reporterLabels[k]; !ok {
			t.Errorf("kind %s has no words for the reporter", k)
		}
	}
}
