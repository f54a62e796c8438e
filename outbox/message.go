package outbox

import (
	"bytes"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strconv"
	"strings"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailaddr"
)

// Header names the worker sets; the intake reads Auto-Submitted to never
// answer Ally's own mail.
const (
	headerOutboxID = "X-Ally-Outbox-Id"
)

// MessageID is the stable Message-ID of outbox message m sent from domain:
// the same on every attempt, so a receiver can tell a repeat.
func MessageID(m *ally.Mail, domain string) string {
	id, created := strconv.FormatInt(m.ID, 10), strconv.FormatInt(m.CreatedAt.UnixMilli(), 36)
	return "<outbox." + id + "." + created + "@" + domain + ">"
}

// compose renders m as an RFC 5322 message with CRLF line ends. It depends
// only on m, from and replyTo, so every attempt sends the same bytes.
func compose(m *ally.Mail, from *mail.Address, replyTo string) ([]byte, error) {
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("the address %q cannot take mail: %v", m.To, err)
	}
	domain := mailaddr.Domain(from.Address)
	var b bytes.Buffer
	header := func(name, value string) {
		b.WriteString(name + ": " + oneLine(value) + "\r\n")
	}
	header("From", from.String())
	header("To", to.String())
	if replyTo != "" {
		header("Reply-To", replyTo)
	}
	header("Subject", mime.QEncoding.Encode("utf-8", oneLine(m.Subject)))
	header("Date", m.CreatedAt.Format("Mon, 02 Jan 2006 15:04:05 -0700"))
	header("Message-ID", MessageID(m, domain))
	if m.CaseRef != "" {
		thread := "<case." + m.CaseRef + "@" + domain + ">"
		header("References", thread)
		header("In-Reply-To", thread)
	}
	header("Auto-Submitted", "auto-generated")
	header("X-Auto-Response-Suppress", "All")
	header(headerOutboxID, strconv.FormatInt(m.ID, 10))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// oneLine keeps a header value on one line: no CR or LF can start a new
// header.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }), " ")
}
