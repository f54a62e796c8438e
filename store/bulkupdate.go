package store

import (
	"context"

	"github.com/allydesk/ally"
)

// BulkUpdate implements ally.CaseService: every case in one transaction
// (one durable commit for the lot), each inside its own savepoint so that a
// case that cannot change is undone alone and reported.
func (db *DB) BulkUpdate(ctx context.Context, refs []string, up ally.CaseUpdate) (_ []ally.BulkResult, err error) {
	defer wrap(&err, "bulk update")
	u, err := ally.Allowed(ctx, ally.CanTriage, "Only responders can change cases, one at a time or together.")
	if err != nil {
		return nil, err
	}
	if len(refs) == 0 || len(refs) > ally.MaxBulk {
		return nil, ally.Errorf(ally.EINVALID, "refs: send from 1 to %d case references, not %d.", ally.MaxBulk,
			len(refs))
	}
	if err := up.Validate(); err != nil {
		return nil, err
	}
	checked := db.outcomeCheck(u, up) // one outcome for every case, checked once
	var out []ally.BulkResult
	err = db.withTx(ctx, func(tx *Tx) error {
		out = make([]ally.BulkResult, len(refs))
		for i, ref := range refs {
			out[i].Ref = ref
			if _, err := tx.exec(ctx, "SAVEPOINT bulk_case"); err != nil {
				return err
			}
			_, err := tx.updateCase(ctx, u, ref, up, checked)
			if err == nil {
				_, err = tx.exec(ctx, "RELEASE SAVEPOINT bulk_case")
				out[i].Done = err == nil
				if err != nil {
					return err
				}
				continue
			}
			if code := ally.ErrorCode(mapError(err)); code == ally.EINTERNAL {
				return err
			}
			out[i].Error = &ally.BulkError{Code: ally.ErrorCode(mapError(err)), Message: ally.ErrorMessage(mapError(err))}
			if _, err := tx.exec(ctx, "ROLLBACK TO SAVEPOINT bulk_case"); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}
