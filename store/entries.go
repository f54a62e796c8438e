package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/tone"
)

// addEntry appends to a case's timeline. authorID 0 means the system.
func (tx *Tx) addEntry(ctx context.Context, caseID int64, typ ally.EntryType, authorID int64, body string,
	internal bool, t *tone.Result) (*ally.Entry, error) {
	var author, toneJSON any
	if authorID != 0 {
		author = authorID
	}
	toneError, rules := toneColumns(t)
	if t != nil {
		b, _ := json.Marshal(t)
		toneJSON = string(b)
	}
	id, err := tx.insert(ctx, `INSERT INTO entries (case_id, type, author_id, body, internal, tone, tone_error,
		tone_rules, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, caseID, typ, author, body, internal, toneJSON, toneError, rules, millis(tx.now))
	if err != nil {
		return nil, err
	}
	return &ally.Entry{ID: id, CaseID: caseID, Type: typ, Body: body, Internal: internal, CreatedAt: tx.now, Tone: t}, nil
}

// toneColumns returns what the metrics read of a tone result: whether it has
// an error-level finding, and those findings' rule ids, space-separated.
func toneColumns(t *tone.Result) (bool, string) {
	if t == nil {
		return false, ""
	}
	rules := ally.ErrorRules(t)
	return len(rules) > 0, strings.Join(rules, " ")
}

// Timeline implements ally.CaseService.
func (db *DB) Timeline(ctx context.Context, ref string, after int64, limit int) (_ []*ally.Entry, err error) {
	defer wrap(&err, "timeline")
	if limit <= 0 || limit > ally.MaxLimit+1 {
		limit = ally.MaxLimit
	}
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	var out []*ally.Entry
	err = db.readFew(ctx, func(tx *Tx) error {
		c, err := tx.visibleCase(ctx, ref)
		if err != nil {
			return err
		}
		toneColumn := "e.tone"
		if !ally.CanSeeToneScores(u) {
			toneColumn = "NULL"
		}
		q := `SELECT e.id, e.type, e.body, e.internal, ` + toneColumn + `, e.created_at, u.email, u.name, u.department
			FROM entries e LEFT JOIN users u ON u.id = e.author_id WHERE e.case_id = ? AND e.id > ?`
		if !ally.CanSeeInternal(u) {
			q += " AND NOT e.internal"
		}
		out, err = collect(ctx, tx, func(row scanner) (*ally.Entry, error) { return scanEntry(row, c.ID) },
			q+" ORDER BY e.id LIMIT ?", c.ID, after, limit)
		return err
	})
	return out, err
}

func scanEntry(row scanner, caseID int64) (*ally.Entry, error) {
	e := &ally.Entry{CaseID: caseID}
	var toneJSON, email, name, dept sql.NullString
	var at int64
	if err := row.Scan(&e.ID, &e.Type, &e.Body, &e.Internal, &toneJSON, &at, &email, &name, &dept); err != nil {
		return nil, err
	}
	e.CreatedAt, e.Author = fromMillis(at), personOrNil(email, name, dept)
	if toneJSON.Valid {
		e.Tone = new(tone.Result)
		if err := json.Unmarshal([]byte(toneJSON.String), e.Tone); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// AddMessage implements ally.CaseService. Messages written by responders
// are checked by the tone engine, once, and stored with the result; a reply
// with an error-level finding passes the tone gate (ally.HoldReply) only
// when confirmed, since responders stay in charge.
func (db *DB) AddMessage(ctx context.Context, ref string, m ally.NewMessage) (_ *ally.Entry, err error) {
	defer wrap(&err, "add message")
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	m.Body = strings.TrimSpace(m.Body)
	checked := db.checkMessage(u, m) // before the write: the single writer need not wait for it
	var e *ally.Entry
	err = db.withTx(ctx, func(tx *Tx) error {
		c, err := tx.visibleCase(ctx, ref)
		if err != nil {
			return err
		}
		e, err = tx.postMessage(ctx, c, u, m, checked)
		return err
	})
	return e, err
}

// checkMessage runs the tone engine over what a responder writes: for the
// reporter in a message, for colleagues in an internal note. It is nil for
// anyone else.
func (db *DB) checkMessage(u *ally.User, m ally.NewMessage) *tone.Result {
	if !ally.CanTriage(u) {
		return nil
	}
	r := db.ToneEngine().Check(m.Body, m.Audience())
	return &r
}

// postMessage adds a message or note by u to c. Responders' words are
// stored with checked, their tone check (checkMessage); a reply held by the
// tone gate is refused with *ally.ReplyHeld and one sent anyway is recorded
// in the audit log. A responder's first reply on a new case acknowledges it.
func (tx *Tx) postMessage(ctx context.Context, c *ally.Case, u *ally.User, m ally.NewMessage,
	checked *tone.Result) (*ally.Entry, error) {
	triage := ally.ActsAsResponder(u, c)
	if m.Internal && !triage {
		return nil, ally.Errorf(ally.EFORBIDDEN, "Only responders can write internal notes.")
	}
	typ := ally.EntryMessage
	var result *tone.Result
	if m.Internal {
		typ = ally.EntryNote
	}
	var anyway string
	if triage {
		result = checked
		if err := ally.HoldReply(m, checked); err != nil {
			return nil, err
		}
		anyway = ally.SentAnyway(m, checked)
	}
	e, err := tx.addEntry(ctx, c.ID, typ, u.ID, m.Body, m.Internal, result)
	if err != nil {
		return nil, err
	}
	p := u.Person()
	e.Author = &p
	if err := tx.mailMessage(ctx, c, u, e); err != nil {
		return nil, err
	}
	if u.ID == c.ReporterID && !m.Internal {
		if err := tx.emit(ctx, ally.EventCaseReporterWrote, c, nil); err != nil {
			return nil, err
		}
	}
	if !m.Internal {
		if err := tx.indexMessage(ctx, c.ID, m.Body); err != nil {
			return nil, err
		}
	}
	if err := tx.markWritten(ctx, c, u, m.Internal); err != nil {
		return nil, err
	}
	switch {
	case triage && !m.Internal && c.Status == ally.StatusNew:
		err = tx.moveCase(ctx, c, ally.StatusAcknowledged, u)
	case u.ID == c.ReporterID && !c.Status.Open(): // the reporter wrote again: back in the open queue
		err = tx.moveCase(ctx, c, ally.StatusInvestigating, u)
	default:
		if _, err = tx.exec(ctx, "UPDATE cases SET updated_at = ? WHERE id = ?", millis(tx.now), c.ID); err == nil {
			err = tx.changed(ctx, c, ally.EventChanged)
		}
	}
	if err != nil {
		return nil, err
	}
	detail := ""
	if anyway != "" {
		detail = "sent anyway despite tone: " + anyway
	}
	return e, tx.audit(ctx, "case."+string(typ), c.Ref, detail)
}

// AddFeedback implements ally.CaseService.
func (db *DB) AddFeedback(ctx context.Context, ref string, f ally.Feedback) (_ *ally.Feedback, err error) {
	defer wrap(&err, "add feedback")
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if f.Rating < 1 || f.Rating > 5 {
		return nil, ally.Errorf(ally.EINVALID, "rating: must be a whole number from 1 to 5.")
	}
	if ally.TooLong(f.Comment, ally.MaxBody) {
		return nil, ally.Errorf(ally.EINVALID, "comment: is longer than %s characters; shorten it.",
			ally.Count(ally.MaxBody))
	}
	f.Comment = strings.TrimSpace(f.Comment)
	err = db.withTx(ctx, func(tx *Tx) error {
		c, err := tx.visibleCase(ctx, ref)
		if err != nil {
			return err
		}
		if !ally.CanGiveFeedback(u, c) {
			return ally.Errorf(ally.EFORBIDDEN, "Only the person who reported this case can rate it.")
		}
		if c.Status.Open() {
			return ally.Errorf(ally.ECONFLICT, "You can rate this case once it is resolved.")
		}
		f.CreatedAt = tx.now
		if _, err := tx.exec(ctx,
			"INSERT INTO feedback (case_id, rating, comment, created_at, department, kind) VALUES (?, ?, ?, ?, ?, ?)",
			c.ID, f.Rating, f.Comment, millis(tx.now), c.Department, c.Kind); err != nil {
			if ally.ErrorCode(mapError(err)) == ally.ECONFLICT {
				return ally.Errorf(ally.ECONFLICT, "You already rated this case. Thank you!")
			}
			return err
		}
		return tx.audit(ctx, "case.feedback", c.Ref, "")
	})
	if err != nil {
		return nil, err
	}
	return &f, nil
}
