package mailscan

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode legacy charsets
	"github.com/emersion/go-message/textproto"
)

// field is one header field, unfolded and with encoded words decoded.
type field struct{ name, value string }

// part is an attachment or inline file.
type part struct {
	filename, contentType string
	inline                bool
	data                  []byte
	sum                   [32]byte // SHA-256 of data, set by attachments (or dataImagePart)
	in                    int      // a picture taken from attachment in-1 (a PDF's); 0 for none
}

// parsed is a message reduced to what the analysis needs.
type parsed struct {
	fields     []field
	text, html strings.Builder
	parts      []part
	nested     [][]byte // attached messages (message/rfc822), raw
	limits     []string
	partsSeen  int
	malformed  []string
	utf7       bool // a body part was written in UTF-7
}

// get returns the first value of a header field (case-insensitive name).
func (p *parsed) get(name string) string {
	for _, f := range p.fields {
		if strings.EqualFold(f.name, name) {
			return f.value
		}
	}
	return ""
}

// all returns every value of a header field, top first.
func (p *parsed) all(name string) []string {
	var out []string
	for _, f := range p.fields {
		if strings.EqualFold(f.name, name) {
			out = append(out, f.value)
		}
	}
	return out
}

func (p *parsed) limit(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	for _, l := range p.limits {
		if l == msg {
			return
		}
	}
	p.limits = append(p.limits, msg)
}

var wordDecoder = &mime.WordDecoder{CharsetReader: message.CharsetReader}

// decodeHeader decodes RFC 2047 encoded words, keeping the raw text on error.
func decodeHeader(v string) string {
	if strings.Contains(v, "=?") {
		if d, err := wordDecoder.DecodeHeader(v); err == nil {
			v = d
		}
	}
	return strings.ToValidUTF8(strings.TrimSpace(v), "\uFFFD")
}

// parse reads a raw message. It never fails: whatever cannot be parsed as
// MIME is kept as plain text, and each limit hit is recorded.
func parse(raw []byte, o Options) *parsed {
	p := &parsed{}
	if len(raw) > o.MaxBytes {
		p.limit("message larger than %d bytes: only the first %d bytes were analysed", o.MaxBytes, o.MaxBytes)
		raw = raw[:o.MaxBytes]
	}
	raw = stripMbox(raw)
	var bodyR io.Reader
	h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw[:min(len(raw), o.MaxHeaderBytes)])))
	if err != nil || headerLen(raw) > o.MaxHeaderBytes {
		// go-message refused the header block: read it leniently instead.
		var body []byte
		h, body = lenientHeader(raw, o.MaxHeaderBytes, p)
		bodyR = bytes.NewReader(body)
		p.malformed = append(p.malformed, "header block is not well-formed")
	} else {
		bodyR = bytes.NewReader(raw[headerLen(raw):])
	}
	for f := h.Fields(); f.Next(); {
		p.fields = append(p.fields, field{f.Key(), decodeHeader(f.Value())})
	}
	e, err := message.New(message.Header{Header: h}, bodyR)
	if e == nil {
		p.malformed = append(p.malformed, err.Error())
		p.text.WriteString(strings.ToValidUTF8(string(raw[headerLen(raw):]), ""))
		return p
	}
	p.walk(e, 0, o)
	return p
}

// headerLen returns the length of the header block including the blank line.
func headerLen(raw []byte) int {
	for off := 0; off < len(raw); {
		line, _, found := bytes.Cut(raw[off:], []byte("\n"))
		next := off + len(line) + 1
		if !found {
			return len(raw)
		}
		if len(bytes.TrimRight(line, "\r")) == 0 {
			return next
		}
		off = next
	}
	return len(raw)
}

// stripMbox drops leading blank lines and an mbox "From " separator line.
func stripMbox(raw []byte) []byte {
	raw = bytes.TrimLeft(raw, "\r\n\t ")
	if bytes.HasPrefix(raw, []byte("From ")) {
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			return raw[i+1:]
		}
	}
	return raw
}

// lenientHeader splits a damaged header block: lines with a colon are
// fields, indented lines continue the previous one, anything else ends the
// header. It returns the header and the body.
func lenientHeader(raw []byte, max int, p *parsed) (textproto.Header, []byte) {
	var h textproto.Header
	var name, value string
	flush := func() {
		if name != "" {
			h.Add(name, value)
		}
		name, value = "", ""
	}
	rest := raw
	used := 0
	for len(rest) > 0 {
		line, tail, _ := bytes.Cut(rest, []byte("\n"))
		s := strings.TrimRight(string(line), "\r")
		if strings.TrimSpace(s) == "" {
			rest = tail
			break
		}
		used += len(line) + 1
		if used > max {
			p.limit("header block longer than %d bytes: the rest was skipped", max)
			break
		}
		if (s[0] == ' ' || s[0] == '\t') && name != "" {
			value += " " + strings.TrimSpace(s)
		} else if k, v, ok := strings.Cut(s, ":"); ok && validFieldName(k) {
			flush()
			name, value = strings.TrimSpace(k), strings.TrimSpace(v)
		} else {
			break
		}
		rest = tail
	}
	flush()
	return h, rest
}

var fieldNameRE = regexp.MustCompile(`^[!-9;-~]+$`)

func validFieldName(k string) bool {
	return len(k) < 80 && fieldNameRE.MatchString(strings.TrimSpace(k))
}

// walk visits a MIME entity and its children, bounded by depth and count.
func (p *parsed) walk(e *message.Entity, depth int, o Options) {
	p.partsSeen++
	if p.partsSeen > o.MaxParts {
		p.limit("more than %d MIME parts: the rest were skipped", o.MaxParts)
		return
	}
	mediaType, params, err := e.Header.ContentType()
	if err != nil || mediaType == "" {
		mediaType = "text/plain"
	}
	if strings.HasPrefix(mediaType, "multipart/") && params["boundary"] != "" {
		if depth >= o.MaxDepth {
			p.limit("MIME nesting deeper than %d levels: inner parts were skipped", o.MaxDepth)
			return
		}
		mr := e.MultipartReader()
		for {
			child, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return
			}
			if child == nil {
				p.malformed = append(p.malformed, "broken multipart structure")
				return
			}
			p.walk(child, depth+1, o)
			if p.partsSeen > o.MaxParts {
				return
			}
		}
	}
	data, _ := io.ReadAll(io.LimitReader(e.Body, int64(o.MaxBytes)))
	disp, dparams, _ := e.Header.ContentDisposition()
	filename := decodeHeader(dparams["filename"])
	if filename == "" {
		filename = decodeHeader(params["name"])
	}
	switch {
	case mediaType == "message/rfc822" || mediaType == "message/global":
		if depth < o.MaxDepth {
			p.nested = append(p.nested, data)
		} else {
			p.limit("MIME nesting deeper than %d levels: inner parts were skipped", o.MaxDepth)
		}
		p.parts = append(p.parts, part{filename: orDefault(filename, "attached-message.eml"), contentType: mediaType,
			data: data})
	case filename == "" && disp != "attachment" && isUTF7(params["charset"]) && (mediaType == "text/html" ||
		strings.HasPrefix(mediaType, "text/plain")):
		p.utf7 = true
		if mediaType == "text/html" {
			appendBody(&p.html, toUTF8(decodeUTF7(data)))
		} else {
			appendBody(&p.text, toUTF8(decodeUTF7(data)))
		}
	case filename == "" && disp != "attachment" && (mediaType == "text/html"):
		appendBody(&p.html, toUTF8(data))
	case filename == "" && disp != "attachment" && (strings.HasPrefix(mediaType,
		"text/plain") || strings.HasPrefix(mediaType, "multipart/") || mediaType == "text/enriched"):
		appendBody(&p.text, toUTF8(data))
	default:
		p.parts = append(p.parts, part{filename: filename, contentType: mediaType,
			inline: disp == "inline" || (disp == "" && filename == ""), data: data})
	}
}

// appendBody adds a body part, separating parts with a newline (written
// before the next part, so a single part is copied only once).
func appendBody(b *strings.Builder, data []byte) {
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	b.Write(data)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// toUTF8 returns data as valid UTF-8, reading invalid bytes as Latin-1 (the
// most common mislabelled charset).
func toUTF8(data []byte) []byte {
	if utf8.Valid(data) {
		return data
	}
	out := make([]byte, 0, len(data)+len(data)/8)
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, rune(data[0]))
		} else {
			out = append(out, data[:size]...)
		}
		data = data[size:]
	}
	return out
}

// address is a parsed mailbox.
type address struct{ name, addr string }

var angleRE = regexp.MustCompile(`<\s*([^<>\s@]+@[^<>\s]+?)\s*>`)
var bareRE = regexp.MustCompile(`[A-Za-z0-9._%+\-=]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)

// parseAddresses reads an address list leniently: net/mail first, then a
// pattern search for anything that looks like a mailbox.
func parseAddresses(v string) []address {
	if v == "" {
		return nil
	}
	if list, err := (&mail.AddressParser{WordDecoder: wordDecoder}).ParseList(v); err == nil {
		out := make([]address, 0, len(list))
		for _, a := range list {
			out = append(out, address{strings.TrimSpace(a.Name), strings.ToLower(a.Address)})
		}
		return out
	}
	if m := angleRE.FindStringSubmatchIndex(v); m != nil {
		name := strings.Trim(strings.TrimSpace(v[:m[0]]), `"' `)
		return []address{{decodeHeader(name), strings.ToLower(v[m[2]:m[3]])}}
	}
	if m := bareRE.FindString(v); m != "" {
		return []address{{"", strings.ToLower(m)}}
	}
	return []address{{strings.TrimSpace(v), ""}}
}

// firstAddress returns the first mailbox of a header value.
func firstAddress(v string) address {
	if l := parseAddresses(v); len(l) > 0 {
		return l[0]
	}
	return address{}
}

// domainOf returns the lower-cased domain of an email address.
func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return strings.Trim(strings.ToLower(addr[i+1:]), ".> ")
	}
	return ""
}
