package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/playbook"
)

// ExportPerson implements the subject access request: everything Ally holds
// about the account with email (ally.PersonData). The export is audited.
func (db *DB) ExportPerson(ctx context.Context, email string) (_ *ally.PersonData, err error) {
	defer wrap(&err, "export person")
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	var out *ally.PersonData
	err = db.withTx(ctx, func(tx *Tx) error {
		target, err := tx.userByEmail(ctx, email)
		if err != nil {
			return err
		}
		if !ally.CanExportPersonData(u, target) {
			return ally.Errorf(ally.EFORBIDDEN, "You can download your own data; an admin can download anyone's.")
		}
		if out, err = tx.personData(ctx, target); err != nil {
			return err
		}
		return tx.audit(ctx, "person.export", target.Email, "")
	})
	return out, err
}

func (tx *Tx) personData(ctx context.Context, target *ally.User) (*ally.PersonData, error) {
	d := &ally.PersonData{ExportedAt: tx.now, Account: target, Reports: []*ally.PersonReport{}}
	cases, err := collect(ctx, tx, scanCase, caseSelect+" WHERE c.reporter_id = ? ORDER BY c.id", target.ID)
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		tx.db.decorate(c)
		if c.Feedback, err = tx.feedback(ctx, c.ID); err != nil {
			return nil, err
		}
		conv, err := collect(ctx, tx, func(row scanner) (*ally.Entry, error) { return scanEntry(row, c.ID) },
			`SELECT e.id, e.type, e.body, e.internal, NULL, e.created_at, u.email, u.name, u.department
			FROM entries e LEFT JOIN users u ON u.id = e.author_id WHERE e.case_id = ? AND NOT e.internal
			ORDER BY e.id`, c.ID)
		if err != nil {
			return nil, err
		}
		d.Reports = append(d.Reports, &ally.PersonReport{Case: c, Conversation: conv})
	}
	if d.Messages, err = collect(ctx, tx, func(row scanner) (*ally.PersonMessage, error) {
		var m ally.PersonMessage
		var id, at int64
		err := row.Scan(&id, &m.Body, &m.Internal, &at)
		m.CaseRef, m.CreatedAt = ally.CaseRef(id), fromMillis(at)
		return &m, err
	}, "SELECT case_id, body, internal, created_at FROM entries WHERE author_id = ? ORDER BY id", target.ID); err != nil {
		return nil, err
	}
	if d.Mail, err = collect(ctx, tx, func(row scanner) (*ally.PersonMail, error) {
		var m ally.PersonMail
		var id sql.NullInt64
		var at int64
		err := row.Scan(&id, &m.Subject, &m.Body, &m.Status, &at)
		if id.Valid {
			m.CaseRef = ally.CaseRef(id.Int64)
		}
		m.CreatedAt = fromMillis(at)
		return &m, err
	}, "SELECT case_id, subject, body, status, created_at FROM outbox WHERE lower(to_addr) = ? ORDER BY id",
		target.Email); err != nil {
		return nil, err
	}
	d.Activity, err = collect(ctx, tx, scanAudit, `SELECT id, actor, action, target, detail, created_at FROM audit
		WHERE actor = ? OR target = ? ORDER BY id`, target.Email, target.Email)
	return d, err
}

// ErasePerson removes or pseudonymises the personal data of the account
// with email, everywhere, in one transaction: the account carries a stable
// pseudonym and can no longer sign in; the cases they reported stay (so the
// counts and metrics hold) without their words, their text answers, their
// rating's comment or any attachment; mail still queued to them is dropped
// and sent mail emptied; and their name and address are replaced in every
// text of every table, the audit log included. The audit log keeps one
// entry saying that the erasure happened, under the pseudonym.
func (db *DB) ErasePerson(ctx context.Context, email string) (_ *ally.Erasure, err error) {
	defer wrap(&err, "erase person")
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	var out *ally.Erasure
	err = db.withTx(ctx, func(tx *Tx) error {
		target, err := tx.userByEmail(ctx, email)
		if err != nil {
			return err
		}
		if !ally.CanErasePerson(u, target) {
			return ally.Errorf(ally.EFORBIDDEN, "Only an admin can erase a person's data, and never their own.")
		}
		if out, err = tx.erase(ctx, target); err != nil {
			return err
		}
		detail := fmt.Sprintf("erased at the person's request: %d reports, %d messages, %d attachments, %d mails",
			out.Reports, out.Messages, out.Attachments, out.Mail)
		_, pseudoEmail := ally.Pseudonym(target.ID)
		return tx.audit(ctx, "person.erase", pseudoEmail, detail)
	})
	return out, err
}

func (tx *Tx) erase(ctx context.Context, target *ally.User) (*ally.Erasure, error) {
	name, email := ally.Pseudonym(target.ID)
	e := &ally.Erasure{Pseudonym: name}
	cases, err := collect(ctx, tx, scanCase, caseSelect+" WHERE c.reporter_id = ?", target.ID)
	if err != nil {
		return nil, err
	}
	var refs []any
	for _, c := range cases {
		refs = append(refs, c.Ref)
		answers, _ := json.Marshal(tx.db.factsOnly(c))
		if _, err := tx.exec(ctx, "UPDATE cases SET summary = ?, details = '', answers = ? WHERE id = ?",
			ally.ErasedText, string(answers), c.ID); err != nil {
			return nil, err
		}
	}
	e.Reports = len(cases)
	theirs := "(SELECT id FROM cases WHERE reporter_id = ?)"
	steps := []struct {
		count *int
		q     string
		args  []any
	}{
		{&e.Messages, "UPDATE entries SET body = ? WHERE author_id = ? AND case_id IN " + theirs,
			[]any{ally.ErasedText, target.ID, target.ID}},
		{nil, "UPDATE feedback SET comment = '' WHERE case_id IN " + theirs, []any{target.ID}},
		{&e.Attachments, "DELETE FROM attachments WHERE uploader_id = ? OR case_id IN " + theirs,
			[]any{target.ID, target.ID}},
		{nil, unusedBlobs, nil},
		{&e.Mail, "DELETE FROM outbox WHERE lower(to_addr) = ? AND status = 'queued'", []any{target.Email}},
		{&e.Mail, "UPDATE outbox SET to_addr = ?, subject = '', body = '' WHERE lower(to_addr) = ?",
			[]any{email, target.Email}},
		{nil, "DELETE FROM sessions WHERE user_id = ?", []any{target.ID}},
		{nil, "DELETE FROM tokens WHERE user_id = ?", []any{target.ID}},
		// No sign-in of any kind leads back to the account: its single
		// sign-on identities, its pending sign-in and reset links, and the
		// follow links of reports it made without signing in.
		{nil, "DELETE FROM identities WHERE user_id = ?", []any{target.ID}},
		{nil, "DELETE FROM tickets WHERE user_id = ?", []any{target.ID}},
		{nil, "UPDATE follow_links SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
			[]any{millis(tx.now), target.ID}},
		{nil, "UPDATE users SET email = ?, name = ?, password_hash = '', disabled = ? WHERE id = ?",
			[]any{email, name, true, target.ID}},
	}
	for _, s := range steps {
		res, err := tx.exec(ctx, s.q, s.args...)
		if err != nil {
			return nil, err
		}
		if s.count != nil {
			n, _ := res.RowsAffected()
			*s.count += int(n)
		}
	}
	if err := tx.scrubPerson(ctx, target, name, email, theirs, refs); err != nil {
		return nil, err
	}
	for _, c := range cases { // the search index held their words too
		if err := tx.reindexCase(ctx, c.ID); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// factsOnly keeps the answers of c that are choices (yes/no, a time, one of
// a list) and drops those in the reporter's own words.
func (db *DB) factsOnly(c *ally.Case) map[string]string {
	out := map[string]string{}
	pb, ok := db.opts.Playbooks.Get(string(c.Kind))
	if !ok {
		return out
	}
	for id, a := range c.Answers {
		if q, known := pb.Question(id); known && q.Type != playbook.TypeText {
			out[id] = a
		}
	}
	return out
}
