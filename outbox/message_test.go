package outbox

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

func TestComposeKeepsHeadersOnOneLine(t *testing.T) {
	from := &mail.Address{Name: "Ally", Address: "report@example.org"}
	m := &ally.Mail{ID: 7, To: "sam@example.org", CaseRef: "AL-1007", CreatedAt: time.Unix(1_800_000_000, 0),
		Subject: "Odd email\r\nBcc: everyone@example.org (AL-1007)", Body: "Hi Sam,\nline two é\n"}
	raw, err := compose(m, from, "report+AL-1007.abc@example.org")
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get("Bcc") != "" || !strings.Contains(msg.Header.Get("Subject"), "Bcc: everyone") {
		t.Errorf("a line break in the subject made a header: %q", raw)
	}
	if got := msg.Header.Get("Message-Id"); got != MessageID(m, "example.org") {
		t.Errorf("Message-ID %q", got)
	}
	if !bytes.Contains(raw, []byte("line two =C3=A9\r\n")) || bytes.Contains(raw, []byte("\n\n")) {
		t.Errorf("body not quoted-printable with CRLF: %q", raw)
	}
	again, _ := compose(m, from, "report+AL-1007.abc@example.org")
	if !bytes.Equal(raw, again) {
		t.Error("two compositions of one message differ")
	}
	m.To = "not an address"
	if _, err := compose(m, from, ""); err == nil {
		t.Error("a bad recipient was composed")
	}
}
