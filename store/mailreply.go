package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailaddr"
	"github.com/allydesk/ally/mailin"
	"github.com/allydesk/ally/mailscan"
)

// ReceiveReply implements ally.ReplyService: the token is verified with the
// store's mail key before anything is read; the message, any reopening, the
// mail to the assignee and the deduplication row commit together.
func (db *DB) ReceiveReply(ctx context.Context, r ally.MailReply) (_ *ally.ReplyReceipt, err error) {
	defer wrap(&err, "receive reply")
	if _, err := ally.Allowed(ctx, ally.CanReceiveMail, "Only the server itself reads the report mailbox."); err != nil {
		return nil, err
	}
	m := r.Message
	if m == nil || r.Key == "" || len(r.Key) > 1000 || m.From == "" {
		return nil, ally.Errorf(ally.EINVALID,
			"reply: a parsed message with a sender and a key of at most 1000 bytes is required.")
	}
	key, err := db.MailKey(ctx)
	if err != nil {
		return nil, err
	}
	if !mailaddr.Verify(key, r.Ref, r.Token) {
		return nil, ally.Errorf(ally.EFORBIDDEN, "This reply address is not one Ally gave out, so the message was "+
			"not added to any case. Please reply to Ally's latest email about your report.")
	}
	if m.AutoReply {
		return &ally.ReplyReceipt{Ignored: true}, nil
	}
	body, err := r.Body()
	if err != nil {
		return nil, err
	}
	files, reports := replyFiles(m, db.analysisOptions(ctx))
	var rc *ally.ReplyReceipt
	err = db.onceByKey(ctx, func(tx *Tx) error {
		var err error
		if rc, err = tx.priorReply(ctx, r.Key); err != nil || rc != nil {
			return err
		}
		rc = &ally.ReplyReceipt{}
		if rc.Case, err = tx.replyCase(ctx, r.Ref); err != nil {
			return err
		}
		u, err := tx.userByEmail(ctx, m.From)
		if err != nil && ally.ErrorCode(err) != ally.ENOTFOUND {
			return err
		}
		if !ally.CanReplyByMail(u, rc.Case) {
			return ally.Errorf(ally.EFORBIDDEN, "Only the person who reported %s can add to it by email, so this "+
				"message was not added. Please ask them to reply, or report it yourself.", r.Ref)
		}
		wasOpen := rc.Case.Status.Open()
		if rc.Entry, err = tx.postMessage(ctx, rc.Case, u, ally.NewMessage{Body: body}, nil); err != nil {
			return err
		}
		for i, f := range files {
			if _, err := tx.attach(ctx, u, rc.Case, f, reports[i]); err != nil {
				return err
			}
		}
		rc.Reopened = !wasOpen && rc.Case.Status.Open() // postMessage reopens, as for a message on the web
		_, err = tx.exec(ctx, `INSERT INTO mail_replies (dedup_key, case_id, entry_id, received_at)
			VALUES (?, ?, ?, ?)`, r.Key, rc.Case.ID, rc.Entry.ID, millis(tx.now))
		return err
	}, func(tx *Tx) (err error) {
		rc, err = tx.priorReply(ctx, r.Key)
		return err
	})
	if err != nil {
		return nil, err
	}
	db.decorate(rc.Case) // always there: only automatic mail has none, and it returned above
	return rc, nil
}

// priorReply returns the receipt of a reply stored before, marked as a
// duplicate, or nil.
func (tx *Tx) priorReply(ctx context.Context, key string) (*ally.ReplyReceipt, error) {
	var caseID int64
	err := tx.queryRow(ctx, "SELECT case_id FROM mail_replies WHERE dedup_key = ?", key).Scan(&caseID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	c, err := scanCase(tx.queryRow(ctx, caseSelect+" WHERE c.id = ?", caseID))
	return &ally.ReplyReceipt{Duplicate: true, Case: c}, err
}

// replyCase finds the case a verified reply address names. The server reads
// the mailbox for everyone, so no one's visibility applies: the token is
// the permission, and the sender check follows.
func (tx *Tx) replyCase(ctx context.Context, ref string) (*ally.Case, error) {
	id, err := ally.ParseCaseRef(ref)
	if err != nil {
		return nil, err
	}
	c, err := scanCase(tx.queryRow(ctx, caseSelect+" WHERE c.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ally.Errorf(ally.ENOTFOUND, "No case %s was found; it may have been deleted.", ref)
	}
	return c, err
}

// replyFiles are the files a reply by email adds to its case: the emails
// it carries and its other attachments, each analysed as an upload is
// (before the transaction); a file over the size limit is left out.
func replyFiles(m *mailin.Message, opts mailscan.Options) ([]ally.NewAttachment, []*mailscan.Report) {
	var files []ally.NewAttachment
	for _, r := range m.Reported {
		if !r.HeadersLost { // an inline forward is the reply's own text, already posted
			files = append(files, ally.NewAttachment{Name: r.Name, ContentType: "message/rfc822", Data: r.Data})
		}
	}
	for _, f := range m.Files {
		files = append(files, ally.NewAttachment{Name: f.Name, ContentType: f.ContentType, Data: f.Data})
	}
	files = slices.DeleteFunc(files, func(f ally.NewAttachment) bool { return len(f.Data) > ally.MaxAttachment })
	reports := make([]*mailscan.Report, len(files))
	for i, f := range files {
		reports[i] = analyse(f, opts)
	}
	return files, reports
}
