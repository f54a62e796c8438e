package mailscan

import (
	"strings"
	"testing"
)

// TestCorroborate: weak signals of two different kinds raise several-kinds,
// naming them; two of the same kind, or strong signals, do not.
func TestCorroborate(t *testing.T) {
	for _, tc := range []struct {
		ids  []string
		from string
		want string // evidence; "" for no signal
	}{
		{[]string{"noise-token", "url-shortener"}, "", "evasion (noise-token), infrastructure (url-shortener)"},
		{[]string{"sender-platform", "generic-greeting", "risky-tld"}, "", "infrastructure (sender-platform), request (generic-greeting)"},
		{[]string{"url-shortener", "risky-tld"}, "", ""},
		{[]string{"return-path-mismatch", "scam-theme"}, "", ""},
		{[]string{"sender-lookalike", "html-form"}, "", ""},
		{[]string{"scam-theme"}, "a@gmail.com", "infrastructure (free-mail sender), request (scam-theme)"},
		{[]string{"credential-request"}, "a@gmail.com", ""},
		{[]string{"scam-theme"}, "a@shop.example", ""},
	} {
		a := &analysis{r: &Report{From: tc.from}}
		for _, id := range tc.ids {
			a.sig.add(id, "x")
		}
		a.corroborate()
		got := ""
		for _, s := range a.sig.list {
			if s.ID == "several-kinds" {
				got = s.Evidence
			}
		}
		if got != tc.want {
			t.Errorf("%s: several-kinds %q, want %q", strings.Join(tc.ids, " "), got, tc.want)
		}
	}
	for id := range signalKinds {
		if _, ok := catalogue[id]; !ok {
			t.Errorf("signalKinds names %q, which is not a signal", id)
		}
	}
}
