package intake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/mail"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailaddr"
	"github.com/allydesk/ally/mailin"
)

// Reply is the SMTP listener's SMTPConfig.Replies: it files a message sent
// to a reply-to address of the report mailbox (tag is what follows "+",
// e.g. "AL-1042.k3j5x2m4q7n8r9t1") in its case.
func (in *Intake) Reply(ctx context.Context, tag string, raw []byte) error {
	_, err := in.takeReply(ctx, tag, raw, "")
	return err
}

// takeReply parses a reply and hands it to the ReplyService. A forged or
// foreign address, or a sender who is not the case's reporter, is refused
// and logged, and nobody is answered: only the relay's bounce (SMTP) says
// so. Automatic mail is dropped without a word.
func (in *Intake) takeReply(ctx context.Context, tag string, raw []byte, key string) (*ally.ReplyReceipt, error) {
	ref, token, err := mailaddr.ParseTag(tag)
	if err != nil {
		return nil, &Refusal{Reason: "There is no such address at Ally; send reports to the report mailbox itself.",
			Permanent: true, Policy: true}
	}
	m, err := mailin.Parse(raw, mailin.Options{Rules: in.cfg.Rules})
	if err != nil {
		return nil, &Refusal{Reason: "Ally could not read this reply: " + err.Error(), Permanent: true}
	}
	if in.cfg.Replies == nil {
		return nil, &Refusal{Reason: "Ally does not take replies by email here; please answer in Ally instead.",
			Permanent: true, Policy: true}
	}
	rc, err := in.cfg.Replies.ReceiveReply(ally.NewOperatorContext(ctx),
		ally.MailReply{Key: dedupKey(m, raw, key), Ref: ref, Token: token, Message: m})
	if err != nil {
		code := ally.ErrorCode(err)
		if code == ally.EFORBIDDEN || code == ally.EINVALID || code == ally.ENOTFOUND {
			in.cfg.Log.Warn("reply refused", "sender", m.From, "case", ref, "reason", ally.ErrorMessage(err))
			r := &Refusal{Reason: ally.ErrorMessage(err), Permanent: true, MessageID: m.MessageID,
				AutoReply: m.AutoReply, Policy: code != ally.EINVALID}
			if code == ally.EINVALID {
				r.Sender = m.From // the reporter: worth telling how to fix it
			}
			return nil, r
		}
		in.cfg.Log.Error("storing a mailed reply failed", "sender", m.From, "case", ref, "error", err.Error())
		return nil, &Refusal{Reason: "Ally could not store the reply just now; please try again later."}
	}
	switch {
	case rc.Ignored:
		in.cfg.Log.Info("automatic reply dropped", "case", ref)
	case !rc.Duplicate:
		in.cfg.Log.Info("reply received", "case", ref, "reopened", rc.Reopened)
	}
	return rc, nil
}

// dedupKey is the deduplication key of m: its Message-ID with its sender,
// else the mailbox's key, else a hash of the message.
func dedupKey(m *mailin.Message, raw []byte, key string) string {
	switch {
	case m.MessageID != "":
		return ally.MailKeyMessageID(m.From, m.MessageID)
	case key != "":
		return key
	}
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// replyTag returns the tag of the reply-to address a message read from a
// mailbox was sent to ("" when it is a report): the first recipient in
// Delivered-To, X-Original-To, To or Cc whose local part carries a case
// reference and token.
func replyTag(raw []byte) string {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	for _, field := range []string{"Delivered-To", "X-Original-To", "To", "Cc"} {
		list, err := msg.Header.AddressList(field)
		if err != nil {
			continue
		}
		for _, a := range list {
			if ref, token, err := mailaddr.Parse(a.Address); err == nil {
				return ref + "." + token
			}
		}
	}
	return ""
}
