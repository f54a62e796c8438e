package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/tone"
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
// (ally.NewOperatorContext) may call it. Every account the cases name must
// exist. Open cases get their playbook's tasks.
func (db *DB) ImportCases(ctx context.Context, cases []ImportCase) (err error) {
	defer wrap(&err, "import cases")
	if _, err := ally.Allowed(ctx, ally.CanBulkLoad, "Bulk import is for the operator only."); err != nil {
		return err
	}
	return db.withTx(ctx, func(tx *Tx) error {
		if err := tx.checkAccounts(ctx, cases); err != nil {
			return err
		}
		var s importSummary
		if err := tx.importCases(ctx, cases, &s); err != nil {
			return err
		}
		if err := tx.importTimelines(ctx, cases); err != nil {
			return err
		}
		if len(cases) > 0 { // the SLA targets of the playbooks of the day, as the migration fixes them
			lo, hi := cases[0].Case.ID, cases[0].Case.ID
			for i := range cases {
				lo, hi = min(lo, cases[i].Case.ID), max(hi, cases[i].Case.ID)
			}
			if err := tx.fillSLA(ctx, lo, hi); err != nil {
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
		if err := s.save(ctx, tx); err != nil {
			return err
		}
		if db.postgres {
			for _, t := range []string{"cases", "entries"} {
				if _, err := tx.exec(ctx,
					fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))", t, t)); err != nil {
					return err
				}
			}
		}
		return tx.audit(ctx, "case.import", fmt.Sprint(len(cases), " cases"), "")
	})
}

// checkAccounts makes sure every account the cases refer to exists, so an
// import is sound even while BulkLoad has foreign keys unchecked.
func (tx *Tx) checkAccounts(ctx context.Context, cases []ImportCase) error {
	ids := map[int64]bool{}
	for i := range cases {
		ic := &cases[i]
		if len(ic.AuthorID) != len(ic.Entries) {
			return ally.Errorf(ally.EINVALID, "case %d of the import has %d entries but %d authors.", i+1, len(ic.Entries),
				len(ic.AuthorID))
		}
		ids[ic.Case.ReporterID] = true
		ids[ic.Case.AssigneeID] = true
		for _, a := range ic.AuthorID {
			ids[a] = true
		}
	}
	delete(ids, 0) // no assignee; the system as author
	args := make([]any, 0, len(ids))
	for id := range ids {
		args = append(args, id)
	}
	missing := len(args)
	for len(args) > 0 {
		chunk := args[:min(len(args), rowsPerInsert)]
		args = args[len(chunk):]
		var found int
		q := "SELECT COUNT(*) FROM users WHERE id IN (" + params(len(chunk)) + ")"
		if err := tx.QueryRowContext(ctx, tx.db.rebind(q), chunk...).Scan(&found); err != nil { // uncached: the list varies
			return err
		}
		missing -= found
	}
	if missing > 0 {
		return ally.Errorf(ally.EINVALID, "The import names %d accounts that do not exist; create them first.", missing)
	}
	return nil
}

// importSummary is what an import adds to the case counts and the
// Prometheus totals.
type importSummary struct {
	counts                       map[[2]any]int // by status and confidentiality
	reported, ackBuckets, ackSum map[string]int64
}

func (s *importSummary) add(c *ally.Case) {
	if s.counts == nil {
		s.counts = map[[2]any]int{}
		s.reported, s.ackBuckets, s.ackSum = map[string]int64{}, map[string]int64{}, map[string]int64{}
	}
	s.counts[[2]any{c.Status, c.Confidential}]++
	s.reported[string(c.Kind)]++
	if c.AcknowledgedAt != nil {
		took := c.AcknowledgedAt.Sub(c.ReportedAt)
		s.ackBuckets[strconv.Itoa(ally.AckBucket(took.Seconds()))]++
		s.ackSum[""] += took.Milliseconds()
	}
}

func (s *importSummary) save(ctx context.Context, tx *Tx) error {
	for k, n := range s.counts {
		if err := tx.count(ctx, k[0].(ally.Status), k[1].(bool), n); err != nil {
			return err
		}
	}
	for name, m := range map[string]map[string]int64{counterReported: s.reported, counterAck: s.ackBuckets,
		counterAckSumMS: s.ackSum} {
		for label, n := range m {
			if err := tx.bump(ctx, name, label, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// importCases inserts the cases with ids after the highest one, setting
// each case's ID and Ref.
func (tx *Tx) importCases(ctx context.Context, cases []ImportCase, s *importSummary) error {
	var next int64
	if err := tx.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM cases").Scan(&next); err != nil {
		return err
	}
	rows := &multiInsert{tx: tx, head: `INSERT INTO cases (id, kind, summary, details, status, severity, priority,
		confidential, department, reporter_id, assignee_id, answers, occurred_at, reported_at, acknowledged_at,
		contained_at, resolved_at, closed_at, updated_at, due_at, reporter_wrote_at, replied_at) VALUES `, cols: 22}
	for i := range cases {
		c := &cases[i].Case
		wrote, replied := cases[i].lastMessages()
		next++
		c.ID, c.Ref = next, ally.CaseRef(next)
		answers := []byte("{}")
		if c.Answers != nil {
			answers, _ = json.Marshal(c.Answers)
		}
		var assignee any
		if c.AssigneeID != 0 {
			assignee = c.AssigneeID
		}
		if err := rows.add(ctx, c.ID, c.Kind, c.Summary, c.Details, c.Status, c.Severity, c.Priority(), c.Confidential,
			c.Department, c.ReporterID, assignee, string(answers), nullMillis(c.OccurredAt), millis(c.ReportedAt),
			nullMillis(c.AcknowledgedAt), nullMillis(c.ContainedAt), nullMillis(c.ResolvedAt), nullMillis(c.ClosedAt),
			millis(c.UpdatedAt), tx.db.dueAt(c), wrote, replied); err != nil {
			return err
		}
		s.add(c)
	}
	return rows.flush(ctx)
}

// lastMessages returns when the reporter last wrote after the report and
// when a responder last replied to them (Unix ms, or nil), for the unread
// markers.
func (ic *ImportCase) lastMessages() (wrote, replied any) {
	for i, e := range ic.Entries {
		switch {
		case e.Type != ally.EntryMessage || e.Internal || ic.AuthorID[i] == 0:
		case ic.AuthorID[i] == ic.Case.ReporterID:
			wrote = millis(e.CreatedAt)
		default:
			replied = millis(e.CreatedAt)
		}
	}
	return wrote, replied
}

// reporters returns the imported cases' reporters by id.
func (tx *Tx) reporters(ctx context.Context, cases []ImportCase) (map[int64]ally.Person, error) {
	out := map[int64]ally.Person{}
	for i := range cases {
		id := cases[i].Case.ReporterID
		if _, ok := out[id]; ok {
			continue
		}
		var p ally.Person
		if err := tx.queryRow(ctx, "SELECT email, name, department FROM users WHERE id = ?", id).Scan(&p.Email, &p.Name,
			&p.Department); err != nil {
			return nil, err
		}
		out[id] = p
	}
	return out, nil
}

// words is the case's search document: its own words and those of the
// messages the reporter can see.
func (ic *ImportCase) words() string {
	doc := []string{caseWords(&ic.Case)}
	for _, e := range ic.Entries {
		if e.Type == ally.EntryMessage && !e.Internal {
			doc = append(doc, searchWords(e.Body))
		}
	}
	return strings.Join(doc, " ")
}

// importTimelines inserts the imported cases' entries and feedback, after
// the cases themselves so that each table's rows go in full batches.
func (tx *Tx) importTimelines(ctx context.Context, cases []ImportCase) error {
	var next int64
	if err := tx.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM entries").Scan(&next); err != nil {
		return err
	}
	entries := &multiInsert{tx: tx,
		head: "INSERT INTO entries (id, case_id, type, author_id, body, internal, tone, tone_error, tone_rules, " +
			"created_at) VALUES ", cols: 10}
	feedback := &multiInsert{tx: tx,
		head: "INSERT INTO feedback (case_id, rating, comment, created_at, department, kind) VALUES ", cols: 6}
	words := &multiInsert{tx: tx, head: tx.db.search().insert, cols: 2}
	people, err := tx.reporters(ctx, cases) // for the search words: imports name reporters by id only
	if err != nil {
		return err
	}
	toneJSON := map[*tone.Result]string{} // imports share results between entries
	for i := range cases {
		ic := &cases[i]
		for j, e := range ic.Entries {
			next++
			var author, checked any
			if ic.AuthorID[j] != 0 {
				author = ic.AuthorID[j]
			}
			toneErr, rules := toneColumns(e.Tone)
			if e.Tone != nil {
				js, ok := toneJSON[e.Tone]
				if !ok {
					b, _ := json.Marshal(e.Tone)
					js = string(b)
					toneJSON[e.Tone] = js
				}
				checked = js
			}
			if err := entries.add(ctx, next, ic.Case.ID, e.Type, author, e.Body, e.Internal, checked, toneErr, rules,
				millis(e.CreatedAt)); err != nil {
				return err
			}
		}
		if p, ok := people[ic.Case.ReporterID]; ok && ic.Case.Reporter.Email == "" {
			ic.Case.Reporter = p
		}
		if err := words.add(ctx, ic.Case.ID, ic.words()); err != nil {
			return err
		}
		if f := ic.Feedback; f != nil {
			if err := feedback.add(ctx, ic.Case.ID, f.Rating, f.Comment, millis(f.CreatedAt), ic.Case.Department,
				ic.Case.Kind); err != nil {
				return err
			}
		}
	}
	if err := entries.flush(ctx); err != nil {
		return err
	}
	if err := words.flush(ctx); err != nil {
		return err
	}
	return feedback.flush(ctx)
}

// multiInsert batches rows into multi-row INSERT statements: head, the
// rows' VALUES, then tail (an ON CONFLICT clause, say).
type multiInsert struct {
	tx   *Tx
	head string
	tail string
	cols int
	args []any
	n    int
	full *sql.Stmt // the statement for a full batch, prepared once
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
	row := "(" + params(m.cols) + ")"
	q := m.tx.db.rebind(m.head + strings.TrimSuffix(strings.Repeat(row+", ", m.n), ", ") + m.tail)
	var err error
	switch {
	case m.n < rowsPerInsert:
		_, err = m.tx.ExecContext(ctx, q, textArgs(m.args)...)
	case m.full == nil:
		if m.full, err = m.tx.PrepareContext(ctx, q); err != nil {
			return err
		}
		fallthrough
	default:
		_, err = m.full.ExecContext(ctx, textArgs(m.args)...)
	}
	m.args, m.n = m.args[:0], 0
	return err
}
