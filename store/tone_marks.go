package store

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"math"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/tone"
)

var _ ally.ToneService = (*DB)(nil)

// ToneEngine is the tone engine in use now: Options.Tone with the
// organisation's examples on top once ReloadTone has read them. Safe for
// concurrent use; a rebuild swaps the whole engine at once.
func (db *DB) ToneEngine() *tone.Engine { return db.tone.Load() }

// ReloadTone rebuilds the tone engine from the organisation's stored
// examples. The server calls it at start-up with the operator's context.
// Examples that cannot be used leave the built-in engine, with a warning.
func (db *DB) ReloadTone(ctx context.Context) (err error) {
	defer wrap(&err, "reload tone")
	if _, err := ally.Allowed(ctx, ally.CanTeachTone, "Only leads and admins can teach the tone check."); err != nil {
		return err
	}
	db.toneMu.Lock()
	defer db.toneMu.Unlock()
	return db.rebuildTone(ctx)
}

// RefreshTone rebuilds the tone engine when the stored examples changed
// since it was last built: examples taught with `ally tone learn`, or
// marked on another instance sharing the database. It costs one small
// query when nothing changed; the server calls it on a timer. It reports
// whether it rebuilt the engine.
func (db *DB) RefreshTone(ctx context.Context) (_ bool, err error) {
	defer wrap(&err, "refresh tone")
	if _, err := ally.Allowed(ctx, ally.CanTeachTone, "Only leads and admins can teach the tone check."); err != nil {
		return false, err
	}
	var version string
	if err := db.withRead(ctx, func(tx *Tx) error {
		version, err = toneExamplesVersion(ctx, tx)
		return err
	}); err != nil {
		return false, err
	}
	db.toneMu.Lock()
	defer db.toneMu.Unlock()
	if version == db.toneVersion {
		return false, nil
	}
	return true, db.rebuildTone(ctx)
}

// rebuildTone reads the examples and their version in one transaction and
// swaps in the engine built from them; the caller holds toneMu.
func (db *DB) rebuildTone(ctx context.Context) error {
	var items []tone.Labelled
	var version string
	err := db.withRead(ctx, func(tx *Tx) error {
		var err error
		if version, err = toneExamplesVersion(ctx, tx); err != nil {
			return err
		}
		items, err = readToneExamples(ctx, tx)
		return err
	})
	if err != nil {
		return err
	}
	db.tone.Store(db.opts.Tone.WithOrgExamples(items, slog.Default()))
	db.toneVersion = version
	return nil
}

// RecentReplies lists the newest responder messages to reporters (those
// the tone check read) older than the message before (all when 0), newest
// first, at most limit, each with the latest mark of its words.
func (db *DB) RecentReplies(ctx context.Context, before int64, limit int) (_ []ally.ToneMessage, err error) {
	defer wrap(&err, "recent replies")
	if _, err := ally.Allowed(ctx, ally.CanTeachTone, "Only leads and admins can teach the tone check."); err != nil {
		return nil, err
	}
	limit = min(max(limit, 1), 200)
	if before <= 0 {
		before = math.MaxInt64
	}
	var out []ally.ToneMessage
	err = db.withRead(ctx, func(tx *Tx) error {
		var err error
		out, err = collect(ctx, tx, scanToneMessage,
			"SELECT id, case_id, body, tone_error, created_at"+
				" FROM entries WHERE type = ? AND tone IS NOT NULL AND NOT internal AND id < ? ORDER BY id DESC LIMIT ?",
			ally.EntryMessage, before, limit)
		if err != nil || len(out) == 0 {
			return err
		}
		return addLatestMarks(ctx, tx, out)
	})
	return out, err
}

// latestMarks is the query of the tone examples of n text hashes, oldest
// first.
func latestMarks(n int) string {
	return "SELECT text, blame FROM tone_examples WHERE text_hash IN (" + params(n) + ") ORDER BY id"
}

func scanToneMessage(row scanner) (ally.ToneMessage, error) {
	var m ally.ToneMessage
	var caseID, at int64
	err := row.Scan(&m.ID, &caseID, &m.Body, &m.Flagged, &at)
	m.CaseRef, m.At = ally.CaseRef(caseID), fromMillis(at)
	return m, err
}

// addLatestMarks sets each message's Marked from the latest tone example
// of its words, if any: one query for all of them, through the text_hash
// index, the texts compared in case two share a hash (or one has none yet).
func addLatestMarks(ctx context.Context, tx *Tx, ms []ally.ToneMessage) error {
	hashes := []any{unhashed}
	for _, m := range ms {
		hashes = append(hashes, textHash(m.Body))
	}
	rows, err := tx.query(ctx, latestMarks(len(hashes)), hashes...)
	if err != nil {
		return err
	}
	defer rows.Close()
	latest := map[string]bool{}
	for rows.Next() {
		var text string
		var blame bool
		if err := rows.Scan(&text, &blame); err != nil {
			return err
		}
		latest[text] = blame // ordered by id: the latest is set last
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range ms {
		if blame, ok := latest[ms[i].Body]; ok {
			ms[i].Marked = &blame
		}
	}
	return nil
}

// MarkTone stores the responder message with id as an example of blame (or
// of fine wording) marked by the lead acting, in place of any earlier
// example of the same words (a lead correcting a slip, or changing their
// mind), and rebuilds the engine so that the next reply is checked with it.
func (db *DB) MarkTone(ctx context.Context, id int64, blame bool) (err error) {
	defer wrap(&err, "mark tone")
	u, err := ally.Allowed(ctx, ally.CanTeachTone, "Only leads and admins can teach the tone check.")
	if err != nil {
		return err
	}
	var body string
	err = db.withRead(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, "SELECT body FROM entries WHERE id = ? AND type = ? AND tone IS NOT NULL AND NOT internal",
			id, ally.EntryMessage).Scan(&body)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return ally.Errorf(ally.ENOTFOUND, "There is no responder message %d to mark; pick one from the list.", id)
	}
	if err != nil {
		return err
	}
	if _, err := db.storeToneExamples(ctx, []tone.Labelled{{Text: body, Blame: blame}}, u.ID, true); err != nil {
		return err
	}
	return db.ReloadTone(ctx)
}
