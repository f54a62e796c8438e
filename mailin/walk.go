package mailin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"path"
	"strings"

	"github.com/allydesk/ally/outlookmsg"
	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode legacy charsets
)

// attachedMail is an email found as an attachment.
type attachedMail struct {
	name string
	data []byte
}

// walked is a message's top header, its own text and what it carries.
type walked struct {
	header   message.Header
	text     strings.Builder
	html     strings.Builder
	attached []attachedMail
	files    []File
	refused  []string // reported files we cannot read, said plainly
	problems []string
	parts    int
}

// walk parses raw and visits its parts, without descending into attached
// emails (those are the reported messages, kept whole).
func walk(raw []byte) (*walked, error) {
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, fmt.Errorf("the message could not be read as email: %v", err)
	}
	w := &walked{header: e.Header}
	w.entity(e, 0)
	return w, nil
}

func (w *walked) problem(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	for _, p := range w.problems {
		if p == msg {
			return
		}
	}
	w.problems = append(w.problems, msg)
}

func (w *walked) entity(e *message.Entity, depth int) {
	if w.parts++; w.parts > MaxParts {
		w.problem("the message has more than %d parts; the rest were skipped", MaxParts)
		return
	}
	if mr := e.MultipartReader(); mr != nil {
		if depth >= MaxDepth {
			w.problem("parts nested deeper than %d levels were skipped", MaxDepth)
			return
		}
		for {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return
			} else if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
				w.problem("a broken MIME part was skipped")
				return
			}
			w.entity(p, depth+1)
		}
	}
	w.leaf(e)
}

// leaf keeps a part: an attached email (an Outlook .msg file becomes one), or text.
func (w *walked) leaf(e *message.Entity) {
	ct, params, _ := e.Header.ContentType()
	disp, dparams, _ := e.Header.ContentDisposition()
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	name = cleanName(name)
	ext := strings.ToLower(path.Ext(name))
	data, err := io.ReadAll(io.LimitReader(e.Body, 64<<20))
	if err != nil {
		w.problem("a part could not be decoded and was skipped")
		return
	}
	switch {
	case ct == "message/rfc822" || ct == "message/global" || ext == ".eml":
		if len(bytes.TrimSpace(data)) == 0 {
			w.problem("an attached email was empty")
			return
		}
		if name == "" {
			name = fmt.Sprintf("reported-%d.eml", len(w.attached)+1)
		}
		w.attached = append(w.attached, attachedMail{name: name, data: data})
	case ext == ".msg" || ct == "application/vnd.ms-outlook":
		eml, err := outlookmsg.ToEML(data)
		if err != nil {
			w.refused = append(w.refused, fmt.Sprintf("%s is named as an Outlook email (.msg), but %v "+
				"(in Outlook: More actions, Forward as attachment)", orUnnamed(name), err))
			return
		}
		if name == "" {
			name = fmt.Sprintf("reported-%d.msg", len(w.attached)+1)
		}
		w.attached = append(w.attached, attachedMail{name: strings.TrimSuffix(name, path.Ext(name)) + ".eml",
			data: eml})
	case disp == "attachment" || (disp == "inline" && name != "" && !strings.HasPrefix(ct, "text/")):
		if len(w.files) == MaxFiles {
			w.problem("only the first %d attached files were kept", MaxFiles)
			return
		}
		if name == "" {
			name = fmt.Sprintf("file-%d", len(w.files)+1)
		}
		w.files = append(w.files, File{Name: name, ContentType: ct, Data: data})
	case ct == "text/plain" || ct == "":
		w.text.Write(data)
		w.text.WriteByte('\n')
	case ct == "text/html":
		w.html.Write(data)
		w.html.WriteByte('\n')
	}
}

// bodyText is the message's own text, or its HTML reduced to text.
func (w *walked) bodyText() string {
	if strings.TrimSpace(w.text.String()) != "" {
		return w.text.String()
	}
	return htmlText(w.html.String())
}

func orUnnamed(name string) string {
	if name == "" {
		return "An attachment"
	}
	return name
}

// cleanName keeps a file's base name, decoded and printable.
func cleanName(name string) string {
	if d, err := new(mime.WordDecoder).DecodeHeader(name); err == nil {
		name = d
	}
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if name == "." || name == "/" {
		return ""
	}
	return strings.ToValidUTF8(name, "")
}
