package intake

import (
	"strings"
	"testing"
)

func TestParseIMAPURL(t *testing.T) {
	c, err := ParseIMAPURL("imaps://report%40corp.example:p%40ss@mail.corp.example/Reports?processed=Done&after=flag")
	if err != nil {
		t.Fatal(err)
	}
	if !c.Implicit || c.Addr != "mail.corp.example:993" || c.User != "report@corp.example" || c.Password != "p@ss" ||
		c.Folder != "Reports" || c.Processed != "Done" || !c.Flag || c.XOAUTH2 {
		t.Errorf("parsed %+v", c)
	}
	if r := c.Redacted(); strings.Contains(r, "p@ss") || !strings.Contains(r, "***") {
		t.Errorf("redacted: %q", r)
	}
	c, err = ParseIMAPURL("imap://u:token@[::1]:1143?tls=starttls&auth=xoauth2")
	if err != nil || c.Addr != "[::1]:1143" || !c.StartTLS || !c.XOAUTH2 || c.Folder != "INBOX" || c.Processed != "Processed" {
		t.Errorf("parsed %+v, %v", c, err)
	}
	for _, tt := range []struct{ url, want string }{
		{"pop3://u:p@h/INBOX", "imap or imaps"},
		{"imap://h/INBOX", "user name is missing"},
		{"imap://u@h/INBOX", "password is missing"},
		{"imap://u:p@/INBOX", "host is missing"},
		{"imap://u:p@h/INBOX?tls=maybe", "tls must be"},
		{"imap://u:p@h/INBOX?auth=cram", "auth must be"},
		{"imap://u:p@h/INBOX?after=delete", "after must be"},
		{"imap://u:p@h/Processed", "must differ"},
		{"imap://u:p@h/%zz", "not a URL"},
	} {
		_, err := ParseIMAPURL(tt.url)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "imap[s]://") {
			t.Errorf("%s: %v, want %q", tt.url, err, tt.want)
		}
	}
}

func TestXOAUTH2(t *testing.T) {
	mech, ir, err := xoauth2{"a@b.c", "tok"}.Start()
	if mech != "XOAUTH2" || string(ir) != "user=a@b.c\x01auth=Bearer tok\x01\x01" || err != nil {
		t.Errorf("start: %s %q %v", mech, ir, err)
	}
}
