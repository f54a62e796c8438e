package store

import (
	"context"
	"maps"

	"github.com/allydesk/ally"
)

// BulkUpdate implements ally.CaseService: every case in one transaction
// (one durable commit for the lot), each inside its own savepoint (see
// eachCase).
func (db *DB) BulkUpdate(ctx context.Context, refs []string, up ally.CaseUpdate) (_ []ally.BulkResult, err error) {
	defer wrap(&err, "bulk update")
	u, err := ally.Allowed(ctx, ally.CanTriage, "Only responders can change cases, one at a time or together.")
	if err != nil {
		return nil, err
	}
	if err := ally.ValidateBulkRefs(refs); err != nil {
		return nil, err
	}
	if err := up.Validate(); err != nil {
		return nil, err
	}
	checked := db.outcomeCheck(u, up) // one outcome for every case, checked once
	var out []ally.BulkResult
	err = db.withTx(ctx, func(tx *Tx) (err error) {
		out, err = tx.eachCase(ctx, refs, func(ref string) error {
			_, err := tx.updateCase(ctx, u, ref, up, checked)
			return err
		})
		return err
	})
	return out, err
}

// eachCase runs fn for every reference, each inside its own savepoint: a
// case fn refuses is undone alone and reported with the error's code and
// message, the others kept; an internal error undoes the lot.
func (tx *Tx) eachCase(ctx context.Context, refs []string, fn func(ref string) error) ([]ally.BulkResult, error) {
	out := make([]ally.BulkResult, len(refs))
	for i, ref := range refs {
		out[i].Ref = ref
		if _, err := tx.exec(ctx, "SAVEPOINT bulk_case"); err != nil {
			return nil, err
		}
		mark := tx.mark()
		err := fn(ref)
		if err == nil {
			if _, err := tx.exec(ctx, "RELEASE SAVEPOINT bulk_case"); err != nil {
				return nil, err
			}
			out[i].Done = true
			continue
		}
		if code := ally.ErrorCode(mapError(err)); code == ally.EINTERNAL {
			return nil, err
		}
		out[i].Error = &ally.BulkError{Code: ally.ErrorCode(mapError(err)), Message: ally.ErrorMessage(mapError(err))}
		if _, err := tx.exec(ctx, "ROLLBACK TO SAVEPOINT bulk_case"); err != nil {
			return nil, err
		}
		tx.undo(mark)
	}
	return out, nil
}

// txMark is what a transaction holds outside the database at one point:
// the counter changes held back, the case changes to publish, the cases
// whose reporter was mailed. Rolling back to a savepoint undoes the rows;
// undo puts these back as they were.
type txMark struct {
	events  int
	hot     map[hotRow]int64
	rows    int
	replied map[int64]bool
}

func (tx *Tx) mark() txMark {
	m := txMark{events: len(tx.events), replied: maps.Clone(tx.replied)}
	if tx.hot != nil {
		m.hot, m.rows = maps.Clone(tx.hot.delta), len(tx.hot.rows)
	}
	return m
}

func (tx *Tx) undo(m txMark) {
	tx.events, tx.replied = tx.events[:m.events], m.replied
	if tx.hot != nil {
		tx.hot.delta, tx.hot.rows = m.hot, tx.hot.rows[:m.rows]
	}
}
