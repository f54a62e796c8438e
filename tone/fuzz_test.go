package tone

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCheck: any text never panics, and every span is a valid code-point
// range whose text is the finding's match.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"", "Why did you click that link?", "It's not your fault.", "you should've", "why ~3 @you",
		"I'm not blaming you, but you should have checked.", "Seriously?", "\xff\xfe why did you", "a\u0301 b\u200d c",
		"C2 (the attacker's server)", strings.Repeat("why did you ", 50), "don't-you-dare-'n't—'", "did you\n\neven",
	} {
		f.Add(s)
	}
	e := Default()
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 1<<20 {
			t.Skip()
		}
		for _, aud := range []Audience{AudienceReporter, AudienceResponder} {
			res := e.Check(text, aud)
			if res.Findings == nil {
				t.Fatal("nil findings")
			}
			n := utf8.RuneCountInString(text)
			runes := []rune(text)
			for _, f := range res.Findings {
				if f.Start < 0 || f.End < f.Start || f.End > n {
					t.Fatalf("span %d–%d outside a text of %d code points: %+v", f.Start, f.End, n, f)
				}
				if utf8.ValidString(text) && string(runes[f.Start:f.End]) != f.Match {
					t.Fatalf("span %d–%d is %q but match is %q", f.Start, f.End, string(runes[f.Start:f.End]), f.Match)
				}
			}
			if s := res.Scores; s.Blame < 0 || s.Blame > 100 || s.Warmth < 0 || s.Warmth > 100 || s.Clarity < 0 || s.Clarity > 100 {
				t.Fatalf("scores out of range: %+v", s)
			}
		}
	})
}

// FuzzOrgExamples: any text as an organisation's example never panics;
// either it is refused (and the built-in engine kept) or a message equal to
// it is flagged.
func FuzzOrgExamples(f *testing.F) {
	for _, s := range []string{"", "Typical.", "\xff\xfe", "a\u0301 b", "Why did you click it? Thanks!", "!!! ???"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		o, err := Default().NewOrgLayer([]Labelled{{Text: text, Blame: true}})
		if err != nil {
			return
		}
		res := Default().WithOrg(o).Check(text, AudienceResponder)
		if o.Len() > 0 && !res.Blame {
			t.Fatalf("a text marked as blaming is not flagged: %q %+v", text, res.Findings)
		}
	})
}
