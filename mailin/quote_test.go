package mailin

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStripQuoted(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "Thanks, I changed my password.\n", "Thanks, I changed my password."},
		{"gmail", "Done, thank you!\n\nOn Mon, 7 Dec 2026 at 10:02, Ally <report@example.org> wrote:\n> Please change it.\n",
			"Done, thank you!"},
		{"outlook", "Yes I clicked it.\r\n\r\n-----Original Message-----\r\nFrom: Ally\r\nSent: today\r\n\r\nHello",
			"Yes I clicked it."},
		{"outlook rule", "Ok.\n________________________________\nFrom: Ally <report@example.org>\nSent: x", "Ok."},
		{"from block", "Noted.\n\nFrom: Ally Security <report@example.org>\nDate: today\n", "Noted."},
		{"interleaved", "> Did you open it?\nNo.\n> Did you enter a password?\nYes, sorry.", "No.\nYes, sorry."},
		{"signature", "All done.\n-- \nSam Lee\nFinance", "All done."},
		{"only quote", "> everything quoted\n>> more\n", ""},
		{"french", "Merci.\nLe lun. 7 déc. 2026, Ally a écrit :\n> texte", "Merci."},
		{"keeps from in text", "The email came from: my bank, I think.", "The email came from: my bank, I think."},
	}
	for _, c := range cases {
		if got := StripQuoted(c.in); got != c.want {
			t.Errorf("%s: StripQuoted(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func FuzzStripQuoted(f *testing.F) {
	for _, s := range []string{"hi", "a\n> b\nOn x wrote:\n> c", "-- \nsig", "\r\n\r\n", "From: x\n", "____________"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := StripQuoted(in)
		if len(out) > len(in) {
			t.Fatalf("StripQuoted grew %q to %q", in, out)
		}
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("StripQuoted(%q) made invalid UTF-8 %q", in, out)
		}
		if out != strings.TrimSpace(out) {
			t.Fatalf("StripQuoted(%q) = %q is not trimmed", in, out)
		}
		if StripQuoted(out) != out {
			t.Fatalf("StripQuoted is not idempotent on %q: %q then %q", in, out, StripQuoted(out))
		}
	})
}
