package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/allydesk/ally"
)

// retentionBatch is how many cases one retention transaction handles.
const retentionBatch = 200

// unusedBlobs deletes the stored files no attachment uses any more.
const unusedBlobs = "DELETE FROM blobs WHERE NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = blobs.sha256)"

const adminsOnlyRetention = "Only admins can see and change the retention policy."

// RetentionRules implements ally.RetentionService.
func (db *DB) RetentionRules(ctx context.Context) (_ []ally.RetentionRule, err error) {
	defer wrap(&err, "retention rules")
	if _, err := ally.Allowed(ctx, ally.CanManageRetention, adminsOnlyRetention); err != nil {
		return nil, err
	}
	var rules []ally.RetentionRule
	err = db.withRead(ctx, func(tx *Tx) (err error) {
		rules, err = tx.retentionRules(ctx)
		return err
	})
	return rules, err
}

func (tx *Tx) retentionRules(ctx context.Context) ([]ally.RetentionRule, error) {
	return collect(ctx, tx, func(row scanner) (ally.RetentionRule, error) {
		var r ally.RetentionRule
		return r, row.Scan(&r.Kind, &r.Action, &r.Days)
	}, "SELECT kind, action, days FROM retention_rules ORDER BY kind")
}

// SetRetentionRules implements ally.RetentionService.
func (db *DB) SetRetentionRules(ctx context.Context, rules []ally.RetentionRule) (_ []ally.RetentionRule, err error) {
	defer wrap(&err, "set retention rules")
	if _, err := ally.Allowed(ctx, ally.CanManageRetention, adminsOnlyRetention); err != nil {
		return nil, err
	}
	if err := ally.ValidateRetention(rules); err != nil {
		return nil, err
	}
	var out []ally.RetentionRule
	err = db.withTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "DELETE FROM retention_rules"); err != nil {
			return err
		}
		var desc []string
		for _, r := range rules {
			if _, err := tx.exec(ctx, "INSERT INTO retention_rules (kind, action, days) VALUES (?, ?, ?)",
				r.Kind, r.Action, r.Days); err != nil {
				return err
			}
			desc = append(desc, fmt.Sprintf("%s: %s after %d days", r.Kind, r.Action, r.Days))
		}
		if err := tx.audit(ctx, "retention.set", "policy", strings.Join(desc, "; ")); err != nil {
			return err
		}
		out, err = tx.retentionRules(ctx)
		return err
	})
	return out, err
}

// ApplyRetention implements ally.RetentionService. It works in batches,
// each its own transaction, so a large first run holds no lock for long;
// on PostgreSQL one instance applies it at a time (an advisory lock), and
// the others skip the run. progress hears of each batch once it is
// committed.
func (db *DB) ApplyRetention(ctx context.Context, progress func(what string, done int64)) (
	_ *ally.RetentionResult, err error) {
	defer wrap(&err, "apply retention")
	if _, err := ally.Allowed(ctx, ally.CanRunWorkers, workersOnly); err != nil {
		return nil, err
	}
	res := &ally.RetentionResult{}
	for {
		done := 0
		err := db.withTx(ctx, func(tx *Tx) error {
			if db.postgres {
				var mine bool
				if err := tx.queryRow(ctx, "SELECT pg_try_advisory_xact_lock(7243110019)").Scan(&mine); err != nil || !mine {
					return err
				}
			}
			rules, err := tx.retentionRules(ctx)
			if err != nil || len(rules) == 0 {
				return err
			}
			cases, err := tx.applyRetention(ctx, rules, res)
			if err != nil {
				return err
			}
			signals, err := tx.applySignalRetention(ctx, rules, res)
			if done = max(cases, signals); err != nil || done == 0 {
				return err
			}
			return tx.audit(ctx, "retention.apply", "policy", fmt.Sprintf("%d cases, %d signals", cases, signals))
		})
		if err == nil && done > 0 && progress != nil {
			progress("cases and signals", int64(res.Deidentified+res.Deleted+res.Signals))
		}
		if err != nil || done < retentionBatch {
			return res, err
		}
	}
}

// applyRetention handles one batch of due cases and returns how many.
func (tx *Tx) applyRetention(ctx context.Context, rules []ally.RetentionRule, res *ally.RetentionResult) (int, error) {
	var conds, explicit []string
	var args, kinds []any
	closed := "COALESCE(c.resolved_at, c.closed_at) <= ?"
	cutoff := func(r ally.RetentionRule) int64 { return millis(r.Cutoff(tx.now)) }
	var other *ally.RetentionRule
	for _, r := range rules {
		if r.Kind == ally.RetainAnyKind {
			other = &r
			continue
		}
		conds, args = append(conds, "(c.kind = ? AND "+closed+")"), append(args, r.Kind, cutoff(r))
		explicit, kinds = append(explicit, "?"), append(kinds, r.Kind)
	}
	if other != nil {
		cond := closed
		if len(explicit) > 0 {
			cond = "c.kind NOT IN (" + strings.Join(explicit, ", ") + ") AND " + cond
		}
		conds, args = append(conds, "("+cond+")"), append(append(args, kinds...), cutoff(*other))
	}
	q := caseSelect + " WHERE c.retained_at IS NULL AND c.status IN ('resolved', 'closed') AND (" +
		strings.Join(conds, " OR ") + ") ORDER BY c.id LIMIT " + fmt.Sprint(retentionBatch)
	cases, err := collect(ctx, tx, scanCase, q, args...)
	if err != nil {
		return 0, err
	}
	for _, c := range cases {
		rule, _ := ally.RetentionFor(rules, c.Kind)
		if err := tx.retain(ctx, c, rule.Action, res); err != nil {
			return 0, fmt.Errorf("case %s: %w", c.Ref, err)
		}
	}
	if len(cases) > 0 {
		_, err = tx.exec(ctx, unusedBlobs)
	}
	return len(cases), err
}

// retain de-identifies (or, for delete, empties) one case, and the
// signals that became it.
func (tx *Tx) retain(ctx context.Context, c *ally.Case, action string, res *ally.RetentionResult) error {
	names, err := tx.caseNames(ctx, c)
	if err != nil {
		return err
	}
	keep := keeper(action, names, res)
	if action == ally.RetainDelete {
		res.Deleted++
	} else {
		res.Deidentified++
	}
	answers := map[string]string{}
	for id, a := range c.Answers {
		if v := keep(a); v != ally.RemovedText {
			answers[id] = v
		}
	}
	if err := tx.rewriteWhere(ctx, "entries", "body", "case_id = ?", []any{c.ID}, keep); err != nil {
		return err
	}
	if err := tx.rewriteWhere(ctx, "feedback", "comment", "case_id = ?", []any{c.ID}, keep); err != nil {
		return err
	}
	pseudo, email, err := tx.pseudonym(ctx, c.ReporterID, c.Reporter.Department)
	if err != nil {
		return err
	}
	if err := tx.retainSignals(ctx, "case_id = ?", []any{c.ID}, keep, c.ReporterID, pseudo, email); err != nil {
		return err
	}
	a, _ := json.Marshal(answers)
	r, err := tx.exec(ctx, "DELETE FROM attachments WHERE case_id = ?", c.ID)
	if err != nil {
		return err
	}
	n, _ := r.RowsAffected()
	res.Attachments += int(n)
	for _, s := range []struct {
		q    string
		args []any
	}{
		{"UPDATE cases SET summary = ?, details = ?, answers = ?, reporter_id = ?, retained_at = ? WHERE id = ?",
			[]any{keep(c.Summary), keep(c.Details), string(a), pseudo, millis(tx.now), c.ID}},
		{"UPDATE outbox SET to_addr = ?, subject = '', body = '' WHERE case_id = ? AND status <> 'queued'",
			[]any{email, c.ID}},
		{"UPDATE mail_intake SET sender = ? WHERE case_id = ?", []any{email, c.ID}},
		{"UPDATE audit SET detail = ? WHERE target = ? AND detail <> ''", []any{ally.RemovedText, c.Ref}},
	} {
		if _, err := tx.exec(ctx, s.q, s.args...); err != nil {
			return err
		}
	}
	return tx.reindexCase(ctx, c.ID)
}

// caseNames lists the names that must not survive in a de-identified
// case: its reporter's, its assignee's and those of everyone who wrote in
// it, whole and first names.
func (tx *Tx) caseNames(ctx context.Context, c *ally.Case) ([]string, error) {
	rows, err := collect(ctx, tx, scanStrings(1), `SELECT DISTINCT u.name FROM users u WHERE u.id = ?
		OR u.id IN (SELECT author_id FROM entries WHERE case_id = ?)`, c.ReporterID, c.ID)
	if err != nil {
		return nil, err
	}
	full := []string{c.Reporter.Name}
	if c.Assignee != nil {
		full = append(full, c.Assignee.Name)
	}
	for _, r := range rows {
		full = append(full, r[0])
	}
	return firstAndFull(full...), nil
}

// firstAndFull is each name whole and its first word.
func firstAndFull(full ...string) []string {
	var names []string
	for _, n := range full {
		first, _, _ := strings.Cut(strings.TrimSpace(n), " ")
		names = append(names, n, first)
	}
	return names
}

// keeper is what retention does to one free text under action: delete
// removes it; deidentify removes it when it names someone in names (or
// holds an email address or phone number), counting it in res.
func keeper(action string, names []string, res *ally.RetentionResult) func(string) string {
	return func(text string) string {
		if text == "" || text == ally.RemovedText {
			return text
		}
		if action == ally.RetainDelete || len(ally.PersonalData(text, names)) > 0 {
			res.TextsRemoved++
			return ally.RemovedText
		}
		return text
	}
}

// pseudonym returns the account that stands for a person (account id,
// department) once their cases and signals are de-identified: the same for
// all of them (so repeat reporting still counts), keyed by the database's
// secret so that it does not lead back to them.
func (tx *Tx) pseudonym(ctx context.Context, id int64, department string) (int64, string, error) {
	key, err := tx.secret(ctx)
	if err != nil {
		return 0, "", err
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "retention:%d", id)
	tag := hex.EncodeToString(mac.Sum(nil))[:12]
	email := "former-" + tag + "@pseudonym.invalid"
	if _, err := tx.exec(ctx, `INSERT INTO users (email, name, role, department, password_hash, disabled, created_at)
		VALUES (?, ?, ?, ?, '', ?, ?) ON CONFLICT (email) DO NOTHING`,
		email, "Former reporter "+tag[:4], ally.RoleReporter, department, true, millis(tx.now)); err != nil {
		return 0, "", err
	}
	var pseudo int64
	err = tx.queryRow(ctx, "SELECT id FROM users WHERE email = ?", email).Scan(&pseudo)
	return pseudo, email, err
}
