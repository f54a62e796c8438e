package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
)

// Notifications to responders (issue 13): each responder chooses, per
// event, instant mail, a digest or nothing. Instant mail is queued in the
// outbox with its event; a digest event is kept in notify_pending until
// SendDigests queues the digest and deletes it, in one transaction.

var _ ally.NotifyService = (*DB)(nil)

const notifyForbidden = "Only responders get these emails, so only they can choose how."

// NotifySettings implements ally.NotifyService.
func (db *DB) NotifySettings(ctx context.Context) (_ ally.NotifySettings, err error) {
	defer wrap(&err, "notify settings")
	u, err := ally.Allowed(ctx, ally.CanChooseNotifications, notifyForbidden)
	if err != nil {
		return nil, err
	}
	var out ally.NotifySettings
	err = db.withRead(ctx, func(tx *Tx) error {
		out, err = tx.notifySettings(ctx, u.ID)
		return err
	})
	return out, err
}

// SetNotifySettings implements ally.NotifyService.
func (db *DB) SetNotifySettings(ctx context.Context, s ally.NotifySettings) (_ ally.NotifySettings, err error) {
	defer wrap(&err, "set notify settings")
	u, err := ally.Allowed(ctx, ally.CanChooseNotifications, notifyForbidden)
	if err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	var out ally.NotifySettings
	err = db.withTx(ctx, func(tx *Tx) error {
		var changed []string
		for _, event := range ally.NotifyEvents {
			mode, ok := s[event]
			if !ok {
				continue
			}
			if _, err := tx.exec(ctx, `INSERT INTO notify_settings (user_id, event, mode) VALUES (?, ?, ?)
				ON CONFLICT (user_id, event) DO UPDATE SET mode = excluded.mode`, u.ID, event, mode); err != nil {
				return err
			}
			changed = append(changed, event+"="+mode)
		}
		if out, err = tx.notifySettings(ctx, u.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "notify.set", u.Email, strings.Join(changed, " "))
	})
	return out, err
}

func (tx *Tx) notifySettings(ctx context.Context, userID int64) (ally.NotifySettings, error) {
	out := ally.DefaultNotifySettings()
	rows, err := tx.query(ctx, "SELECT event, mode FROM notify_settings WHERE user_id = ?", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var event, mode string
		if err := rows.Scan(&event, &mode); err != nil {
			return nil, err
		}
		out[event] = mode
	}
	return out, rows.Err()
}

// notifyMode is how the user with id chose to hear of event.
func (tx *Tx) notifyMode(ctx context.Context, userID int64, event string) (string, error) {
	var mode string
	err := tx.queryRow(ctx, "SELECT mode FROM notify_settings WHERE user_id = ? AND event = ?", userID, event).
		Scan(&mode)
	if errors.Is(err, sql.ErrNoRows) {
		return ally.DefaultNotifySettings()[event], nil
	}
	return mode, err
}

// notify tells responder p (account userID) of event on c as they chose
// (mode): the event's template at once, gathered for their digest, or not at all.
func (tx *Tx) notify(ctx context.Context, event string, c *ally.Case, userID int64, p ally.Person, mode string,
	vars map[string]string) error {
	switch mode {
	case ally.NotifyInstant:
		return tx.mailTo(ctx, event, c, p, false, vars)
	case ally.NotifyDigest:
		_, err := tx.exec(ctx, "INSERT INTO notify_pending (user_id, event, case_id, created_at) VALUES (?, ?, ?, ?)",
			userID, event, c.ID, millis(tx.now))
		return err
	}
	return nil
}

// SendDigests implements ally.DigestQueue.
func (db *DB) SendDigests(ctx context.Context, every time.Duration, limit int) (_ int, err error) {
	defer wrap(&err, "send digests")
	if _, err := ally.Allowed(ctx, ally.CanRunWorkers, workersOnly); err != nil {
		return 0, err
	}
	if db.opts.Mail == nil {
		return 0, nil
	}
	var due []int64
	err = db.withRead(ctx, func(tx *Tx) error {
		due, err = collect(ctx, tx, scanID, `SELECT DISTINCT user_id FROM notify_pending WHERE created_at <= ?
			ORDER BY user_id LIMIT ?`, millis(tx.now.Add(-every)), limit)
		return err
	})
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, userID := range due {
		var queued bool
		if err := db.withTx(ctx, func(tx *Tx) (err error) {
			queued, err = tx.sendDigest(ctx, userID, every)
			return err
		}); err != nil {
			return sent, err
		}
		if queued {
			sent++
		}
	}
	return sent, nil
}

func scanID(row scanner) (int64, error) {
	var id int64
	return id, row.Scan(&id)
}

// pendingEvent is one event gathered for a digest, with what its line says.
type pendingEvent struct {
	id, caseID               int64
	event, summary, reporter string
}

// sendDigest takes the user's gathered events (on PostgreSQL skipping any
// another instance is taking) and queues their digest in the same
// transaction; false when there was nothing left to take.
func (tx *Tx) sendDigest(ctx context.Context, userID int64, every time.Duration) (bool, error) {
	q := `SELECT n.id, n.event, n.case_id, c.summary, r.name FROM notify_pending n
		JOIN cases c ON c.id = n.case_id JOIN users r ON r.id = c.reporter_id
		WHERE n.user_id = ? ORDER BY n.id LIMIT 200`
	if tx.db.postgres {
		q += " FOR UPDATE OF n SKIP LOCKED"
	}
	events, err := collect(ctx, tx, func(row scanner) (*pendingEvent, error) {
		var e pendingEvent
		return &e, row.Scan(&e.id, &e.event, &e.caseID, &e.summary, &e.reporter)
	}, q, userID)
	if err != nil || len(events) == 0 {
		return false, err
	}
	var p ally.Person
	var disabled bool
	if err := tx.queryRow(ctx, "SELECT email, name, department, disabled FROM users WHERE id = ?", userID).
		Scan(&p.Email, &p.Name, &p.Department, &disabled); err != nil {
		return false, err
	}
	lines, ids := make([]string, 0, len(events)), make([]any, 0, len(events))
	for _, e := range events {
		lines = append(lines, "- "+ally.DigestLine(e.event, ally.CaseRef(e.caseID), e.reporter, e.summary))
		ids = append(ids, e.id)
	}
	if _, err := tx.exec(ctx, "DELETE FROM notify_pending WHERE id IN (?"+strings.Repeat(", ?", len(ids)-1)+")",
		ids...); err != nil {
		return false, err
	}
	if disabled {
		return false, nil // switched off since: the events are dropped, not mailed
	}
	vars := map[string]string{"first_name": ally.FirstName(p.Name), "count": strconv.Itoa(len(events)),
		"items": strings.Join(slices.Compact(lines), "\n"), "every": ally.DigestWords(every),
		"link": strings.TrimRight(tx.db.opts.PublicURL, "/") + "/settings/notifications"}
	return true, tx.mailPerson(ctx, mailtext.Digest, p, vars)
}
