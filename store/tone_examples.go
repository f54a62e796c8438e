package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/tone"
)

// AddToneExamples stores an organisation's labelled tone examples, all or
// none: wording marked "reads as blaming" (Blame) or "is fine". markedBy is
// the user who marked them, 0 for a bulk import. A bad example (see
// tone.CheckExample) is refused with its position, and nothing is stored.
func (db *DB) AddToneExamples(ctx context.Context, items []tone.Labelled, markedBy int64) (_ int, err error) {
	defer wrap(&err, "add tone examples")
	if _, err := ally.Allowed(ctx, ally.CanTeachTone, "Only leads and admins can teach the tone check."); err != nil {
		return 0, err
	}
	for n, it := range items {
		if err := tone.CheckExample(it); err != nil {
			return 0, ally.Errorf(ally.EINVALID, "example %d: %v.", n+1, err)
		}
	}
	by := sql.NullInt64{Int64: markedBy, Valid: markedBy != 0}
	err = db.withTx(ctx, func(tx *Tx) error {
		for _, it := range items {
			if _, err := tx.exec(ctx,
				"INSERT INTO tone_examples (text, blame, kind, marked_by, created_at) VALUES (?, ?, ?, ?, ?)",
				it.Text, it.Blame, it.Kind, by, millis(tx.now)); err != nil {
				return fmt.Errorf("storing tone example: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(items), nil
}

// ToneExamples returns every stored tone example, oldest first, with ids
// "org-N".
func (db *DB) ToneExamples(ctx context.Context) (_ []tone.Labelled, err error) {
	defer wrap(&err, "tone examples")
	if _, err := ally.Allowed(ctx, ally.CanTeachTone,
		"Only leads and admins can see the tone check's examples."); err != nil {
		return nil, err
	}
	var out []tone.Labelled
	err = db.withRead(ctx, func(tx *Tx) error {
		var err error
		out, err = readToneExamples(ctx, tx)
		return err
	})
	return out, err
}

func readToneExamples(ctx context.Context, tx *Tx) ([]tone.Labelled, error) {
	return collect(ctx, tx, scanToneExample, "SELECT id, text, blame, kind FROM tone_examples ORDER BY id")
}

// toneExamplesVersion names the state of the stored examples cheaply: their
// number and newest id. Examples are only ever added (by a mark here, by
// `ally tone learn`, or by another instance on the same database), so a
// change in either means the engine must be rebuilt.
func toneExamplesVersion(ctx context.Context, tx *Tx) (string, error) {
	var n, newest int64
	err := tx.queryRow(ctx, "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM tone_examples").Scan(&n, &newest)
	return fmt.Sprintf("%d/%d", n, newest), err
}

func scanToneExample(row scanner) (tone.Labelled, error) {
	var l tone.Labelled
	var id int64
	err := row.Scan(&id, &l.Text, &l.Blame, &l.Kind)
	l.ID = fmt.Sprintf("org-%d", id)
	return l, err
}
