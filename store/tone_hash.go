package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/allydesk/ally"
)

// toneHashMigration adds tone_examples.text_hash (fillToneHashes).
const toneHashMigration = 20

// textHash is what tone_examples.text_hash holds for text: the first 64
// bits of its SHA-256, so that the words of a message are found through an
// index of (text_hash, id) rather than by comparing long texts row by row.
// Two texts may share a hash, so a look-up compares the text too; SHA-256
// keeps such texts rare even when someone writes them on purpose.
func textHash(text string) int64 {
	sum := sha256.Sum256([]byte(text))
	return int64(binary.BigEndian.Uint64(sum[:8]))
}

// toneHashBatch is how many examples fillToneHashes reads at a time.
const toneHashBatch = 500

// unhashed is the text_hash of the examples an older build stored during a
// rolling deploy, after migration 0020 and without a hash (the column's
// default): look-ups take them too and compare their text, and the next
// examples stored fill them in (fillToneHashes, unhashedExamples).
const unhashed = 0

// exampleSet is which tone examples fillToneHashes sets right and
// eachWrongHashBatch reads.
type exampleSet int

const (
	// everyExample: all of them, when migration 20 adds the column.
	everyExample exampleSet = iota
	// unhashedExamples: those an older build stored without a hash, found
	// through the index.
	unhashedExamples
	// hashedExamples: those with a hash, where a wrong one was changed
	// around the store (what Verify reports and RepairToneHashes sets right).
	hashedExamples
)

// where is the condition, before "id > ?", that picks set's examples; it
// takes unhashed as its argument.
func (set exampleSet) where() string {
	switch set {
	case unhashedExamples:
		return "text_hash = ? AND "
	case hashedExamples:
		return "text_hash <> ? AND "
	}
	return ""
}

// fillToneHashes sets text_hash to textHash(text) wherever it is not, among
// the examples of set. It returns how many it changed.
func (tx *Tx) fillToneHashes(ctx context.Context, set exampleSet) (int64, error) {
	var changed int64
	err := tx.eachWrongHashBatch(ctx, set, func(wrong []wrongHash) error {
		var args []any
		for _, w := range wrong {
			args = append(args, w.id, w.want)
		}
		row := "(CAST(? AS BIGINT), CAST(? AS BIGINT))"
		q := "WITH v(id, h) AS (VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", len(wrong)), ", ") +
			") UPDATE tone_examples SET text_hash = v.h FROM v WHERE tone_examples.id = v.id"
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("filling tone text hashes: %w", err)
		}
		changed += int64(len(wrong))
		return nil
	})
	return changed, err
}

// wrongHash is a tone example whose stored text_hash is not its text's.
type wrongHash struct{ id, want int64 }

// eachWrongHashBatch reads the examples of set in batches of toneHashBatch,
// in the order of their ids, and calls fn with those of each batch whose
// text_hash is not their text's, when there are any.
func (tx *Tx) eachWrongHashBatch(ctx context.Context, set exampleSet, fn func([]wrongHash) error) error {
	var after int64
	for {
		wrong, last, err := tx.wrongToneHashes(ctx, set, after)
		if err != nil || last == 0 {
			return err
		}
		after = last
		if len(wrong) == 0 {
			continue
		}
		if err := fn(wrong); err != nil {
			return err
		}
	}
}

// wrongToneHashes reads the next batch of examples of set after the id
// after and returns those whose text_hash is not their text's, and the
// batch's last id (0 when there are no more).
func (tx *Tx) wrongToneHashes(ctx context.Context, set exampleSet, after int64) ([]wrongHash, int64, error) {
	q := "SELECT id, text, text_hash FROM tone_examples WHERE " + set.where() + "id > ? ORDER BY id LIMIT ?"
	args := []any{after, toneHashBatch}
	if set != everyExample {
		args = append([]any{unhashed}, args...)
	}
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var wrong []wrongHash
	var last int64
	for rows.Next() {
		var text string
		var stored int64
		if err := rows.Scan(&last, &text, &stored); err != nil {
			return nil, 0, err
		}
		if h := textHash(text); h != stored {
			wrong = append(wrong, wrongHash{last, h})
		}
	}
	return wrong, last, rows.Err()
}

// checkToneHashes finds tone examples whose text_hash is neither their
// text's nor unhashed (changed around the store): the leads' tone page would
// not find their marks. RepairToneHashes sets them right.
func (tx *Tx) checkToneHashes(ctx context.Context) ([]Problem, error) {
	var n int
	err := tx.eachWrongHashBatch(ctx, hashedExamples, func(wrong []wrongHash) error {
		n += len(wrong)
		return nil
	})
	if err != nil || n == 0 {
		return nil, err
	}
	return []Problem{{Check: "tone examples", Detail: fmt.Sprintf("tone examples whose text hash does not match "+
		"their words (the tone page does not show their marks): %d", n), Fix: fixByRepair}}, nil
}

// RepairToneHashes sets the text hash of every tone example whose hash is
// wrong (what Verify reports) to its words', in one transaction, for the
// operator, and returns how many it set; when it sets any, it is audited
// (tone.hashes.repair). Examples an older build stored without a hash are
// left to the next mark (storeToneExamples), which fills them in.
//
// It is safe while instances serve: an example's words never change, the
// examples stored meanwhile carry their hash, and the rows it updates are
// none that a mark touches (a mark fills only the unhashed ones, and deletes
// those whose hash is right).
func (db *DB) RepairToneHashes(ctx context.Context) (repaired int64, err error) {
	defer wrap(&err, "repair tone hashes")
	const who = "Tone hashes are repaired by the server's operator."
	if _, err := ally.Allowed(ctx, ally.CanManageBackups, who); err != nil {
		return 0, err
	}
	err = db.withTx(ctx, func(tx *Tx) error {
		var err error
		if repaired, err = tx.fillToneHashes(ctx, hashedExamples); err != nil || repaired == 0 {
			return err
		}
		detail := fmt.Sprintf("%d text hashes set to their words'", repaired)
		return tx.audit(ctx, "tone.hashes.repair", "tone_examples", detail)
	})
	return repaired, err
}
