package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/allydesk/ally"
)

// The outbox: mail queued by store/mail.go, claimed and delivered by the
// outbox worker (package outbox). A claim leases a message by moving its
// next_at past the lease, so a worker that dies mid-delivery leaves it due
// again; on PostgreSQL the claim skips rows another instance is claiming.

const mailColumns = `id, kind, case_id, to_addr, subject, body, reply_case, status, attempts, last_error,
	created_at, next_at, sent_at`

func scanMail(row scanner) (*ally.Mail, error) {
	var (
		m       ally.Mail
		caseID  sql.NullInt64
		created int64
		next    int64
		sent    sql.NullInt64
	)
	if err := row.Scan(&m.ID, &m.Kind, &caseID, &m.To, &m.Subject, &m.Body, &m.ReplyToCase, &m.Status, &m.Attempts,
		&m.LastError, &created, &next, &sent); err != nil {
		return nil, err
	}
	if caseID.Valid {
		m.CaseRef = ally.CaseRef(caseID.Int64)
	}
	m.CreatedAt, m.SentAt = fromMillis(created), fromNullMillis(sent)
	if m.Status == ally.MailQueued {
		t := fromMillis(next)
		m.NextAt = &t
	}
	return &m, nil
}

// Who may work the outbox, in the words a refusal uses.
const (
	workersOnly = "Only the server's own workers deliver mail."
	adminsOnly  = "Only admins can see the outbox."
)

// dueMail finds the oldest due messages; the index outbox_due (status,
// next_at, id) hands them over in order without sorting the backlog.
const dueMail = "SELECT id FROM outbox WHERE status = ? AND next_at <= ? ORDER BY next_at, id LIMIT ?"

// ClaimMail implements ally.MailQueue.
func (db *DB) ClaimMail(ctx context.Context, limit int, lease time.Duration) (_ []*ally.Mail, err error) {
	defer wrap(&err, "claim mail")
	if _, err := ally.Allowed(ctx, ally.CanRunWorkers, workersOnly); err != nil {
		return nil, err
	}
	due := dueMail
	if db.postgres {
		due += " FOR UPDATE SKIP LOCKED"
	}
	var out []*ally.Mail
	err = db.withTx(ctx, func(tx *Tx) error {
		var err error
		out, err = collect(ctx, tx, scanMail, `UPDATE outbox SET next_at = ?, attempts = attempts + 1
			WHERE id IN (`+due+`) RETURNING `+mailColumns,
			millis(tx.now.Add(lease)), ally.MailQueued, millis(tx.now), limit)
		return err
	})
	slices.SortFunc(out, func(a, b *ally.Mail) int { return cmp.Compare(a.ID, b.ID) })
	return out, err
}

// MailSent implements ally.MailQueue.
func (db *DB) MailSent(ctx context.Context, ids []int64) (err error) {
	defer wrap(&err, "mail sent")
	if _, err := ally.Allowed(ctx, ally.CanRunWorkers, workersOnly); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	return db.withTx(ctx, func(tx *Tx) error {
		if db.postgres {
			// Not waiting for the WAL flush more than triples delivery speed. Only
			// a crash of PostgreSQL itself in the next fraction of a second could
			// lose this record, and then the message is sent again with the
			// same Message-ID, as after a crash of Ally before it.
			if _, err := tx.ExecContext(ctx, "SET LOCAL synchronous_commit TO OFF"); err != nil {
				return err
			}
		}
		args := []any{ally.MailSent, millis(tx.now)}
		for _, id := range ids {
			args = append(args, id)
		}
		args = append(args, ally.MailSent)
		res, err := tx.ExecContext(ctx, db.rebind(`UPDATE outbox SET status = ?, sent_at = ?, last_error = ''
			WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) AND status <> ?`), args...)
		if err != nil {
			return err
		}
		return tx.bumpDone(ctx, "outbox", res)
	})
}

// MailNotSent implements ally.MailQueue.
func (db *DB) MailNotSent(ctx context.Context, id int64, reason string, retryIn time.Duration) (err error) {
	defer wrap(&err, "mail not sent")
	if _, err := ally.Allowed(ctx, ally.CanRunWorkers, workersOnly); err != nil {
		return err
	}
	return db.withTx(ctx, func(tx *Tx) error {
		status, next := ally.MailQueued, tx.now.Add(retryIn)
		if retryIn <= 0 {
			status, next = ally.MailFailed, tx.now
		}
		if err := tx.leavingDone(ctx, "outbox", ally.MailSent, id); err != nil {
			return err
		}
		_, err := tx.exec(ctx, "UPDATE outbox SET status = ?, next_at = ?, last_error = ? WHERE id = ?",
			status, millis(next), reason, id)
		return err
	})
}

// MailKey implements ally.MailQueue: a random 32-byte key made the first
// time it is asked for.
func (db *DB) MailKey(ctx context.Context) (_ []byte, err error) {
	defer wrap(&err, "mail key")
	if _, err := ally.Allowed(ctx, ally.CanRunWorkers, workersOnly); err != nil {
		return nil, err
	}
	var key []byte
	err = db.withTx(ctx, func(tx *Tx) (err error) {
		key, err = tx.secret(ctx)
		return err
	})
	return key, err
}

// secret returns the database's own random 32-byte key (kept in the
// mail_secret table), made the first time it is asked for.
func (tx *Tx) secret(ctx context.Context) ([]byte, error) {
	var key []byte
	err := tx.queryRow(ctx, "SELECT secret FROM mail_secret WHERE id = 1").Scan(&key)
	if !errors.Is(err, sql.ErrNoRows) {
		return key, err
	}
	key = make([]byte, 32)
	_, _ = rand.Read(key)
	if _, err := tx.exec(ctx, "INSERT INTO mail_secret (id, secret) VALUES (1, ?) ON CONFLICT (id) DO NOTHING",
		key); err != nil {
		return nil, err
	}
	err = tx.queryRow(ctx, "SELECT secret FROM mail_secret WHERE id = 1").Scan(&key)
	return key, err
}

// FindOutbox implements ally.OutboxService.
func (db *DB) FindOutbox(ctx context.Context, f ally.OutboxFilter) (_ *ally.OutboxPage, err error) {
	defer wrap(&err, "find outbox")
	if _, err := ally.Allowed(ctx, ally.CanManageMail, adminsOnly); err != nil {
		return nil, err
	}
	if f.Status != "" && !slices.Contains([]string{ally.MailQueued, ally.MailSent, ally.MailFailed}, f.Status) {
		return nil, ally.Errorf(ally.EINVALID, "status: %q is not an outbox status; use queued, sent or failed.", f.Status)
	}
	if f.Limit <= 0 || f.Limit > ally.MaxLimit {
		f.Limit = ally.MaxLimit
	}
	before := int64(1<<63 - 1)
	if f.Cursor != "" {
		n, err := strconv.ParseInt(strings.TrimPrefix(f.Cursor, "m"), 10, 64)
		if err != nil || !strings.HasPrefix(f.Cursor, "m") || n <= 0 {
			return nil, ally.ErrBadCursor
		}
		before = n
	}
	page := &ally.OutboxPage{}
	err = db.withRead(ctx, func(tx *Tx) error {
		q, args := "SELECT "+mailColumns+" FROM outbox WHERE id < ?", []any{before}
		if f.Status != "" {
			q, args = q+" AND status = ?", append(args, f.Status)
		}
		var err error
		page.Items, err = collect(ctx, tx, scanMail, q+" ORDER BY id DESC LIMIT ?", append(args, f.Limit+1)...)
		if err != nil {
			return err
		}
		return tx.outboxStats(ctx, &page.Stats)
	})
	if err != nil {
		return nil, err
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		cur := "m" + strconv.FormatInt(page.Items[f.Limit-1].ID, 10)
		page.NextCursor = &cur
	}
	return page, nil
}

// OutboxStats implements ally.OutboxService.
func (db *DB) OutboxStats(ctx context.Context) (_ *ally.OutboxStats, err error) {
	defer wrap(&err, "outbox stats")
	if _, err := ally.Allowed(ctx, ally.CanReadCounters, "Only the server reads the outbox totals."); err != nil {
		return nil, err
	}
	var s ally.OutboxStats
	err = db.withRead(ctx, func(tx *Tx) error { return tx.outboxStats(ctx, &s) })
	return &s, err
}

func (tx *Tx) outboxStats(ctx context.Context, s *ally.OutboxStats) error {
	return tx.byStatus(ctx, "outbox", func(status string, n int, oldest time.Time) {
		switch status {
		case ally.MailQueued:
			s.Queued, s.OldestQueued = n, &oldest
		case ally.MailFailed:
			s.Failed = n
		case counterDone:
			s.Sent = n
		}
	})
}

// queueStats counts the queued and failed rows of a queue table (outbox,
// webhook_deliveries) by status through its due index (status, next_at...),
// and takes the rows done (sent, delivered) from their running count, so
// that it costs what the waiting rows cost, not what the history does.
const queueStats = `SELECT status, count(*), MIN(created_at) FROM %[1]s WHERE status IN ('queued', 'failed')
	GROUP BY status
	UNION ALL SELECT 'done', COALESCE(SUM(n), 0), 0 FROM counters WHERE name = 'done' AND label = '%[1]s'`

// byStatus calls each with the queued and failed rows of a queue table
// (outbox, webhook_deliveries), their count and their oldest row's time,
// and with counterDone and the count of rows sent or delivered.
func (tx *Tx) byStatus(ctx context.Context, table string, each func(status string, n int, oldest time.Time)) error {
	rows, err := tx.query(ctx, fmt.Sprintf(queueStats, table))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var n int
		var oldest int64
		if err := rows.Scan(&status, &n, &oldest); err != nil {
			return err
		}
		each(status, n, fromMillis(oldest))
	}
	return rows.Err()
}

// leavingDone takes row id of table out of the running count of rows done
// when its status is done (sent, delivered), before an update changes it;
// on PostgreSQL it locks the row, so that the count and the row change
// together.
func (tx *Tx) leavingDone(ctx context.Context, table, done string, id int64) error {
	q := "SELECT status FROM " + table + " WHERE id = ?"
	if tx.db.postgres {
		q += " FOR UPDATE"
	}
	var status string
	err := tx.queryRow(ctx, q, id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && status != done) {
		return nil
	} else if err != nil {
		return err
	}
	return tx.bump(ctx, counterDone, table, -1)
}

// bumpDone adds the rows an UPDATE made sent or delivered to table's running
// count of them (queueStats).
func (tx *Tx) bumpDone(ctx context.Context, table string, res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	return tx.bump(ctx, counterDone, table, n)
}

// RetryMail implements ally.OutboxService.
func (db *DB) RetryMail(ctx context.Context, id int64) (_ int, err error) {
	defer wrap(&err, "retry mail")
	if _, err := ally.Allowed(ctx, ally.CanManageMail, adminsOnly); err != nil {
		return 0, err
	}
	var n int64
	err = db.withTx(ctx, func(tx *Tx) error {
		q, args := "UPDATE outbox SET status = ?, next_at = ?, attempts = 0 WHERE status = ?",
			[]any{ally.MailQueued, millis(tx.now), ally.MailFailed}
		if id != 0 {
			q, args = q+" AND id = ?", append(args, id)
		}
		res, err := tx.exec(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		if id != 0 && n == 0 {
			return ally.Errorf(ally.ENOTFOUND, "No failed message %d is in the outbox; only failed messages can be retried.", id)
		}
		return tx.audit(ctx, "outbox.retry", strconv.FormatInt(id, 10), strconv.FormatInt(n, 10))
	})
	return int(n), err
}
