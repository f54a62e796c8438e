package mailaddr

import (
	"errors"
	"strings"
	"testing"
)

var key = []byte("0123456789abcdef-test-key")

func TestReplyToRoundTrip(t *testing.T) {
	addr, err := ReplyTo(key, "Ally Desk <report@example.org>", "AL-1042")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(addr, "report+AL-1042.") || !strings.HasSuffix(addr, "@example.org") {
		t.Fatalf("address %q", addr)
	}
	for _, got := range []string{addr, strings.ToLower(addr), strings.ToUpper(addr)} {
		ref, tok, err := Parse(got)
		if err != nil {
			t.Fatalf("Parse(%q): %v", got, err)
		}
		if ref != "AL-1042" || !Verify(key, ref, tok) {
			t.Fatalf("Parse(%q) = %q, %q; verified %v", got, ref, tok, Verify(key, ref, tok))
		}
	}
}

func TestReplyToDropsExistingTag(t *testing.T) {
	addr, err := ReplyTo(key, "report+ally@example.org", "AL-7")
	if err != nil || !strings.HasPrefix(addr, "report+AL-7.") {
		t.Fatalf("ReplyTo = %q, %v", addr, err)
	}
}

func TestForgedTokensFail(t *testing.T) {
	good := Token(key, "AL-1042")
	cases := map[string]struct {
		key        []byte
		ref, token string
	}{
		"other case":     {key, "AL-1043", good},
		"other key":      {[]byte("another-key-of-16+bytes"), "AL-1042", good},
		"changed letter": {key, "AL-1042", flip(good)},
		"empty token":    {key, "AL-1042", ""},
		"short key":      {[]byte("short"), "AL-1042", Token([]byte("short"), "AL-1042")},
	}
	for name, c := range cases {
		if Verify(c.key, c.ref, c.token) {
			t.Errorf("%s: verified", name)
		}
	}
	if !Verify(key, "al-1042", strings.ToUpper(good)) {
		t.Error("the case of the reference or token changed the outcome")
	}
}

func flip(s string) string {
	b := []byte(s)
	if b[0] == 'a' {
		b[0] = 'b'
	} else {
		b[0] = 'a'
	}
	return string(b)
}

func TestParseRejects(t *testing.T) {
	for _, addr := range []string{"report@example.org", "report+AL-1@example.org", "report+.abc@example.org",
		"report+AL-1.tooshort@example.org", "not an address", "@example.org"} {
		if _, _, err := Parse(addr); err == nil {
			t.Errorf("Parse(%q) accepted it", addr)
		}
	}
	if _, _, err := Parse("report@example.org"); !errors.Is(err, ErrNotReply) {
		t.Errorf("a plain address: %v, want ErrNotReply", err)
	}
}

func TestReplyToRejects(t *testing.T) {
	if _, err := ReplyTo([]byte("short"), "report@example.org", "AL-1"); err == nil {
		t.Error("a short key was accepted")
	}
	if _, err := ReplyTo(key, "report", "AL-1"); err == nil {
		t.Error("an address without a domain was accepted")
	}
	if Domain("Desk <report@Example.org>") != "Example.org" || Domain("nope") != "" {
		t.Error("Domain")
	}
}

func FuzzParse(f *testing.F) {
	addr, _ := ReplyTo(key, "report@example.org", "AL-1042")
	for _, s := range []string{addr, "report@example.org", "a+b.c@d", "\"x+y.z\"@e", "<>", "a+AL-1.aaaaaaaaaaaaaaaa@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ref, tok, err := Parse(s)
		if err != nil {
			return
		}
		if ref == "" || len(tok) != 16 {
			t.Fatalf("Parse(%q) = %q, %q", s, ref, tok)
		}
		if Verify(key, ref, tok) != (Token(key, ref) == tok) {
			t.Fatalf("Verify disagrees with Token for %q", s)
		}
	})
}
