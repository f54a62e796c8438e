package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"
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
// examples stored fill them in (fillToneHashes).
const unhashed = 0

// fillToneHashes sets text_hash to textHash(text) wherever it is not: for
// every example when migration 20 adds the column, or, with onlyUnhashed,
// for those still without one (found through the index). It returns how
// many it changed.
func (tx *Tx) fillToneHashes(ctx context.Context, onlyUnhashed bool) (int64, error) {
	var changed, after int64
	for {
		wrong, last, err := tx.wrongToneHashes(ctx, after, onlyUnhashed)
		if err != nil || last == 0 {
			return changed, err
		}
		after = last
		if len(wrong) == 0 {
			continue
		}
		var args []any
		for _, w := range wrong {
			args = append(args, w.id, w.want)
		}
		row := "(CAST(? AS BIGINT), CAST(? AS BIGINT))"
		q := "WITH v(id, h) AS (VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", len(wrong)), ", ") +
			") UPDATE tone_examples SET text_hash = v.h FROM v WHERE tone_examples.id = v.id"
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return changed, fmt.Errorf("filling tone text hashes: %w", err)
		}
		changed += int64(len(wrong))
	}
}

// wrongHash is a tone example whose stored text_hash is not its text's.
type wrongHash struct{ id, stored, want int64 }

// wrongToneHashes reads the next batch of examples (or of those without a
// hash) after the id after and returns those whose text_hash is not their
// text's, and the batch's last id (0 when there are no more).
func (tx *Tx) wrongToneHashes(ctx context.Context, after int64, onlyUnhashed bool) ([]wrongHash, int64, error) {
	q := "SELECT id, text, text_hash FROM tone_examples WHERE id > ? ORDER BY id LIMIT ?"
	args := []any{after, toneHashBatch}
	if onlyUnhashed {
		q = "SELECT id, text, text_hash FROM tone_examples WHERE text_hash = ? AND id > ? ORDER BY id LIMIT ?"
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
			wrong = append(wrong, wrongHash{last, stored, h})
		}
	}
	return wrong, last, rows.Err()
}

// checkToneHashes finds tone examples whose text_hash is neither their
// text's nor unhashed (changed around the store): the leads' tone page would
// not find their marks.
func (tx *Tx) checkToneHashes(ctx context.Context) ([]Problem, error) {
	var n, after int64
	for {
		wrong, last, err := tx.wrongToneHashes(ctx, after, false)
		if err != nil {
			return nil, err
		}
		if last == 0 {
			break
		}
		for _, w := range wrong {
			if w.stored != unhashed {
				n++
			}
		}
		after = last
	}
	if n == 0 {
		return nil, nil
	}
	return []Problem{{Check: "tone examples", Detail: fmt.Sprintf("tone examples whose text hash does not match "+
		"their words (the tone page does not show their marks): %d", n)}}, nil
}
