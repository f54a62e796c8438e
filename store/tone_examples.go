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
// When the same text is stored more than once, the latest wins (see
// ToneExamples).
func (db *DB) AddToneExamples(ctx context.Context, items []tone.Labelled, markedBy int64) (_ int, err error) {
	defer wrap(&err, "add tone examples")
	if _, err := ally.Allowed(ctx, ally.CanTeachTone, "Only leads and admins can teach the tone check."); err != nil {
		return 0, err
	}
	return db.storeToneExamples(ctx, items, markedBy, false)
}

// storeToneExamples checks and stores items in one transaction. With
// replace, the earlier examples of each text are deleted first, so that a
// lead's new mark of a message takes the place of their earlier one. Examples
// an older build stored without a hash get theirs first.
func (db *DB) storeToneExamples(ctx context.Context, items []tone.Labelled, markedBy int64, replace bool) (int, error) {
	for n, it := range items {
		if err := tone.CheckExample(it); err != nil {
			return 0, ally.Errorf(ally.EINVALID, "example %d: %v.", n+1, err)
		}
	}
	by := sql.NullInt64{Int64: markedBy, Valid: markedBy != 0}
	err := db.withTx(ctx, func(tx *Tx) error {
		if _, err := tx.fillToneHashes(ctx, unhashedExamples); err != nil {
			return err
		}
		for _, it := range items {
			if replace {
				if _, err := tx.exec(ctx, "DELETE FROM tone_examples WHERE text_hash = ? AND text = ?",
					textHash(it.Text), it.Text); err != nil {
					return fmt.Errorf("replacing tone example: %w", err)
				}
			}
			if _, err := tx.exec(ctx,
				"INSERT INTO tone_examples (text, text_hash, blame, kind, marked_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
				it.Text, textHash(it.Text), it.Blame, it.Kind, by, millis(tx.now)); err != nil {
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

// ToneExamples returns the stored tone examples, oldest first, with ids
// "org-N": for a text stored more than once (marked again before marks
// replaced each other, or imported twice), only its latest example, so that
// the tone check learns from the latest verdict on those words alone.
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

// readToneExamples reads the latest example of each text, oldest first.
func readToneExamples(ctx context.Context, tx *Tx) ([]tone.Labelled, error) {
	return collect(ctx, tx, scanToneExample, "SELECT id, text, blame, kind FROM tone_examples"+
		" WHERE id IN (SELECT MAX(id) FROM tone_examples GROUP BY text) ORDER BY id")
}

// toneExamplesVersion names the state of the stored examples cheaply: their
// number and newest id. Examples are added (by a mark here, by `ally tone
// learn`, or by another instance on the same database) and deleted only by
// a mark that replaces them, which adds a newer one, so a change in either
// means the engine must be rebuilt.
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
