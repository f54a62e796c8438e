// Package mailin reads a message that arrived at the report mailbox and finds
// what the person reported: attached emails (message/rfc822 or .eml), an
// inline forward, or the formats of report buttons (Microsoft's user-reported
// submissions, KnowBe4's Phish Alert Button, Cofense Reporter). It also says
// whether a message is an auto-reply that must never be answered and whether
// a reported email is one of the organisation's own phishing simulations.
// It is pure: no I/O beyond the bytes it is given.
package mailin

import (
	"bytes"
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// Limits on what one message may hold.
const (
	MaxParts   = 1000 // MIME parts walked
	MaxDepth   = 10   // multipart nesting
	MaxReports = 100  // reported messages kept
	MaxFiles   = 20   // other attached files kept (Files)
)

// Label is the reporter's own opinion, given by a report button.
type Label string

// The labels Microsoft's submission formats carry.
const (
	LabelNone     Label = ""
	LabelJunk     Label = "junk"
	LabelNotJunk  Label = "not_junk"
	LabelPhishing Label = "phishing"
)

// Tool is what sent the report.
type Tool string

// Tools recognised.
const (
	ToolMail      Tool = "mail"      // a person forwarded or attached it
	ToolMicrosoft Tool = "microsoft" // Microsoft's user-reported message submission
	ToolKnowBe4   Tool = "knowbe4"   // KnowBe4 Phish Alert Button
	ToolCofense   Tool = "cofense"   // Cofense Reporter
)

// Reported is one email found in the report.
type Reported struct {
	Name    string // file name to store it under
	Data    []byte // the message, RFC 5322
	Subject string // its subject, decoded
	// HeadersLost is set for an inline forward: only the forwarded text
	// survived, so sender checks (SPF, DKIM, routing) are not possible.
	HeadersLost bool
	// Simulation names the rule that marked it as a practice email.
	Simulation string
}

// Message is a received report, reduced to what intake needs.
type Message struct {
	MessageID string // without angle brackets; "" when missing
	From      string // the reporter's address, lower case
	FromName  string
	Subject   string // with any report-button prefix removed
	Label     Label
	Tool      Tool
	// AutoReply is set for automatic mail (Auto-Submitted, Precedence bulk,
	// junk or list, bounces): it must never be answered.
	AutoReply bool
	// SenderUnverified is set when the receiving server's topmost
	// Authentication-Results says the report's own From failed DMARC (or
	// SPF and DKIM both): someone may be reporting in another's name.
	SenderUnverified bool
	// Note is what the reporter wrote themselves, above any forward.
	Note string
	// Text is the message's own text (or its HTML as text), quotes and
	// all; see StripQuoted.
	Text string
	// Agent holds the key/value lines of a report button's agent section.
	Agent    map[string]string
	Reported []Reported
	// Files are the other files attached (a screenshot, a document), which
	// a reply by email adds to its case; a new report keeps only Reported.
	Files []File
	// Problems lists parts that could not be used, in plain words.
	Problems []string
}

// File is an attached file that is not an email.
type File struct {
	Name        string
	ContentType string
	Data        []byte
}

// ErrNoSender is returned when a message has no usable From address.
var ErrNoSender = errors.New("the message has no sender address (From); it cannot be answered or linked to anyone")

// Parse reads a received message.
func Parse(raw []byte, opt Options) (*Message, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, errors.New("the message is empty")
	}
	w, err := walk(raw)
	if err != nil {
		return nil, err
	}
	m := &Message{Subject: w.header.Get("Subject"), Tool: ToolMail, AutoReply: autoReply(&w.header)}
	m.MessageID = strings.Trim(strings.TrimSpace(w.header.Get("Message-Id")), "<>")
	from, err := mail.ParseAddress(w.header.Get("From"))
	if err != nil {
		return nil, ErrNoSender
	}
	m.From, m.FromName = strings.ToLower(from.Address), from.Name
	m.Problems = w.problems
	m.SenderUnverified = unverified(w.header.Get("Authentication-Results"))
	m.Label, m.Subject = microsoftLabel(m.Subject)
	if m.Label != LabelNone {
		m.Tool = ToolMicrosoft
	}
	text := w.bodyText()
	m.Text = text
	if tool, agent := agentSection(&w.header, text); tool != "" {
		m.Tool, m.Agent = tool, agent
	}
	for _, a := range w.attached {
		if len(m.Reported) == MaxReports {
			m.Problems = append(m.Problems, fmt.Sprintf("only the first %d attached emails were kept", MaxReports))
			break
		}
		m.Reported = append(m.Reported, Reported{Name: a.name, Data: a.data})
	}
	m.Files = w.files
	m.Problems = append(m.Problems, w.refused...)
	if len(m.Reported) == 0 && len(w.refused) == 0 {
		if note, fwd, ok := inlineForward(text); ok {
			m.Note = note
			m.Reported = append(m.Reported, Reported{Name: "forwarded.eml", Data: fwd, HeadersLost: true})
		}
	}
	if m.Note == "" {
		m.Note = note(text)
	}
	for i := range m.Reported {
		r := &m.Reported[i]
		if rw, err := walk(r.Data); err == nil {
			r.Subject, _ = rw.header.Text("Subject")
			r.Simulation = opt.simulation(rw)
		}
	}
	return m, nil
}

// Simulation reports whether every reported email is a practice email, and
// there is at least one.
func (m *Message) Simulation() bool {
	for _, r := range m.Reported {
		if r.Simulation == "" {
			return false
		}
	}
	return len(m.Reported) > 0
}

// HeadersLost reports whether any reported email came as an inline forward.
func (m *Message) HeadersLost() bool {
	for _, r := range m.Reported {
		if r.HeadersLost {
			return true
		}
	}
	return false
}

// autoReply reports whether the header marks automatic mail (RFC 3834
// Auto-Submitted, Precedence, delivery reports, and common auto-responders).
func autoReply(h headerGetter) bool {
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "bulk", "junk", "list", "auto_reply":
		return true
	}
	if h.Get("X-Autoreply") != "" || h.Get("X-Autorespond") != "" || h.Get("X-Auto-Response-Suppress") == "All" {
		return true
	}
	ct := strings.ToLower(h.Get("Content-Type"))
	return strings.Contains(ct, "multipart/report") || strings.Contains(ct, "message/delivery-status")
}

// unverified reads the first Authentication-Results field: DMARC failed,
// or SPF and DKIM both failed.
func unverified(results string) bool {
	r := strings.ToLower(results)
	has := func(s string) bool { return strings.Contains(r, s) }
	return has("dmarc=fail") || (has("spf=fail") && has("dkim=fail"))
}

type headerGetter interface{ Get(string) string }
