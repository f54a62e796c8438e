package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/allydesk/ally"
)

// Problem is one thing Verify found wrong.
type Problem struct {
	Check  string `json:"check"`         // which check found it
	Detail string `json:"detail"`        // what is wrong, in words
	Fix    string `json:"fix,omitempty"` // what sets it right, when Ally can
}

// fixByRepair is the Fix of what ally verify --repair sets right: a drifted
// count of mail sent or webhooks delivered (RepairDoneCounts), a tone
// example's wrong text hash (RepairToneHashes).
const fixByRepair = "ally verify --repair sets it right, safe while Ally runs"

// Verify checks the database's integrity: the engine's own check (SQLite),
// every reference between tables, the stored case counts and report
// counters against the cases, the running counts of mail sent and webhooks
// delivered against their rows, the tone examples' text hashes against their
// words, and every stored file against its checksum.
// It returns what it found wrong; an empty list means all is well.
func (db *DB) Verify(ctx context.Context, progress BackupProgress) (problems []Problem, err error) {
	defer wrap(&err, "verify")
	const who = "Integrity checks are run by the server's operator."
	if _, err := ally.Allowed(ctx, ally.CanManageBackups, who); err != nil {
		return nil, err
	}
	err = db.withRead(ctx, func(tx *Tx) error {
		for _, check := range []func(context.Context) ([]Problem, error){
			tx.checkEngine, tx.checkReferences, tx.checkCounts, tx.checkToneHashes,
			func(ctx context.Context) ([]Problem, error) {
				return tx.checkFiles(ctx, progress)
			},
		} {
			found, err := check(ctx)
			if err != nil {
				return err
			}
			problems = append(problems, found...)
		}
		return nil
	})
	return problems, err
}

// checkEngine runs SQLite's own integrity check; PostgreSQL keeps its pages
// checksummed itself.
func (tx *Tx) checkEngine(ctx context.Context) ([]Problem, error) {
	if tx.db.postgres {
		return nil, nil
	}
	lines, err := collect(ctx, tx, scanStrings(1), "PRAGMA integrity_check")
	var out []Problem
	for _, l := range lines {
		if l[0] != "ok" {
			out = append(out, Problem{Check: "sqlite integrity", Detail: l[0]})
		}
	}
	return out, err
}

// checkReferences finds rows that point at a row that is not there.
func (tx *Tx) checkReferences(ctx context.Context) ([]Problem, error) {
	tables, err := tx.schemaTables(ctx)
	if err != nil {
		return nil, err
	}
	var out []Problem
	for _, t := range tables {
		for _, fk := range t.fks {
			var n int64
			q := fmt.Sprintf(`SELECT count(*) FROM %[1]s c WHERE c.%[2]s IS NOT NULL
				AND NOT EXISTS (SELECT 1 FROM %[3]s p WHERE p.%[4]s = c.%[2]s)`, t.name, fk.column, fk.parent, fk.parentColumn)
			if err := tx.Tx.QueryRowContext(ctx, q).Scan(&n); err != nil {
				return nil, err
			}
			if n > 0 {
				out = append(out, Problem{Check: "references", Detail: fmt.Sprintf(
					"%d rows of %s point through %s at a %s row that does not exist", n, t.name, fk.column, fk.parent)})
			}
		}
	}
	return out, nil
}

// checkCounts compares the running counts kept beside the cases with the
// cases themselves.
func (tx *Tx) checkCounts(ctx context.Context) ([]Problem, error) {
	queries := []struct{ what, kept, actual, fix string }{
		{"cases by status", `SELECT status || CASE WHEN confidential THEN ' (confidential)' ELSE '' END, SUM(n)
			FROM case_counts GROUP BY status, confidential HAVING SUM(n) <> 0`,
			`SELECT status || CASE WHEN confidential THEN ' (confidential)' ELSE '' END, count(*)
			FROM cases GROUP BY status, confidential`, ""},
		{"reports by kind", `SELECT label, SUM(n) FROM counters WHERE name = 'reported' GROUP BY label
			HAVING SUM(n) <> 0`,
			"SELECT kind, count(*) FROM cases GROUP BY kind", ""},
		{"mail sent and webhooks delivered", doneKept, doneRows, fixByRepair},
	}
	var out []Problem
	for _, q := range queries {
		kept, err := tx.counts(ctx, q.kept)
		if err != nil {
			return nil, err
		}
		actual, err := tx.counts(ctx, q.actual)
		if err != nil {
			return nil, err
		}
		for k := range merge(kept, actual) {
			if kept[k] != actual[k] {
				out = append(out, Problem{"counts", fmt.Sprintf("%s: %q is counted as %d but there are %d",
					q.what, k, kept[k], actual[k]), q.fix})
			}
		}
	}
	return out, nil
}

// counts runs q, whose rows are (key, n), and adds up n by key.
func (tx *Tx) counts(ctx context.Context, q string) (map[string]int64, error) {
	rows, err := tx.Tx.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] += n
	}
	return out, rows.Err()
}

func merge(a, b map[string]int64) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

// checkFiles reads every stored file and compares it with its size and
// SHA-256, and finds files no attachment uses.
func (tx *Tx) checkFiles(ctx context.Context, progress BackupProgress) ([]Problem, error) {
	var out []Problem
	var unused int64
	if err := tx.Tx.QueryRowContext(ctx, `SELECT count(*) FROM blobs b
		WHERE NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = b.sha256)`).Scan(&unused); err != nil {
		return nil, err
	}
	if unused > 0 {
		out = append(out, Problem{Check: "files", Detail: fmt.Sprintf("%d stored files belong to no attachment", unused)})
	}
	rows, err := tx.Tx.QueryContext(ctx, "SELECT sha256, size, data FROM blobs")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		var sum string
		var size int64
		var data []byte
		if err := rows.Scan(&sum, &size, &data); err != nil {
			return nil, err
		}
		if h := sha256.Sum256(data); hex.EncodeToString(h[:]) != sum || int64(len(data)) != size {
			out = append(out, Problem{Check: "files", Detail: fmt.Sprintf(
				"the stored file %s… is damaged: its content does not match its checksum or size", sum[:min(12, len(sum))])})
		}
		if n++; progress != nil && n%100 == 0 {
			progress("blobs", n)
		}
	}
	return out, rows.Err()
}
