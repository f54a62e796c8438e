// Package outlookmsg turns an Outlook .msg file into an RFC 5322 email, so
// that a reported email saved from Outlook is analysed like any other.
//
// A .msg file is an OLE compound file ([MS-CFB], read with
// github.com/richardlehane/mscfb) holding the message's MAPI properties
// ([MS-OXMSG]): one stream per variable-length property, named
// __substg1.0_TTTTPPPP (property id, then type), and one storage per
// attachment. The internet headers the message arrived with
// (PidTagTransportMessageHeaders) are kept as they were, so sender checks
// still work; the body and attachments are written afresh as MIME parts.
// Pure: no I/O, bounded in memory by the input's size and the limits below.
package outlookmsg

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/richardlehane/mscfb"
)

// Limits on what is read from one file.
const (
	MaxStream      = 32 << 20 // bytes of one property (a body, an attached file)
	MaxAttachments = 500      // attachments kept; the rest are left out
)

// ErrNotMsg is returned (wrapped) for data that is not an Outlook message.
var ErrNotMsg = errors.New("it is not an Outlook email: save the email from Outlook again, or forward it " +
	"as an attachment instead")

// Property ids ([MS-OXPROPS]) and types.
const (
	propSubject       = 0x0037
	propSubmitTime    = 0x0039
	propHeaders       = 0x007D
	propSentRepName   = 0x0042
	propSentRepEmail  = 0x0065
	propSenderName    = 0x0C1A
	propSenderEmail   = 0x0C1F
	propDisplayTo     = 0x0E04
	propBody          = 0x1000
	propHTML          = 0x1013
	propMessageID     = 0x1035
	propAttachData    = 0x3701
	propAttachName    = 0x3704
	propAttachLong    = 0x3707
	propAttachMime    = 0x370E
	propSenderSMTP    = 0x5D01
	typeString8       = 0x001E
	typeUnicode       = 0x001F
	typeBinary        = 0x0102
	typeTime          = 0x0040
	attachPrefix      = "__attach_version1.0_#"
	propertyPrefix    = "__substg1.0_"
	fixedPropsStream  = "__properties_version1.0"
	rootFixedHeader   = 32 // bytes before the fixed-size properties of the message itself
	fixedPropertySize = 16
)

// message is what is read from the file.
type message struct {
	props       map[uint16]string // text properties of the message
	html        []byte
	sent        time.Time
	attachments []*attachment
	skipped     int // attachments past MaxAttachments
}

type attachment struct {
	props map[uint16]string
	data  []byte
}

// ToEML reads an Outlook .msg file and returns the email it holds as an
// RFC 5322 message. Data that is not one gives an error wrapping ErrNotMsg.
func ToEML(data []byte) (eml []byte, err error) {
	defer func() { // the reader trusts the file's tables; a broken one must not stop the server
		if r := recover(); r != nil {
			eml, err = nil, fmt.Errorf("%w (the file is damaged)", ErrNotMsg)
		}
	}()
	m, err := read(data)
	if err != nil {
		return nil, err
	}
	return m.write()
}

func read(data []byte) (*message, error) {
	doc, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNotMsg, err)
	}
	m := &message{props: map[uint16]string{}}
	bu := &budget{left: 2*int64(len(data)) + 4096}
	attachments := map[string]*attachment{}
	found := false
	for f, err := doc.Next(); err == nil; f, err = doc.Next() {
		var target map[uint16]string
		var atta *attachment
		switch {
		case len(f.Path) == 0:
			target = m.props
		case len(f.Path) == 1 && strings.HasPrefix(f.Path[0], attachPrefix):
			if atta = attachments[f.Path[0]]; atta == nil {
				if len(attachments) == MaxAttachments {
					m.skipped++
					continue
				}
				atta = &attachment{props: map[uint16]string{}}
				attachments[f.Path[0]] = atta
				m.attachments = append(m.attachments, atta)
			}
			target = atta.props
		default:
			continue // recipients, named properties, messages embedded in attachments
		}
		if len(f.Path) == 0 && f.Name == fixedPropsStream {
			m.sent = submitTime(bu.read(f))
			continue
		}
		id, typ, ok := propertyName(f.Name)
		if !ok {
			continue
		}
		found = found || len(f.Path) == 0
		switch {
		case typ == typeUnicode || typ == typeString8:
			target[id] = decodeText(bu.read(f), typ)
		case typ == typeBinary && len(f.Path) == 0 && id == propHTML:
			m.html = bu.read(f)
		case typ == typeBinary && atta != nil && id == propAttachData:
			atta.data = bu.read(f)
		}
	}
	if !found {
		return nil, fmt.Errorf("%w (the file holds no message properties)", ErrNotMsg)
	}
	return m, nil
}

// propertyName splits a stream name __substg1.0_PPPPTTTT into the property
// id and type.
func propertyName(name string) (id, typ uint16, ok bool) {
	hex, found := strings.CutPrefix(name, propertyPrefix)
	if !found || len(hex) != 8 {
		return 0, 0, false
	}
	var v uint32
	if _, err := fmt.Sscanf(hex, "%08X", &v); err != nil {
		return 0, 0, false
	}
	return uint16(v >> 16), uint16(v), true
}

// budget is how many bytes of streams may still be read from one file: a
// damaged file's sector chains can loop, so a stream's stated size is not
// trusted; all of them together read at most twice the file.
type budget struct{ left int64 }

// read reads f's stream, at most MaxStream bytes and what the budget has
// left, stopping at the first short or failed read.
func (bu *budget) read(f *mscfb.File) []byte {
	n := min(f.Size, MaxStream, bu.left)
	if n <= 0 {
		return nil
	}
	var out bytes.Buffer
	chunk := make([]byte, min(n, 64<<10))
	for int64(out.Len()) < n {
		k, err := f.Read(chunk[:min(int64(len(chunk)), n-int64(out.Len()))])
		out.Write(chunk[:k])
		if err != nil || k == 0 {
			break
		}
	}
	bu.left -= int64(out.Len())
	return out.Bytes()
}

// decodeText reads a string property: UTF-16LE, or 8-bit (UTF-8 when it
// is valid, else Windows-1252's Latin-1 part).
func decodeText(b []byte, typ uint16) string {
	if typ == typeUnicode {
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(b[2*i:])
		}
		return strings.TrimRight(string(utf16.Decode(u)), "\x00")
	}
	b = bytes.TrimRight(b, "\x00")
	if utf8.Valid(b) {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// submitTime finds PidTagClientSubmitTime among the message's fixed-size
// properties; zero when it is not there.
func submitTime(b []byte) time.Time {
	for off := rootFixedHeader; off+fixedPropertySize <= len(b); off += fixedPropertySize {
		tag := binary.LittleEndian.Uint32(b[off:])
		if uint16(tag>>16) == propSubmitTime && uint16(tag) == typeTime {
			ft := int64(binary.LittleEndian.Uint64(b[off+8:]))
			const epochDiff = 116444736000000000 // 1601 to 1970, in 100 ns
			if ft <= epochDiff {
				return time.Time{}
			}
			return time.Unix(0, 0).Add(time.Duration(ft-epochDiff) * 100).UTC()
		}
	}
	return time.Time{}
}

// write renders the message as RFC 5322 with a fresh MIME body.
func (m *message) write() ([]byte, error) {
	var out bytes.Buffer
	m.writeHeaders(&out)
	mw := multipart.NewWriter(&out)
	fmt.Fprintf(&out, "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=%q\r\n\r\n", mw.Boundary())
	if err := m.writeBody(mw); err != nil {
		return nil, err
	}
	for i, a := range m.attachments {
		if err := a.write(mw, i); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// replacedHeaders are the arrival headers that described the old body.
var replacedHeaders = map[string]bool{"Content-Type": true, "Content-Transfer-Encoding": true,
	"Mime-Version": true, "Content-Disposition": true}

func (m *message) writeHeaders(out *bytes.Buffer) {
	out.WriteString("X-Ally-Converted-From: Outlook .msg file\r\n")
	if h := m.props[propHeaders]; strings.TrimSpace(h) != "" {
		for _, field := range headerFields(h) {
			name, _, _ := strings.Cut(field, ":")
			if !replacedHeaders[textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(name))] {
				out.WriteString(field + "\r\n")
			}
		}
		return
	}
	// No arrival headers (a draft, or saved without them): say what is known.
	from := firstOf(m.props[propSenderSMTP], m.props[propSentRepEmail], m.props[propSenderEmail])
	name := firstOf(m.props[propSenderName], m.props[propSentRepName])
	if from != "" || name != "" {
		fmt.Fprintf(out, "From: %s <%s>\r\n", mime.QEncoding.Encode("utf-8", name), oneLine(from))
	}
	if to := m.props[propDisplayTo]; to != "" {
		fmt.Fprintf(out, "To: %s\r\n", mime.QEncoding.Encode("utf-8", oneLine(to)))
	}
	if !m.sent.IsZero() {
		fmt.Fprintf(out, "Date: %s\r\n", m.sent.Format(time.RFC1123Z))
	}
	if id := m.props[propMessageID]; id != "" {
		fmt.Fprintf(out, "Message-ID: %s\r\n", oneLine(id))
	}
	fmt.Fprintf(out, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", oneLine(m.props[propSubject])))
}

// headerFields splits a header block into whole fields, folded lines
// kept with their field; anything before the first field is dropped.
func headerFields(h string) []string {
	var fields []string
	for _, line := range strings.Split(strings.ReplaceAll(h, "\r\n", "\n"), "\n") {
		switch {
		case line == "":
			continue
		case line[0] == ' ' || line[0] == '\t':
			if len(fields) > 0 {
				fields[len(fields)-1] += "\r\n" + line
			}
		case strings.Contains(line, ":"):
			fields = append(fields, line)
		}
	}
	return fields
}

func (m *message) writeBody(mw *multipart.Writer) error {
	var alt bytes.Buffer
	aw := multipart.NewWriter(&alt)
	if err := textPart(aw, "text/plain; charset=utf-8", []byte(m.props[propBody])); err != nil {
		return err
	}
	if len(m.html) > 0 {
		if err := textPart(aw, "text/html; charset=utf-8", m.html); err != nil {
			return err
		}
	}
	if err := aw.Close(); err != nil {
		return err
	}
	w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"multipart/alternative; boundary=" +
		aw.Boundary()}})
	if err != nil {
		return err
	}
	_, err = w.Write(alt.Bytes())
	return err
}

func textPart(w *multipart.Writer, ct string, b []byte) error {
	p, err := w.CreatePart(textproto.MIMEHeader{"Content-Type": {ct}, "Content-Transfer-Encoding": {"base64"}})
	if err != nil {
		return err
	}
	return writeBase64(p, b)
}

func (a *attachment) write(mw *multipart.Writer, i int) error {
	name := oneLine(firstOf(a.props[propAttachLong], a.props[propAttachName], fmt.Sprintf("attachment-%d", i+1)))
	ct := oneLine(firstOf(a.props[propAttachMime], "application/octet-stream"))
	if _, _, err := mime.ParseMediaType(ct); err != nil {
		ct = "application/octet-stream"
	}
	p, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {ct},
		"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": name})},
		"Content-Transfer-Encoding": {"base64"}})
	if err != nil {
		return err
	}
	return writeBase64(p, a.data)
}

// writeBase64 writes b in base64, 76 characters a line.
func writeBase64(w io.Writer, b []byte) error {
	enc := base64.StdEncoding.EncodeToString(b)
	for len(enc) > 0 {
		n := min(76, len(enc))
		if _, err := io.WriteString(w, enc[:n]+"\r\n"); err != nil {
			return err
		}
		enc = enc[n:]
	}
	return nil
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// oneLine keeps a value on one header line.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }), " ")
}
