package store

import (
	"context"

	"github.com/allydesk/ally"
)

// markWritten records a message by u on c for the unread markers: the
// reporter's words as "reporter wrote", a responder's reply to the reporter
// as "new reply"; either way the writer has read the case.
func (tx *Tx) markWritten(ctx context.Context, c *ally.Case, u *ally.User, internal bool) error {
	var err error
	switch {
	case internal:
	case u.ID == c.ReporterID:
		_, err = tx.exec(ctx, "UPDATE cases SET reporter_wrote_at = ? WHERE id = ?", millis(tx.now), c.ID)
	case ally.ActsAsResponder(u, c):
		_, err = tx.exec(ctx, "UPDATE cases SET replied_at = ? WHERE id = ?", millis(tx.now), c.ID)
	}
	if err != nil {
		return err
	}
	return tx.markRead(ctx, u.ID, c.ID)
}

// markRead records that the user has seen the case as it is now.
func (tx *Tx) markRead(ctx context.Context, userID, caseID int64) error {
	_, err := tx.exec(ctx, `INSERT INTO case_reads (user_id, case_id, read_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id, case_id) DO UPDATE SET read_at = excluded.read_at`, userID, caseID, millis(tx.now))
	return err
}

// MarkRead implements ally.CaseService: the signed-in user has opened the
// case, so its unread marker is cleared for them.
func (db *DB) MarkRead(ctx context.Context, ref string) (err error) {
	defer wrap(&err, "mark read")
	u, err := ally.Caller(ctx)
	if err != nil {
		return err
	}
	return db.withTx(ctx, func(tx *Tx) error {
		c, err := tx.visibleCase(ctx, ref)
		if err != nil {
			return err
		}
		return tx.markRead(ctx, u.ID, c.ID)
	})
}

// readUnread sets c.Unread for the signed-in user.
func (tx *Tx) readUnread(ctx context.Context, c *ally.Case) error {
	u, err := ally.Caller(ctx)
	if err != nil {
		return err
	}
	return tx.queryRow(ctx, "SELECT "+unreadExpr+" FROM cases c WHERE c.id = ?", u.ID, u.ID, c.ID).Scan(&c.Unread)
}
