package ally

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/allydesk/ally/mailin"
)

// MailIn is a message read from the report mailbox, parsed.
type MailIn struct {
	// Key identifies the message for deduplication: MailKeyMessageID of
	// its Message-ID, or an IMAP UIDVALIDITY+UID key when it has none.
	Key     string
	Message *mailin.Message
	// Domains are the mail domains whose people may report without an
	// account yet; one is made for them (a reporter, with no password).
	Domains []string
}

// MailKeyMessageID is the deduplication key of a message from sender with
// a Message-ID. The sender is part of it so that nobody can keep a report
// out by sending something else with the same Message-ID first.
func MailKeyMessageID(sender, id string) string { return "message-id:" + sender + ":" + id }

// MailOutcome is what became of a message read from the report mailbox.
type MailOutcome string

// Mail outcomes.
const (
	MailOpened     MailOutcome = "case"       // a case was opened
	MailSimulation MailOutcome = "simulation" // every reported email was a practice email: counted, no case
	MailIgnored    MailOutcome = "ignored"    // automatic mail with nothing reported
)

// MailOutcomeOf decides what becomes of message m from the report mailbox,
// with files of its reported emails small enough to keep: automatic mail
// with nothing reported is ignored, a report of practice emails only is
// counted, anything else opens a case.
func MailOutcomeOf(m *mailin.Message, files int) MailOutcome {
	switch {
	case m.AutoReply && files == 0:
		return MailIgnored
	case m.Simulation():
		return MailSimulation
	default:
		return MailOpened
	}
}

// OpenedReply is the answer to a report by email that opened case ref.
func OpenedReply(ref string) string {
	return "Thank you for reporting this. Your reference is " + ref + ". We will look at it and write back to you."
}

// MailReceipt says what became of a message and what to tell its sender.
type MailReceipt struct {
	Outcome   MailOutcome `json:"outcome"`
	Duplicate bool        `json:"duplicate"` // the message had been read before; nothing new was stored
	Case      *Case       `json:"case,omitempty"`
	Reporter  *User       `json:"reporter,omitempty"`
	// Reply is what to tell the reporter by email; empty when nothing may
	// be sent (automatic mail is never answered).
	Reply string `json:"reply,omitempty"`
	// Mailed is set when the store queued Reply (as its mail template) in
	// the outbox with the report: nobody else should send it.
	Mailed bool `json:"mailed"`
}

// PracticeReply is the answer to a reported practice email.
const PracticeReply = "Well spotted — this was a practice email. Thank you for reporting it. " +
	"Keep reporting emails that look odd: it is how we catch the real ones."

// MailService turns reports sent to the report mailbox into cases.
type MailService interface {
	// ReceiveMail stores a report read from the mailbox, once per Key: a
	// case with the reported emails attached and analysed as uploads are
	// (source "email"), or for practice emails a count and no case. The
	// server itself calls it: a signed-in user gets EFORBIDDEN, and so does
	// a sender who has no account and is not from one of in.Domains.
	// Errors: EFORBIDDEN, EINVALID.
	ReceiveMail(ctx context.Context, in MailIn) (*MailReceipt, error)
}

// toolNames say which report button sent a report, in the reporter's words.
var toolNames = map[mailin.Tool]string{mailin.ToolMicrosoft: "Microsoft's Report button",
	mailin.ToolKnowBe4: "the Phish Alert Button", mailin.ToolCofense: "Cofense Reporter"}

// labelNames are the reporter's own labels from a report button.
var labelNames = map[mailin.Label]string{mailin.LabelJunk: "junk", mailin.LabelNotJunk: "not junk",
	mailin.LabelPhishing: "phishing"}

// MailCase is the case a mailed report opens: a suspicious email when it
// carries one, else a concern in the reporter's own words.
func MailCase(m *mailin.Message) *NewCase {
	n := &NewCase{Kind: KindSuspiciousEmail}
	subject := strings.TrimSpace(m.Subject)
	switch {
	case len(m.Reported) == 0:
		n.Kind = KindOther
	case len(m.Reported) == 1 && strings.TrimSpace(m.Reported[0].Subject) != "":
		subject = strings.TrimSpace(m.Reported[0].Subject) // what the reported email says, not "Fwd: …"
	}
	if subject == "" {
		subject = "(no subject)"
	}
	n.Summary = clipText("Reported by email: "+subject, 120)
	var d []string
	if m.Note != "" {
		d = append(d, m.Note)
	}
	if m.SenderUnverified {
		d = append(d, "Check who sent this report: the mail server could not confirm it came from "+m.From+
			" (its sender checks failed).")
	}
	if t, ok := toolNames[m.Tool]; ok {
		line := "Sent with " + t + "."
		if l, ok := labelNames[m.Label]; ok {
			line = "Sent with " + t + ", marked by the reporter as " + l + "."
		}
		d = append(d, line)
	}
	if lines := agentLines(m.Agent); lines != "" {
		d = append(d, "From the report button:\n"+lines)
	}
	if m.HeadersLost() {
		d = append(d, "The email was forwarded in the message text, so its original headers were lost: "+
			"sender checks (SPF, DKIM, the route it took) could not be done. Ask for it as an attachment if needed.")
	}
	practice := 0
	for _, r := range m.Reported {
		if r.Simulation != "" {
			practice++
		}
	}
	if practice > 0 {
		d = append(d, fmt.Sprintf("%d of the %d reported emails are practice emails (phishing simulations).",
			practice, len(m.Reported)))
	}
	for _, p := range m.Problems {
		d = append(d, "Not used: "+p+".")
	}
	n.Details = clipText(strings.Join(d, "\n\n"), MaxDetails)
	return n
}

// agentLines lists a report button's agent section, sorted, at most ten
// lines.
func agentLines(agent map[string]string) string {
	keys := slices.Sorted(maps.Keys(agent))
	var b strings.Builder
	for _, k := range keys[:min(len(keys), 10)] {
		b.WriteString(k + ": " + agent[k] + "\n")
	}
	return strings.TrimSpace(b.String())
}

// clipText cuts s to at most max bytes on a rune boundary, marking the cut.
func clipText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
