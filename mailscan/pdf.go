package mailscan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// pdfAttachment adds the links a PDF attachment opens to the message's
// links, and raises pdf-link when the message itself says little (under
// pdfShortBody words) and the PDF links to a site other than the sender's:
// the attachment is the message, and its link is where filters do not look.
// Its pictures go to the QR reader as pictures in attachment index.
func (a *analysis) pdfAttachment(index int, pt part) {
	name := orDefault(pt.filename, "a PDF")
	for i, img := range pdfImages(pt.data) {
		a.pdfImage = append(a.pdfImage, part{filename: fmt.Sprintf("picture %d in %s", i+1, name),
			contentType: "image/jpeg", inline: true, data: img, sum: sha256.Sum256(img), in: index + 1})
	}
	for _, u := range pdfLinks(pt.data) {
		if !a.addFileLink(u, name) {
			continue
		}
		if h := hostOf(u); len(a.tokens) < pdfShortBody && h != "" && !aligned(h, domainOf(a.r.From)) {
			a.sig.add("pdf-link", "%s in %s", h, name)
		}
	}
}

// maxPDFImages bounds how many pictures are taken from one PDF for the QR
// reader (whose own budgets then apply).
const maxPDFImages = 4

// pdfImages returns the JPEG pictures a PDF holds: an image stream with
// the DCTDecode filter is a JPEG file as it is, so a stream that starts
// with a JPEG's first bytes is taken up to its endstream, without
// decoding anything. A quishing PDF is one page with a QR code on it, and
// its link is then nowhere in the message or the PDF's text. Pictures
// stored compressed (FlateDecode, from PNG) are not read.
func pdfImages(data []byte) [][]byte {
	var out [][]byte
	for rest := data; len(out) < maxPDFImages; {
		i := bytes.Index(rest, []byte("stream"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream"):]
		body, ok := bytes.CutPrefix(rest, []byte("\r\n"))
		if !ok {
			body, ok = bytes.CutPrefix(rest, []byte("\n"))
		}
		if !ok || !bytes.HasPrefix(body, []byte{0xff, 0xd8, 0xff}) {
			continue
		}
		end := bytes.Index(body, []byte("endstream"))
		if end < 0 {
			end = len(body)
		}
		out = append(out, body[:end])
		rest = body[end:]
	}
	return out
}

// pdfShortBody is how many words (subject included) a message may have
// for its PDF to count as the message.
const pdfShortBody = 60

// maxFileLinks bounds how many links are read from one PDF or calendar
// attachment.
const maxFileLinks = 20

// pdfLinks returns the web addresses a PDF's link annotations open
// (/URI (https://…) or /URI <68747470…>), without decoding its streams:
// a PDF that is one big "View document" button is how phishing moves its
// link out of the message body, where link scanners look.
func pdfLinks(data []byte) []string {
	var out []string
	for rest := data; len(out) < maxFileLinks; {
		i := bytes.Index(rest, []byte("/URI"))
		if i < 0 {
			break
		}
		rest = rest[i+4:]
		j := 0
		for j < len(rest) && j < 16 && (rest[j] == ' ' || rest[j] == '\r' || rest[j] == '\n' || rest[j] == '\t') {
			j++
		}
		if j >= len(rest) {
			break
		}
		var s string
		switch rest[j] {
		case '(':
			s = pdfLiteral(rest[j+1:])
		case '<':
			if k := bytes.IndexByte(rest[j:min(len(rest), j+4096)], '>'); k > 0 {
				b, err := hex.DecodeString(string(bytes.Join(bytes.Fields(rest[j+1:j+k]), nil)))
				if err == nil {
					s = string(b)
				}
			}
		}
		s = strings.TrimSpace(s)
		if hasPrefixFold(s, "http://") || hasPrefixFold(s, "https://") {
			out = append(out, s)
		}
	}
	return out
}

// pdfLiteral reads a PDF literal string up to its closing parenthesis
// (at most 2,048 bytes), undoing backslash escapes of parentheses and
// backslashes.
func pdfLiteral(b []byte) string {
	var sb strings.Builder
	depth := 0
	for i := 0; i < len(b) && i < 2048; i++ {
		switch c := b[i]; c {
		case '\\':
			if i+1 < len(b) {
				i++
				sb.WriteByte(b[i])
			}
		case '(':
			depth++
			sb.WriteByte(c)
		case ')':
			if depth == 0 {
				return sb.String()
			}
			depth--
			sb.WriteByte(c)
		default:
			sb.WriteByte(c)
		}
	}
	return ""
}
