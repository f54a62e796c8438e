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
		{[]string{"noise-token", "url-shortener"}, "", "evasion (noise-token), links (url-shortener)"},
		{[]string{"sender-platform", "generic-greeting", "risky-tld"}, "", "links (risky-tld), request (generic-greeting), sender (sender-platform)"},
		{[]string{"url-shortener", "free-hosting-link"}, "", ""},
		{[]string{"random-mailbox", "url-shortener"}, "", "links (url-shortener), sender (random-mailbox)"},
		{[]string{"return-path-mismatch", "scam-theme"}, "", ""},
		{[]string{"sender-lookalike", "html-form"}, "", ""},
		{[]string{"scam-theme"}, "a@gmail.com", "request (scam-theme), sender (free-mail sender)"},
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
