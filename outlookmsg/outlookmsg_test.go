package outlookmsg_test

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"strings"
	"testing"

	"github.com/allydesk/ally/outlookmsg"
)

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestToEML: a real Outlook message becomes an email with its arrival
// headers, its text and its attached file.
func TestToEML(t *testing.T) {
	eml, err := outlookmsg.ToEML(read(t, "mscfb-test.msg"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := mail.ReadMessage(bytes.NewReader(eml))
	if err != nil {
		t.Fatal(err)
	}
	h := m.Header
	if h.Get("Subject") != "test" || !strings.Contains(h.Get("From"), "Richard.Lehane@records.nsw.gov.au") ||
		h.Get("Message-Id") != "<3031EDB65352F345AF0723D0EBAAAE463A3D90@EXCHANGE.records.nsw.gov.au>" ||
		!strings.Contains(h.Get("Received"), "EXCHANGE.records.nsw.gov.au") ||
		h.Get("X-Ally-Converted-From") == "" {
		t.Errorf("headers: %v", h)
	}
	if len(h["Content-Type"]) != 1 || len(h["Mime-Version"]) != 1 {
		t.Errorf("the old body's headers were kept: %v", h)
	}
	parts := leaves(t, h.Get("Content-Type"), m.Body)
	if !strings.Contains(parts["text/plain; charset=utf-8"], "Richard Lehane | Project Officer") {
		t.Errorf("body: %q", parts["text/plain; charset=utf-8"])
	}
	if doc := parts["attachment test.doc"]; len(doc) < 1000 || !strings.HasPrefix(doc, "\xd0\xcf\x11\xe0") {
		t.Errorf("attached test.doc: %d bytes", len(doc))
	}
}

// leaves decodes a multipart body into its leaf parts, by content type
// (or "attachment NAME").
func leaves(t *testing.T, ct string, body io.Reader) map[string]string {
	t.Helper()
	out := map[string]string{}
	_, params, err := mime.ParseMediaType(ct)
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return out
		} else if err != nil {
			t.Fatal(err)
		}
		pct := p.Header.Get("Content-Type")
		if strings.HasPrefix(pct, "multipart/") {
			for k, v := range leaves(t, pct, p) {
				out[k] = v
			}
			continue
		}
		raw, _ := io.ReadAll(p)
		data, err := decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		if _, dp, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition")); dp["filename"] != "" {
			pct = "attachment " + dp["filename"]
		}
		out[pct] = string(data)
	}
}

// TestNotAMsg: anything else is refused with ErrNotMsg, whose words say
// what to do; no input makes it panic.
func TestNotAMsg(t *testing.T) {
	msg := read(t, "mscfb-test.msg")
	for name, data := range map[string][]byte{
		"empty":                   nil,
		"an .eml":                 []byte("From: a@b.example\r\nSubject: hi\r\n\r\nhello\r\n"),
		"a spreadsheet":           read(t, "mscfb-test.xls"),
		"the first 4 KB of a msg": msg[:4096],
		"a msg with its tables zeroed": func() []byte {
			b := bytes.Clone(msg)
			clear(b[76:512])
			return b
		}(),
	} {
		_, err := outlookmsg.ToEML(data)
		if !errors.Is(err, outlookmsg.ErrNotMsg) || !strings.Contains(err.Error(), "forward it as an attachment") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func FuzzToEML(f *testing.F) {
	msg := read(f, "mscfb-test.msg")
	f.Add(msg[:8192]) // the header, directory and first streams: small enough to mutate quickly
	f.Add(msg[:1024])
	f.Add(read(f, "mscfb-test.xls"))
	f.Fuzz(func(t *testing.T, data []byte) {
		eml, err := outlookmsg.ToEML(data)
		if err != nil {
			if !errors.Is(err, outlookmsg.ErrNotMsg) {
				t.Fatalf("error not wrapping ErrNotMsg: %v", err)
			}
			return
		}
		if _, err := mail.ReadMessage(bytes.NewReader(eml)); err != nil {
			t.Fatalf("the email written does not parse: %v", err)
		}
	})
}
