package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/allydesk/ally"
)

// ImportCase is a complete historical case for bulk loading (demo data and
// benchmarks): the case as it stands, its timeline and its feedback.
type ImportCase struct {
	Case     ally.Case
	Entries  []ally.Entry // Author is matched by AuthorID below
	AuthorID []int64      // one per entry; 0 for the system
	Feedback *ally.Feedback
}

// rowsPerInsert bounds multi-row INSERTs (SQLite allows 32,766 variables).
const rowsPerInsert = 400

// ImportCases bulk-loads cases with their entries and feedback in one
// transaction, using multi-row inserts with explicit ids. Only the operator
// (no user in the context) may call it. Open cases get their playbook's tasks.
func (db *DB) ImportCases(ctx context.Context, cases []ImportCase) error {
	if ally.UserFromContext(ctx) != nil {
		return ally.Errorf(ally.EFORBIDDEN, "Bulk import is for the operator only.")
	}
	return db.withTx(ctx, func(tx *Tx) error {
		var next, nextEntry int64
		if err := tx.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM cases").Scan(&next); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM entries").Scan(&nextEntry); err != nil {
			return err
		}
		caseRows := &multiInsert{tx: tx, head: `INSERT INTO cases (id, kind, summary, details, status, severity, priority,
			confidential, department, reporter_id, assignee_id, answers, occurred_at, reported_at, acknowledged_at,
			contained_at, resolved_at, closed_at, updated_at) VALUES `, cols: 19}
		entryRows := &multiInsert{tx: tx, head: "INSERT INTO entries (id, case_id, type, author_id, body, internal, tone, tone_error, tone_rules, created_at) VALUES ", cols: 10, after: caseRows}
		fbRows := &multiInsert{tx: tx, head: "INSERT INTO feedback (case_id, rating, comment, created_at, department, kind) VALUES ", cols: 6, after: caseRows}
		counts := map[[2]any]int{}
		reported, ackBuckets, ackSum := map[string]int64{}, map[string]int64{}, int64(0)
		for i := range cases {
			ic := &cases[i]
			c := &ic.Case
			next++
			c.ID, c.Ref = next, ally.CaseRef(next)
			answers, _ := json.Marshal(c.Answers)
			if c.Answers == nil {
				answers = []byte("{}")
			}
			var assignee any
			if c.AssigneeID != 0 {
				assignee = c.AssigneeID
			}
			if err := caseRows.add(ctx, c.ID, c.Kind, c.Summary, c.Details, c.Status, c.Severity, priority(c), c.Confidential,
				c.Department, c.ReporterID, assignee, string(answers), nullMillis(c.OccurredAt), millis(c.ReportedAt),
				nullMillis(c.AcknowledgedAt), nullMillis(c.ContainedAt), nullMillis(c.ResolvedAt), nullMillis(c.ClosedAt),
				millis(c.UpdatedAt)); err != nil {
				return err
			}
			counts[[2]any{c.Status, c.Confidential}]++
			reported[string(c.Kind)]++
			if c.AcknowledgedAt != nil {
				took := c.AcknowledgedAt.Sub(c.ReportedAt)
				ackBuckets[strconv.Itoa(ally.AckBucket(took.Seconds()))]++
				ackSum += took.Milliseconds()
			}
			for j, e := range ic.Entries {
				nextEntry++
				var author, toneJSON any
				if ic.AuthorID[j] != 0 {
					author = ic.AuthorID[j]
				}
				toneErr, rules := toneColumns(e.Tone)
				if e.Tone != nil {
					b, _ := json.Marshal(e.Tone)
					toneJSON = string(b)
				}
				if err := entryRows.add(ctx, nextEntry, c.ID, e.Type, author, e.Body, e.Internal, toneJSON, toneErr, rules, millis(e.CreatedAt)); err != nil {
					return err
				}
			}
			if f := ic.Feedback; f != nil {
				if err := fbRows.add(ctx, c.ID, f.Rating, f.Comment, millis(f.CreatedAt), c.Department, c.Kind); err != nil {
					return err
				}
			}
		}
		for _, m := range []*multiInsert{caseRows, entryRows, fbRows} {
			if err := m.flush(ctx); err != nil {
				return err
			}
		}
		for i := range cases { // open cases get their playbook's tasks; finished ones need none
			c := &cases[i].Case
			if pb, ok := db.opts.Playbooks.Get(string(c.Kind)); ok && c.Status.Open() {
				if err := tx.createTasks(ctx, c.ID, pb, c.ReportedAt); err != nil {
					return err
				}
			}
		}
		for k, n := range counts {
			if err := tx.count(ctx, k[0].(ally.Status), k[1].(bool), n); err != nil {
				return err
			}
		}
		for name, m := range map[string]map[string]int64{counterReported: reported, counterAck: ackBuckets, counterAckSumMS: {"": ackSum}} {
			for label, n := range m {
				if err := tx.bump(ctx, name, label, n); err != nil {
					return err
				}
			}
		}
		if db.postgres {
			for _, t := range []string{"cases", "entries"} {
				if _, err := tx.exec(ctx, fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))", t, t)); err != nil {
					return err
				}
			}
		}
		return tx.audit(ctx, "case.import", fmt.Sprint(len(cases), " cases"), "")
	})
}

// multiInsert batches rows into multi-row INSERT statements.
type multiInsert struct {
	tx    *Tx
	head  string
	cols  int
	args  []any
	n     int
	after *multiInsert // rows referenced by ours, flushed first
	full  *sql.Stmt    // the statement for a full batch, prepared once
}

func (m *multiInsert) add(ctx context.Context, vals ...any) error {
	m.args = append(m.args, vals...)
	m.n++
	if m.n == rowsPerInsert {
		return m.flush(ctx)
	}
	return nil
}

func (m *multiInsert) flush(ctx context.Context) error {
	if m.n == 0 {
		return nil
	}
	if m.after != nil {
		if err := m.after.flush(ctx); err != nil {
			return err
		}
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", m.cols), ", ") + ")"
	q := m.tx.db.rebind(m.head + strings.TrimSuffix(strings.Repeat(row+", ", m.n), ", "))
	var err error
	switch {
	case m.n < rowsPerInsert:
		_, err = m.tx.ExecContext(ctx, q, m.args...)
	case m.full == nil:
		if m.full, err = m.tx.PrepareContext(ctx, q); err != nil {
			return err
		}
		fallthrough
	default:
		_, err = m.full.ExecContext(ctx, m.args...)
	}
	m.args, m.n = m.args[:0], 0
	return err
}
