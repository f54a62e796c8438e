package mailscan

import (
	"strings"
	"testing"
)

// Every message below is written for these tests (issue 16, session 8).

// TestOrgSafeNeedsMoreThanGrammar: a team whose safe mail is chatty
// teaches its model that "but", "that", "my"… lean safe. A phishing email
// padded with such words (a hash-buster's word salad) must not be cleared
// by them, while mail the team's safe evidence speaks for by what it is
// about (its list's words) still is.
func TestOrgSafeNeedsMoreThanGrammar(t *testing.T) {
	m := NewOrgModel()
	m.Phish, m.Safe = 400, 400 // well informed: small shifts are heard
	for _, w := range strings.Fields("but that my not have do was the is it and of to in") {
		m.weights[w] = -orgMaxWeight
	}
	for _, w := range strings.Fields("listinfo mailman unsubscribe digest") {
		m.weights[w] = -orgMaxWeight
	}
	salad := "From: Billing <billing@docs-share.example.net>\nTo: pat@example-corp.com\nSubject: Remittance copy\n\n" +
		"Remittance advice attached, open the file.\n\n" +
		"but that my not have do was the is it and of to in but that my not have\n"
	list := "From: Dana <dana@lists.example.org>\nTo: pat@example-corp.com\nSubject: Re: build notes\n\n" +
		"The nightly build works again on my machine.\n\n--\nlistinfo: https://lists.example.org/mailman/listinfo/dev\n" +
		"unsubscribe via the same page; digest mode is off\n"
	for _, c := range []struct {
		name, raw string
		safe      bool
	}{{"word salad", salad, false}, {"list mail", list, true}} {
		r := mustAnalyze(t, c.raw, Options{Org: m})
		s := signal(r, "org-like-safe")
		if (s != nil) != c.safe {
			t.Fatalf("%s: org-like-safe %v, want %v: %v", c.name, s != nil, c.safe, r.Signals)
		}
		if s == nil {
			continue
		}
		// The evidence names what the mail is about, never its grammar.
		_, named, _ := strings.Cut(s.Evidence, "weighed most: ")
		for _, w := range strings.Split(named, ", ") {
			if rules.functionWords[w] {
				t.Errorf("%s: the evidence names %q: %s", c.name, w, s.Evidence)
			}
		}
		if !strings.Contains(named, "listinfo") {
			t.Errorf("%s: evidence %s", c.name, s.Evidence)
		}
	}
}
