package store

import (
	"context"

	"github.com/allydesk/ally"
)

// actor names who is acting, for the audit log.
func actor(ctx context.Context) string {
	if u := ally.UserFromContext(ctx); u != nil {
		return u.Email
	}
	return "operator"
}

// audit writes one audit record in tx.
func (tx *Tx) audit(ctx context.Context, action, target, detail string) error {
	_, err := tx.exec(ctx, "INSERT INTO audit (actor, action, target, detail, created_at) VALUES (?, ?, ?, ?, ?)",
		actor(ctx), action, target, detail, millis(tx.now))
	return err
}

// FindAudit implements ally.AuditService.
func (db *DB) FindAudit(ctx context.Context, before int64, limit int) (_ []*ally.AuditRecord, err error) {
	defer wrap(&err, "find audit")
	if _, err := ally.Allowed(ctx, ally.CanReadAudit, "Only leads and admins can read the audit log."); err != nil {
		return nil, err
	}
	var out []*ally.AuditRecord
	err = db.withRead(ctx, func(tx *Tx) error {
		var err error
		out, err = collect(ctx, tx, scanAudit,
			"SELECT id, actor, action, target, detail, created_at FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?",
			newestFirst(before), limit)
		return err
	})
	return out, err
}

func scanAudit(row scanner) (*ally.AuditRecord, error) {
	var a ally.AuditRecord
	var at int64
	if err := row.Scan(&a.ID, &a.Actor, &a.Action, &a.Target, &a.Detail, &at); err != nil {
		return nil, err
	}
	a.CreatedAt = fromMillis(at)
	return &a, nil
}
