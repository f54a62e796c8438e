// Package intake is the report mailbox: it reads messages people send to
// Ally (an SMTP listener, or an IMAP folder it watches), finds what they
// reported with package mailin and stores it through ally.MailService, which
// opens the case exactly as an upload does.
package intake

import (
	"context"
	"errors"
	"log/slog"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailin"
)

// Answerer sends Ally's words back to a person by email: why a report read
// from a mailbox was refused, or a receipt's Reply that the MailService did
// not queue itself (MailReceipt.Mailed). The store implements it by queuing
// mail in the outbox; without one nothing is sent, and for SMTP the refusal
// still reaches the sender as the relay's bounce.
type Answerer interface {
	// Answer queues text for to, in reply to the message inReplyTo
	// (its Message-ID, or ""), about case (a reference, or "").
	Answer(ctx context.Context, to, subject, text, inReplyTo, caseRef string) error
}

// Config wires intake to the services it calls.
type Config struct {
	Mail ally.MailService
	// Domains are the mail domains whose people may report before they
	// have an account (one is made for them).
	Domains []string
	// Rules recognise the organisation's phishing simulations; nil means
	// mailin.DefaultRules.
	Rules    []mailin.Rule
	Answerer Answerer // optional
	// Replies files reporters' replies, sent to the reply-to addresses on
	// Ally's mail, in their cases; without it such replies are refused.
	Replies ally.ReplyService
	Log     *slog.Logger
}

// Intake turns received messages into stored reports.
type Intake struct{ cfg Config }

// New returns an Intake.
func New(cfg Config) *Intake {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Intake{cfg: cfg}
}

// Refusal is a message Ally will not take, said so that the sender can fix
// it; Permanent is false when trying again later may work.
type Refusal struct {
	Reason    string
	Permanent bool
	Sender    string // the address to tell, when known
	MessageID string
	AutoReply bool // the message was automatic: never answer it
	Policy    bool // refused by who sent it, not by what it is
}

func (r *Refusal) Error() string { return r.Reason }

// Take parses and stores one received message. key identifies it for
// deduplication when it has no Message-ID (IMAP: UIDVALIDITY and UID); with
// neither, its content is the key. It returns the receipt once the report is
// durably stored, or a *Refusal.
func (in *Intake) Take(ctx context.Context, raw []byte, key string) (*ally.MailReceipt, error) {
	m, err := mailin.Parse(raw, mailin.Options{Rules: in.cfg.Rules})
	if err != nil {
		return nil, &Refusal{Reason: "Ally could not take this message: " + err.Error(), Permanent: true}
	}
	key = dedupKey(m, raw, key)
	rc, err := in.cfg.Mail.ReceiveMail(ally.NewOperatorContext(ctx), ally.MailIn{Key: key, Message: m,
		Domains: in.cfg.Domains})
	if err != nil {
		code := ally.ErrorCode(err)
		if code == ally.EFORBIDDEN || code == ally.EINVALID {
			r := &Refusal{Reason: ally.ErrorMessage(err), Permanent: true, Sender: m.From, MessageID: m.MessageID,
				AutoReply: m.AutoReply, Policy: code == ally.EFORBIDDEN}
			in.cfg.Log.Warn("report refused", "sender", m.From, "reason", r.Reason)
			return nil, r
		}
		in.cfg.Log.Error("storing a mailed report failed", "sender", m.From, "error", err.Error())
		return nil, &Refusal{Reason: "Ally could not store the report just now; please try again later."}
	}
	if !rc.Duplicate {
		ref := ""
		if rc.Case != nil {
			ref = rc.Case.Ref
		}
		in.cfg.Log.Info("report received", "outcome", rc.Outcome, "case", ref, "tool", m.Tool,
			"emails", len(m.Reported), "headers_lost", m.HeadersLost())
		if rc.Reply != "" && !rc.Mailed {
			in.answer(ctx, m, "Thank you for your report", rc.Reply, ref)
		}
	}
	return rc, nil
}

// bounce tells the sender of a message read from a mailbox why it was
// refused. (Over SMTP the refusal is the SMTP reply, and the relay bounces.)
func (in *Intake) bounce(ctx context.Context, r *Refusal) {
	if r.Sender != "" && r.Permanent && !r.AutoReply {
		in.answer(ctx, &mailin.Message{From: r.Sender, MessageID: r.MessageID}, "We could not take your report", r.Reason, "")
	}
}

// answer hands text to the Answerer, if any; a failure is logged, never
// fatal: the report is stored already.
func (in *Intake) answer(ctx context.Context, m *mailin.Message, subject, text, ref string) {
	if in.cfg.Answerer == nil {
		return
	}
	if err := in.cfg.Answerer.Answer(ctx, m.From, subject, text, m.MessageID, ref); err != nil {
		in.cfg.Log.Error("queuing the answer to a report failed", "case", ref, "error", err.Error())
	}
}

// refusal returns err as a *Refusal, if it is one.
func refusal(err error) (*Refusal, bool) {
	var r *Refusal
	ok := errors.As(err, &r)
	return r, ok
}
