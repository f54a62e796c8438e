package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/allydesk/ally"
)

// caseSelect reads a case with its reporter and assignee.
const caseSelect = `SELECT c.id, c.kind, c.summary, c.details, c.status, c.severity, c.priority, c.confidential,
	c.department, c.reporter_id, c.assignee_id, c.answers, c.occurred_at, c.reported_at, c.acknowledged_at,
	c.contained_at, c.resolved_at, c.closed_at, c.updated_at, c.source, c.ack_due_at, c.resolve_due_at,
	c.sla_version, r.email, r.name, r.department, a.email, a.name, a.department
	FROM cases c JOIN users r ON r.id = c.reporter_id LEFT JOIN users a ON a.id = c.assignee_id`

func scanCase(row scanner) (*ally.Case, error) {
	var (
		c                           ally.Case
		priority                    int
		assignee                    sql.NullInt64
		answers                     string
		occ, ack, cont, res, closed sql.NullInt64
		reported, updated           int64
		aEmail, aName, aDept        sql.NullString
		ackBy, resolveBy            sql.NullInt64
		slaVersion                  sql.NullString
	)
	err := row.Scan(&c.ID, &c.Kind, &c.Summary, &c.Details, &c.Status, &c.Severity, &priority, &c.Confidential,
		&c.Department, &c.ReporterID, &assignee, &answers, &occ, &reported, &ack, &cont, &res, &closed, &updated,
		&c.Source, &ackBy, &resolveBy, &slaVersion, &c.Reporter.Email, &c.Reporter.Name, &c.Reporter.Department,
		&aEmail, &aName, &aDept)
	if err != nil {
		return nil, err
	}
	c.Ref = ally.CaseRef(c.ID)
	c.AssigneeID = assignee.Int64
	c.Assignee = personOrNil(aEmail, aName, aDept)
	if err := json.Unmarshal([]byte(answers), &c.Answers); err != nil {
		return nil, fmt.Errorf("case %d answers: %w", c.ID, err)
	}
	c.OccurredAt, c.AcknowledgedAt, c.ContainedAt = fromNullMillis(occ), fromNullMillis(ack), fromNullMillis(cont)
	c.ResolvedAt, c.ClosedAt = fromNullMillis(res), fromNullMillis(closed)
	c.ReportedAt, c.UpdatedAt = fromMillis(reported), fromMillis(updated)
	c.SLA = ally.SLA{AcknowledgeBy: fromNullMillis(ackBy), ResolveBy: fromNullMillis(resolveBy),
		PlaybookVersion: slaVersion.String, Breached: []string{}}
	return &c, nil
}

// CreateCase implements ally.CaseService.
func (db *DB) CreateCase(ctx context.Context, n *ally.NewCase) (_ *ally.Case, err error) {
	defer wrap(&err, "create case")
	u, err := ally.Allowed(ctx, ally.CanReport, "Only a person with an account can report a concern; sign in as yourself.")
	if err != nil {
		return nil, err
	}
	var c *ally.Case
	err = db.withTx(ctx, func(tx *Tx) error {
		var err error
		c, err = db.insertCase(ctx, tx, u, n, ally.SourceWeb)
		return err
	})
	if err != nil {
		return nil, err
	}
	db.decorate(c)
	return c, nil
}

// insertCase opens a case reported by u, with its first entry, tasks,
// counts and audit record, inside tx.
func (db *DB) insertCase(ctx context.Context, tx *Tx, u *ally.User, n *ally.NewCase,
	source string) (*ally.Case, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	if n.Answers == nil {
		n.Answers = map[string]string{}
	}
	answers, _ := json.Marshal(n.Answers)
	c := &ally.Case{Kind: n.Kind, Summary: n.SummaryOrDefault(), Details: strings.TrimSpace(n.Details),
		Status: ally.StatusNew, Severity: ally.SeverityMedium, Confidential: n.Confidential, Department: u.Department,
		Reporter: u.Person(), ReporterID: u.ID, Answers: n.Answers, OccurredAt: n.OccurredAt, Source: source}
	pb, hasPlaybook := db.opts.Playbooks.Get(string(n.Kind))
	if hasPlaybook {
		c.Severity = ally.Severity(pb.SeverityFor(n.Answers))
	}
	if n.Severity.Valid() {
		c.Severity = n.Severity
	}
	c.ReportedAt, c.UpdatedAt = tx.now, tx.now
	db.fixSLA(c) // the SLA clock starts now
	var err error
	c.ID, err = tx.insert(ctx, `INSERT INTO cases (kind, summary, details, status, severity, priority, confidential,
		department, reporter_id, answers, occurred_at, reported_at, updated_at, source, ack_due_at, resolve_due_at,
		sla_version, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Kind, c.Summary, c.Details, c.Status, c.Severity, c.Priority(), c.Confidential, c.Department, c.ReporterID,
		string(answers), nullMillis(c.OccurredAt), millis(c.ReportedAt), millis(c.UpdatedAt), c.Source,
		nullMillis(c.SLA.AcknowledgeBy), nullMillis(c.SLA.ResolveBy), c.SLA.PlaybookVersion, db.dueAt(c))
	if err != nil {
		return nil, err
	}
	c.Ref = ally.CaseRef(c.ID)
	if err := tx.indexCase(ctx, c); err != nil {
		return nil, err
	}
	if err := tx.changed(ctx, c, ally.EventCreated); err != nil {
		return nil, err
	}
	if err := ally.CheckOccurredAt(c.OccurredAt, tx.now); err != nil { // against the transaction's clock
		return nil, err
	}
	if err := tx.count(ctx, c.Status, c.Confidential, 1); err != nil {
		return nil, err
	}
	if err := tx.bump(ctx, counterReported, string(c.Kind), 1); err != nil {
		return nil, err
	}
	if _, err := tx.addEntry(ctx, c.ID, ally.EntrySystem, 0, "Reported by "+u.Name+".", false, nil); err != nil {
		return nil, err
	}
	if hasPlaybook {
		if err := tx.createTasks(ctx, c.ID, pb, tx.now); err != nil {
			return nil, err
		}
	}
	if err := tx.mailCaseOpened(ctx, c); err != nil {
		return nil, err
	}
	if err := tx.emit(ctx, ally.EventCaseCreated, c, nil); err != nil {
		return nil, err
	}
	detail := "kind=" + string(c.Kind) + " severity=" + string(c.Severity)
	if source != ally.SourceWeb {
		detail += " source=" + source
	}
	return c, tx.audit(ctx, "case.create", c.Ref, detail)
}

// count keeps the per-status case counts in step, in the transaction's
// shard (readers add the shards up). The upsert is atomic, so concurrent
// first writers cannot both insert. In a transaction run by withTx it is
// held back to the end (hot.go).
func (tx *Tx) count(ctx context.Context, st ally.Status, confidential bool, delta int) error {
	if tx.hot != nil {
		tx.hot.add(hotRow{status: st, confidential: confidential}, int64(delta))
		return nil
	}
	return tx.countNow(ctx, st, confidential, int64(delta))
}

func (tx *Tx) countNow(ctx context.Context, st ally.Status, confidential bool, delta int64) error {
	_, err := tx.exec(ctx, `INSERT INTO case_counts (status, confidential, shard, n) VALUES (?, ?, ?, ?)
		ON CONFLICT (status, confidential, shard) DO UPDATE SET n = case_counts.n + excluded.n`,
		st, confidential, tx.shard, delta)
	return err
}

// FindCase implements ally.CaseService. Each view of a confidential case is
// written to the audit log.
func (db *DB) FindCase(ctx context.Context, ref string) (_ *ally.Case, err error) {
	defer wrap(&err, "find case")
	var c *ally.Case
	err = db.readFew(ctx, func(tx *Tx) error {
		var err error
		if c, err = tx.visibleCase(ctx, ref); err != nil {
			return err
		}
		if c.Feedback, err = tx.feedback(ctx, c.ID); err != nil {
			return err
		}
		return tx.readUnread(ctx, c)
	})
	if err != nil {
		return nil, err
	}
	if c.Confidential { // every view of a confidential case is on the record
		if err := db.withTx(ctx, func(tx *Tx) error { return tx.audit(ctx, "case.view", c.Ref, "") }); err != nil {
			return nil, err
		}
	}
	db.decorate(c)
	return c, nil
}

// visibleCase loads a case the signed-in user may see, or ENOTFOUND (never
// EFORBIDDEN, so that existence does not leak).
func (tx *Tx) visibleCase(ctx context.Context, ref string) (*ally.Case, error) {
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	id, err := ally.ParseCaseRef(ref)
	if err != nil {
		return nil, err
	}
	c, err := scanCase(tx.queryRow(ctx, caseSelect+" WHERE c.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !ally.CanSeeCase(u, c)) {
		return nil, ally.Errorf(ally.ENOTFOUND, "No case %s was found, or it is not shared with you.", ref)
	}
	return c, err
}

func (tx *Tx) feedback(ctx context.Context, caseID int64) (*ally.Feedback, error) {
	var f ally.Feedback
	var at int64
	err := tx.queryRow(ctx, "SELECT rating, comment, created_at FROM feedback WHERE case_id = ?", caseID).Scan(&f.Rating,
		&f.Comment, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	f.CreatedAt = fromMillis(at)
	return &f, err
}

// visibility returns the WHERE clause (and its arguments) limiting cases to
// those u may see: ally.CaseScopeOf(u) as SQL, as ally.CanSeeCase decides it
// for one case.
func visibility(u *ally.User) (string, []any) {
	switch ally.CaseScopeOf(u) {
	case ally.ScopeAll:
		return "1=1", nil
	case ally.ScopeShared:
		return "(NOT c.confidential OR c.assignee_id = ? OR c.reporter_id = ?)", []any{u.ID, u.ID}
	case ally.ScopeOwn:
		return "c.reporter_id = ?", []any{u.ID}
	default:
		return "1=0", nil
	}
}

// FindCases implements ally.CaseService.
func (db *DB) FindCases(ctx context.Context, f ally.CaseFilter) (_ *ally.CasePage, err error) {
	defer wrap(&err, "find cases")
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	q, err := db.caseQuery(u, f)
	if err != nil {
		return nil, err
	}
	var rows []sortedCase
	read := db.withRead
	if q.match == "" { // one statement (caseQuery.read)
		read = db.readOne
	}
	err = read(ctx, func(tx *Tx) error {
		rows, err = q.find(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	sorted := ally.NewPage(rows, q.limit, q.cursorAfter)
	page := &ally.CasePage{Items: make([]*ally.Case, len(sorted.Items)), NextCursor: sorted.NextCursor}
	for i, s := range sorted.Items {
		db.decorate(s.Case)
		page.Items[i] = s.Case
	}
	return page, nil
}

// CountCases implements ally.CaseService. Counts come from the case_counts
// summary so that they cost the same at a million cases as at ten.
func (db *DB) CountCases(ctx context.Context) (_ map[ally.Status]int, err error) {
	defer wrap(&err, "count cases")
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	out := map[ally.Status]int{}
	err = db.readOne(ctx, func(tx *Tx) error {
		var q string
		var args []any
		switch ally.CaseScopeOf(u) { // the scope as counts, as visibility() gives it as a filter
		case ally.ScopeAll:
			q = "SELECT status, SUM(n) FROM case_counts GROUP BY status"
		case ally.ScopeShared:
			q = `SELECT status, SUM(n) FROM (SELECT status, n FROM case_counts WHERE NOT confidential
				UNION ALL SELECT status, count(*) FROM cases c WHERE c.confidential AND c.assignee_id = ? GROUP BY status
				UNION ALL SELECT status, count(*) FROM cases c WHERE c.confidential AND c.reporter_id = ?
					AND (c.assignee_id IS NULL OR c.assignee_id <> ?) GROUP BY status) x GROUP BY status`
			args = []any{u.ID, u.ID, u.ID}
		case ally.ScopeOwn:
			q = "SELECT status, count(*) FROM cases c WHERE c.reporter_id = ? GROUP BY status"
			args = []any{u.ID}
		default:
			return nil
		}
		rows, err := tx.query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var st ally.Status
			var n int
			if err := rows.Scan(&st, &n); err != nil {
				return err
			}
			out[st] = n
		}
		return rows.Err()
	})
	return out, err
}
