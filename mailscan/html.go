package mailscan

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// link is an anchor in an HTML body (where it points and what it shows), a
// URL written in plain text, or a URL read from a QR code (see
// analysis.qrImage).
type link struct{ href, text, host string }

// htmlInfo is what the analysis needs from an HTML document.
type htmlInfo struct {
	text          string
	links         []link
	formActions   []string
	passwordInput bool
	images        int
	hiddenText    int      // characters of text inside elements styled to be invisible
	dataImages    []string // src of <img> elements holding their picture (data:image/…), at most maxDataImages
}

// readHTML tokenises an HTML document (never executing or fetching
// anything) and collects its visible text, links, forms and images.
func readHTML(doc string) htmlInfo {
	var info htmlInfo
	var text strings.Builder
	text.Grow(len(doc) / 3)
	z := html.NewTokenizer(strings.NewReader(doc))
	skip := 0            // inside <script> or <style>
	anchor := -1         // index of the open <a> in info.links
	var hidden atom.Atom // the element that hides its content, while inside it
	hiddenDepth := 0
	var anchorText strings.Builder
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			info.text = text.String()
			return info
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := z.Text() // unescaped in place, no copy
			if hiddenDepth > 0 {
				info.hiddenText += len(bytes.TrimSpace(t))
				continue
			}
			text.Write(t)
			if anchor >= 0 {
				anchorText.Write(t)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			raw := z.Raw()
			a := tagAtom(raw)
			if tt == html.StartTagToken && a != 0 {
				switch {
				case hiddenDepth > 0 && a == hidden:
					hiddenDepth++
				case hiddenDepth == 0 && hidesContent(raw):
					hidden, hiddenDepth = a, 1
				}
			}
			var attrs map[string]string
			if wantAttrsOf[a] || (a == atom.Img && mayHoldData(raw)) {
				attrs = readAttrs(z)
			}
			switch a {
			case atom.Script, atom.Style, atom.Title:
				if tt == html.StartTagToken {
					skip++
				}
			case atom.A, atom.Area:
				if href := strings.TrimSpace(attrs["href"]); href != "" {
					info.links = append(info.links, link{href: href})
					if a == atom.A && tt == html.StartTagToken {
						anchor = len(info.links) - 1
						anchorText.Reset()
					}
				}
			case atom.Form:
				info.formActions = append(info.formActions, attrs["action"])
			case atom.Input:
				if strings.EqualFold(attrs["type"], "password") {
					info.passwordInput = true
				}
			case atom.Img:
				info.images++
				if src := strings.TrimSpace(attrs["src"]); hasPrefixFold(src,
					"data:image/") && len(info.dataImages) < maxDataImages {
					info.dataImages = append(info.dataImages, src)
				}
			case atom.Br, atom.P, atom.Div, atom.Tr, atom.Li, atom.Td, atom.H1, atom.H2, atom.H3:
				text.WriteByte('\n')
			case atom.Meta:
				if strings.EqualFold(attrs["http-equiv"], "refresh") {
					if _, u, ok := strings.Cut(strings.ToLower(attrs["content"]), "url="); ok {
						info.links = append(info.links, link{href: strings.Trim(u, `'" `)})
					}
				}
			}
		case html.EndTagToken:
			end := tagAtom(z.Raw())
			if hiddenDepth > 0 && end == hidden {
				hiddenDepth--
			}
			switch end {
			case atom.Script, atom.Style, atom.Title:
				if skip > 0 {
					skip--
				}
			case atom.A:
				if anchor >= 0 {
					info.links[anchor].text = strings.Join(strings.Fields(anchorText.String()), " ")
					anchor = -1
				}
			case atom.P, atom.Div, atom.Tr, atom.Li:
				text.WriteByte('\n')
			}
		}
	}
}

// wantedAttrs are the only attributes readHTML looks at.
var wantedAttrs = map[string]bool{"href": true, "action": true, "type": true, "http-equiv": true, "content": true,
	"src": true}

// wantAttrsOf are the elements whose attributes readHTML reads (and <img>
// holding its own picture, for the QR reader).
var wantAttrsOf = map[atom.Atom]bool{atom.A: true, atom.Area: true, atom.Form: true, atom.Input: true, atom.Meta: true}

// tagAtom reads the element name from a raw tag ("<A href=...>", "</p>")
// without the tokenizer's allocating TagName.
func tagAtom(raw []byte) atom.Atom {
	var buf [16]byte
	n := 0
	for i := 1; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '/' && n == 0:
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
		default:
			return atom.Lookup(buf[:n])
		}
		if n == len(buf) {
			return 0
		}
		buf[n] = c
		n++
	}
	return atom.Lookup(buf[:n])
}

// mayHoldData reports whether a raw tag may have a data: URL, in any of
// the usual cases, without allocating; isDataImage then decides.
func mayHoldData(raw []byte) bool {
	return bytes.Contains(raw, []byte("data:")) || bytes.Contains(raw, []byte("DATA:")) || bytes.Contains(raw,
		[]byte("Data:"))
}

// isDataImage reports whether an src holds its picture ("data:image/…"):
// the only src the analysis keeps, so ordinary images cost nothing.
func isDataImage(v []byte) bool {
	const prefix = "data:image/"
	return len(v) > len(prefix) && bytes.EqualFold(v[:len(prefix)], []byte(prefix))
}

func readAttrs(z *html.Tokenizer) map[string]string {
	var m map[string]string
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		if wantedAttrs[string(k)] && (string(k) != "src" || isDataImage(v)) {
			if m == nil {
				m = make(map[string]string, 2)
			}
			m[string(k)] = string(v)
		}
	}
	return m
}

// hidesContent reports whether a raw start tag styles its content to be
// invisible (display:none, visibility:hidden, zero font size or opacity),
// a way to pad a message with words for filters that readers never see.
func hidesContent(raw []byte) bool {
	i := bytes.Index(raw, []byte("style"))
	if i < 0 {
		return false
	}
	var buf [96]byte
	n := 0
	for _, c := range raw[i:] {
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			continue
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if n == len(buf) {
			break
		}
		buf[n] = c
		n++
	}
	s := buf[:n]
	for _, h := range [][]byte{[]byte("display:none"), []byte("visibility:hidden"), []byte("font-size:0;"),
		[]byte("font-size:0px"), []byte("font-size:0\""), []byte("font-size:0'"), []byte("opacity:0;"),
		[]byte("opacity:0\""), []byte("max-height:0"), []byte("height:0;overflow:hidden")} {
		if bytes.Contains(s, h) {
			return true
		}
	}
	return false
}
