package intake

import (
	"testing"

	"github.com/allydesk/ally/mailaddr"
)

func TestReplyTag(t *testing.T) {
	for raw, want := range map[string]string{
		"To: report+AL-1042.abcdefghijklmnop@example.org\r\n\r\nhi":                                  "AL-1042.abcdefghijklmnop",
		"Delivered-To: report+AL-7.abcdefghijklmnop@example.org\r\nTo: report@example.org\r\n\r\nhi": "AL-7.abcdefghijklmnop",
		"To: report@example.org\r\nCc: a+b@example.org\r\n\r\nhi":                                    "",
		"To: report+AL-1042.short@example.org\r\n\r\nhi":                                             "",
		"not a message": "",
	} {
		if got := replyTag([]byte(raw)); got != want {
			t.Errorf("replyTag(%q) = %q, want %q", raw, got, want)
		}
	}
}

func FuzzReplyTag(f *testing.F) {
	f.Add([]byte("To: report+AL-1042.abcdefghijklmnop@example.org\r\n\r\nhi"))
	f.Add([]byte("Delivered-To: x\r\nTo: \"a+b\" <a+b.c@d>, report+AL-1.abcdefghijklmnop@e.org\r\n\r\n"))
	f.Add([]byte("Cc: =?utf-8?q?x?= <r+AL-1.aaaaaaaaaaaaaaaa@x>\r\n\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		tag := replyTag(raw)
		if tag == "" {
			return
		}
		if _, _, err := mailaddr.ParseTag(tag); err != nil {
			t.Fatalf("replyTag gave %q, which ParseTag refuses: %v", tag, err)
		}
	})
}
