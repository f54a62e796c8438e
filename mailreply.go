package ally

import (
	"context"

	"github.com/allydesk/ally/mailin"
)

// MailReply is a reporter's email reply to Ally's mail about a case, sent to
// the signed plus-address of the report mailbox (package mailaddr).
type MailReply struct {
	// Key identifies the message for deduplication, as MailIn.Key does.
	Key     string
	Ref     string // the case reference from the address
	Token   string // the token from the address, not yet verified
	Message *mailin.Message
}

// ReplyReceipt says what became of a reply.
type ReplyReceipt struct {
	Duplicate bool   `json:"duplicate"` // read before; nothing new was stored
	Ignored   bool   `json:"ignored"`   // automatic mail: neither posted nor answered
	Case      *Case  `json:"case,omitempty"`
	Entry     *Entry `json:"entry,omitempty"`
	// Reopened is set when the reply moved a resolved or closed case back
	// to investigating, so that nobody misses it.
	Reopened bool `json:"reopened"`
}

// ReplyService files reporters' email replies in their cases.
type ReplyService interface {
	// ReceiveReply posts the reply's own text (quoted history removed) as
	// a message by the case's reporter, once per Key, which mails the
	// assignee as the reporter's messages on the web do; a reply to a
	// resolved or closed case reopens it. Only the server itself calls it.
	// Errors: EFORBIDDEN (a caller other than the server, a token that does
	// not verify, or a sender who is not the case's reporter: nothing is
	// changed), ENOTFOUND (no such case), EINVALID (no text of its own).
	ReceiveReply(ctx context.Context, r MailReply) (*ReplyReceipt, error)
}

// Body is what the reporter wrote in the reply, without the quoted history
// or signature, cut to MaxBody. Its error is EINVALID when nothing is left.
func (r MailReply) Body() (string, error) {
	text := ""
	if r.Message != nil {
		text = mailin.StripQuoted(r.Message.Text)
	}
	if text == "" {
		return "", Errorf(EINVALID, "Your reply to %s had no words of its own above the quoted message, so "+
			"nothing was added. Please write your answer above the quoted text and send it again.", r.Ref)
	}
	return clipText(text, MaxBody), nil
}
