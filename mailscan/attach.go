package mailscan

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path"
	"strings"
)

// attachments describes every attachment and raises file signals.
func (a *analysis) attachments(o Options) {
	for i, pt := range a.p.parts {
		sum := sha256.Sum256(pt.data)
		a.p.parts[i].sum = sum // the QR reader's memory is keyed by it too
		info := AttachmentInfo{
			Filename: pt.filename, ContentType: pt.contentType, Size: len(pt.data),
			SHA256: hex.EncodeToString(sum[:]), Inline: pt.inline,
		}
		if strings.HasPrefix(pt.contentType, "image/") {
			a.images++
		}
		name := strings.ToLower(pt.filename)
		ext := extOf(name)
		switch {
		case doubleExtension(name):
			a.sig.add("double-extension", "%s", pt.filename)
		case rules.executableExt[ext]:
			a.sig.add("executable-attachment", "%s", pt.filename)
		case rules.macroExt[ext]:
			a.sig.add("macro-attachment", "%s", pt.filename)
		}
		if rules.htmlExt[ext] || (pt.filename != "" && (pt.contentType == "text/html" || pt.contentType == "image/svg+xml")) {
			a.htmlAttachment(pt)
		}
		if ext == "pdf" || pt.contentType == "application/pdf" {
			a.pdfAttachment(i, pt)
		}
		if ext == "ics" || pt.contentType == "text/calendar" {
			a.calendarAttachment(pt)
		}
		if kind := archiveKind(ext, pt.contentType, pt.data); kind != "" {
			info.Entries, info.Encrypted = a.listArchive(kind, pt, o)
		} else if rules.archiveExt[ext] {
			a.p.limit("%s: %s archives are not opened; only zip and rar files are listed", pt.filename, ext)
		}
		if (ext == "docx" || ext == "xlsx" || ext == "pptx") && bytes.Contains(pt.data, []byte("vbaProject.bin")) {
			a.sig.add("macro-attachment", "%s contains vbaProject.bin", pt.filename)
		}
		a.r.Attachments = append(a.r.Attachments, info)
	}
}

// extOf returns the lower-cased extension of a file name, without the dot.
func extOf(name string) string {
	return strings.TrimPrefix(strings.ToLower(path.Ext(strings.TrimSpace(name))), ".")
}

// doubleExtension reports names like "invoice.pdf.exe" or "scan.pdf   .js":
// a document extension followed by one that runs code.
func doubleExtension(name string) bool {
	base := strings.TrimSuffix(name, path.Ext(name))
	inner := strings.TrimSpace(extOf(strings.TrimSpace(base)))
	outer := extOf(name)
	if inner == "" || !(rules.executableExt[outer] || rules.htmlExt[outer]) {
		return false
	}
	switch inner {
	case "pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png", "txt", "rtf", "csv", "mp3", "mp4", "wav", "zip":
		return true
	}
	return false
}

// smugglingCues are fragments of script that build files or pages from
// encoded data inside an HTML attachment.
var smugglingCues = []string{"atob(", "new blob(", "msSaveOrOpenBlob", "createObjectURL", "data:application/",
	"data:text/html;base64", "unescape(", "fromCharCode", "document.write(", "window.location", "location.href",
	"location.replace", ".download ="}

// htmlAttachment inspects an HTML or SVG attachment without running it.
func (a *analysis) htmlAttachment(pt part) {
	doc := string(pt.data)
	lower := strings.ToLower(doc)
	var found []string
	for _, c := range smugglingCues {
		if strings.Contains(lower, strings.ToLower(c)) {
			found = append(found, c)
		}
	}
	h := readHTML(doc)
	a.addHTML(h)
	switch {
	case len(found) >= 2 || (len(found) == 1 && longBase64(doc)):
		a.sig.add("html-smuggling", "%s uses %s", pt.filename, strings.Join(found, ", "))
	case h.passwordInput:
		a.sig.add("password-form", "%s has a password field", pt.filename)
	default:
		a.sig.add("html-attachment", "%s", pt.filename)
	}
}

// longBase64 reports whether s holds a run of 400+ base64 characters.
func longBase64(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' {
			run++
			if run >= 400 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// zipListing reads a zip attachment's central directory (entries are
// never extracted); archiveSignals raises the signals.
func (a *analysis) zipListing(pt part, o Options) (archiveListing, bool) {
	l := archiveListing{kind: "zip"}
	zr, err := zip.NewReader(bytes.NewReader(pt.data), int64(len(pt.data)))
	if err != nil {
		a.p.limit("%s: not a readable zip archive, so its contents were not listed", pt.filename)
		return l, false
	}
	for i, f := range zr.File {
		if i >= o.MaxArchiveEntries {
			l.more = true
			break
		}
		l.names = append(l.names, f.Name)
		l.encrypted = l.encrypted || f.Flags&0x1 != 0
	}
	return l, true
}

// addFileLink adds a link found inside the attachment name to the
// message's links, to be checked like any other; false when it was
// already added.
func (a *analysis) addFileLink(u, name string) bool {
	if a.fileLink == nil {
		a.fileLink = map[string]string{}
	}
	if a.fileLink[u] != "" {
		return false
	}
	a.fileLink[u] = name
	a.links = append(a.links, link{href: u})
	return true
}
