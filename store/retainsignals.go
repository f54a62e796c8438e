package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/allydesk/ally"
)

// signalText lists a signal's free-text columns, kept or removed as a
// case's texts are.
var signalText = []string{"summary", "details", "question"}

// retainSignals de-identifies the signals where (with args) selects: their
// texts through keep, their subject replaced by the pseudonym (pseudo,
// email) when the subject is subjectID, else removed.
func (tx *Tx) retainSignals(ctx context.Context, where string, args []any, keep func(string) string,
	subjectID, pseudo int64, email string) error {
	for _, col := range signalText {
		if err := tx.rewriteWhere(ctx, "signals", col, where, args, keep); err != nil {
			return err
		}
	}
	_, err := tx.exec(ctx, `UPDATE signals SET subject_email = CASE WHEN subject_id = ? THEN ? ELSE ? END,
		subject_id = CASE WHEN subject_id = ? THEN CAST(? AS BIGINT) ELSE NULL END, retained_at = ? WHERE `+where,
		append([]any{subjectID, email, ally.RemovedText, subjectID, pseudo, millis(tx.now)}, args...)...)
	return err
}

// applySignalRetention de-identifies one batch of the confirmed signals
// (no case: the person said it was them) that the rule for their type's
// kind makes due, counted from when they were answered, and returns how
// many.
func (tx *Tx) applySignalRetention(ctx context.Context, rules []ally.RetentionRule,
	res *ally.RetentionResult) (int, error) {
	var conds []string
	var args []any
	due := func(r ally.RetentionRule, cond string, condArgs ...any) {
		conds = append(conds, "("+cond+" AND COALESCE(s.answered_at, s.created_at) <= ?)")
		args = append(append(args, condArgs...), millis(r.Cutoff(tx.now)))
	}
	// ruleFor is the rule for a signal type's kind (other for a type no
	// longer configured).
	ruleFor := func(typ string) (ally.RetentionRule, bool) {
		kind := ally.KindOther
		if t, ok := tx.db.opts.Signals.Get(typ); ok {
			kind = ally.Kind(t.Kind)
		}
		return ally.RetentionFor(rules, kind)
	}
	types := tx.db.opts.Signals.IDs()
	known := make([]any, len(types))
	for i, id := range types {
		known[i] = id
		if r, ok := ruleFor(id); ok {
			due(r, "s.type = ?", id)
		}
	}
	if r, ok := ally.RetentionFor(rules, ally.KindOther); ok && len(known) > 0 {
		due(r, "s.type NOT IN ("+params(len(known))+")", known...)
	} else if ok {
		due(r, "TRUE")
	}
	if len(conds) == 0 {
		return 0, nil
	}
	rows, err := collect(ctx, tx, func(row scanner) (dueSignal, error) {
		var s dueSignal
		return s, row.Scan(&s.id, &s.typ, &s.subject, &s.name, &s.department)
	}, `SELECT s.id, s.type, s.subject_id, u.name, u.department FROM signals s JOIN users u ON u.id = s.subject_id
		WHERE s.status = ? AND s.case_id IS NULL AND s.retained_at IS NULL AND (`+strings.Join(conds, " OR ")+
		") ORDER BY s.id LIMIT "+fmt.Sprint(retentionBatch), append([]any{ally.SignalConfirmed}, args...)...)
	if err != nil {
		return 0, err
	}
	for _, s := range rows {
		rule, _ := ruleFor(s.typ)
		pseudo, email, err := tx.pseudonym(ctx, s.subject, s.department)
		if err != nil {
			return 0, err
		}
		keep := keeper(rule.Action, firstAndFull(s.name), res)
		if err := tx.retainSignals(ctx, "id = ?", []any{s.id}, keep, s.subject, pseudo, email); err != nil {
			return 0, fmt.Errorf("signal %d: %w", s.id, err)
		}
		res.Signals++
	}
	return len(rows), nil
}

// dueSignal is a confirmed signal the policy makes due, with its subject.
type dueSignal struct {
	id               int64
	typ              string
	subject          int64
	name, department string
}
