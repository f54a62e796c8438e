package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailscan"
	"github.com/allydesk/ally/mailtext"
)

// counterMail counts messages read from the report mailbox, by outcome.
const counterMail = "mail" // label: outcome

// ReceiveMail implements ally.MailService. The reported emails are analysed
// before the transaction, as uploads are; the case, its attachments, the
// reporter's new account and the deduplication row commit together.
func (db *DB) ReceiveMail(ctx context.Context, in ally.MailIn) (_ *ally.MailReceipt, err error) {
	defer wrap(&err, "receive mail")
	if _, err := ally.Allowed(ctx, ally.CanReceiveMail, "Only the server itself reads the report mailbox."); err != nil {
		return nil, err
	}
	m := in.Message
	if m == nil || in.Key == "" || len(in.Key) > 1000 || m.From == "" {
		return nil, ally.Errorf(ally.EINVALID,
			"mail: a parsed message with a sender and a key of at most 1000 bytes is required.")
	}
	files := make([]ally.NewAttachment, 0, len(m.Reported))
	for _, r := range m.Reported {
		if len(r.Data) > ally.MaxAttachment {
			m.Problems = append(m.Problems, fmt.Sprintf("%s is larger than %d MB", r.Name, ally.MaxAttachment>>20))
			continue
		}
		files = append(files, ally.NewAttachment{Name: r.Name, ContentType: "message/rfc822", Data: r.Data})
	}
	reports := make([]*mailscan.Report, len(files))
	opts := db.analysisOptions(ctx)
	for i, f := range files {
		reports[i] = analyse(f, opts)
	}
	var rc *ally.MailReceipt
	err = db.onceByKey(ctx, func(tx *Tx) error {
		var err error
		if rc, err = tx.priorMail(ctx, in.Key); err != nil || rc != nil {
			return err
		}
		rc = &ally.MailReceipt{}
		tx.automatic = m.AutoReply
		if rc.Reporter, err = tx.mailReporter(ctx, in); err != nil {
			return err
		}
		rule := ""
		switch rc.Outcome = ally.MailOutcomeOf(m, len(files)); rc.Outcome {
		case ally.MailSimulation:
			rule, rc.Reply = m.Reported[0].Simulation, ally.PracticeReply
		case ally.MailOpened:
			if rc.Case, err = db.mailCase(ctx, tx, rc.Reporter, in, files, reports); err != nil {
				return err
			}
			rc.Reply = ally.OpenedReply(rc.Case.Ref)
		}
		if m.AutoReply {
			rc.Reply = "" // automatic mail is never answered
		}
		if err := tx.mailReceipt(ctx, rc); err != nil {
			return err
		}
		var caseID any
		if rc.Case != nil {
			caseID = rc.Case.ID
		}
		if _, err := tx.exec(ctx, `INSERT INTO mail_intake (dedup_key, sender, outcome, case_id, reporter_id, tool, label,
			rule, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, in.Key, m.From, rc.Outcome, caseID, rc.Reporter.ID,
			m.Tool, m.Label, rule, millis(tx.now)); err != nil {
			return err
		}
		return tx.bump(ctx, counterMail, string(rc.Outcome), 1)
	}, func(tx *Tx) (err error) {
		rc, err = tx.priorMail(ctx, in.Key)
		return err
	})
	if err != nil {
		return nil, err
	}
	if rc.Case != nil {
		db.decorate(rc.Case)
	}
	return rc, nil
}

// onceByKey runs write, which stores a message read from the mailbox under
// its deduplication key; when another instance stored the same message
// meanwhile (ECONFLICT on the key), it runs read, which finds that outcome.
func (db *DB) onceByKey(ctx context.Context, write, read func(tx *Tx) error) error {
	err := db.withTx(ctx, write)
	if ally.ErrorCode(err) == ally.ECONFLICT {
		err = db.withRead(ctx, read)
	}
	return err
}

// priorMail returns the receipt of a message stored before, marked as a
// duplicate with nothing to say, or nil.
func (tx *Tx) priorMail(ctx context.Context, key string) (*ally.MailReceipt, error) {
	var caseID sql.NullInt64
	var reporterID int64
	rc := &ally.MailReceipt{Duplicate: true}
	err := tx.queryRow(ctx, "SELECT outcome, case_id, reporter_id FROM mail_intake WHERE dedup_key = ?", key).
		Scan(&rc.Outcome, &caseID, &reporterID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	rc.Reporter, err = scanUser(tx.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", reporterID))
	if err != nil {
		return nil, err
	}
	if caseID.Valid {
		if rc.Case, err = scanCase(tx.queryRow(ctx, caseSelect+" WHERE c.id = ?", caseID.Int64)); err != nil {
			return nil, err
		}
	}
	return rc, nil
}

// mailReporter finds the sender's account, or makes a reporter account
// (with no password) for a sender from one of the allowed domains.
func (tx *Tx) mailReporter(ctx context.Context, in ally.MailIn) (*ally.User, error) {
	from := in.Message.From
	u, err := tx.userByEmail(ctx, from)
	if err != nil && ally.ErrorCode(err) != ally.ENOTFOUND {
		return nil, err
	}
	if !ally.CanReportByMail(u, from, in.Domains) {
		if u != nil {
			return nil, ally.Errorf(ally.EFORBIDDEN, "The account for %s is switched off, so Ally cannot take reports "+
				"from it. Please ask your security team to switch it back on.", from)
		}
		return nil, ally.Errorf(ally.EFORBIDDEN, "Ally only takes reports from people in the organisation, and %s "+
			"is not one of them. If this is a mistake, please ask your security team to add you.", from)
	}
	if u != nil {
		return u, nil
	}
	n := &ally.NewUser{Email: from, Name: in.Message.FromName, Role: ally.RoleReporter}
	if n.Name == "" {
		n.Name, _, _ = strings.Cut(from, "@")
	}
	if err := n.ValidateIdentity(); err != nil {
		return nil, ally.Errorf(ally.EFORBIDDEN, "Ally could not make an account for %q: %s", from, ally.ErrorMessage(err))
	}
	// No password: they sign in by an emailed sign-in link.
	return tx.insertPasswordless(ctx, n, "source=email")
}

// mailCase opens the case of a mailed report with its emails attached.
func (db *DB) mailCase(ctx context.Context, tx *Tx, u *ally.User, in ally.MailIn, files []ally.NewAttachment,
	reports []*mailscan.Report) (*ally.Case, error) {
	c, err := db.insertCase(ctx, tx, u, ally.MailCase(in.Message), ally.SourceEmail)
	if err != nil {
		return nil, err
	}
	for i, f := range files {
		if _, err := tx.attach(ctx, u, c, f, reports[i]); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// practiceReports counts the practice emails reported by mail in the
// period, by the reporter's department; they are all suspicious emails.
func (tx *Tx) practiceReports(ctx context.Context, p *periodData) error {
	if p.f.Kind != "" && p.f.Kind != ally.KindSuspiciousEmail {
		return nil
	}
	q := `SELECT count(*) FROM mail_intake m JOIN users u ON u.id = m.reporter_id
		WHERE m.outcome = ? AND m.received_at >= ? AND m.received_at < ?`
	args := []any{ally.MailSimulation, millis(p.f.From), millis(p.f.To)}
	if p.f.Department != "" {
		q += " AND u.department = ?"
		args = append(args, p.f.Department)
	}
	return tx.queryRow(ctx, q, args...).Scan(&p.practice)
}

// mailReceipt queues the answer to a mailed report with the report itself:
// the acknowledgement of a new case is queued with the case; a practice
// email is answered here. Nothing is queued when mail is off.
func (tx *Tx) mailReceipt(ctx context.Context, rc *ally.MailReceipt) error {
	if tx.db.opts.Mail == nil || rc.Reply == "" {
		return nil
	}
	rc.Mailed = true
	if rc.Outcome != ally.MailSimulation {
		return nil
	}
	return tx.mailPerson(ctx, mailtext.Practice, rc.Reporter.Person(), nil)
}

// Answer implements intake.Answerer for what has no event of its own to be
// queued with: why a report read from a mailbox was refused (over SMTP the
// relay's bounce says so). The template sets the subject, so subject,
// inReplyTo and caseRef are not used. Only the server itself calls it;
// nothing is queued when mail is off.
func (db *DB) Answer(ctx context.Context, to, subject, text, inReplyTo, caseRef string) (err error) {
	defer wrap(&err, "answer mail")
	if _, err := ally.Allowed(ctx, ally.CanReceiveMail, "Only the server itself answers the report mailbox."); err != nil {
		return err
	}
	if db.opts.Mail == nil {
		return nil
	}
	if to == "" || len(to) > 320 || text == "" {
		return ally.Errorf(ally.EINVALID, "answer: an address (at most 320 characters) and a text are required.")
	}
	return db.withTx(ctx, func(tx *Tx) error {
		return tx.mailPerson(ctx, mailtext.NotTaken, ally.Person{Email: strings.ToLower(to)},
			map[string]string{"message": text})
	})
}
