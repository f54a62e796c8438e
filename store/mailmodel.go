package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailscan"
)

// orgModelRow names the row of mail_model that holds the organisation's
// model.
const orgModelRow = "org"

// Labels of learned mail in mail_learned.
const (
	labelPhish = "phish"
	labelSafe  = "safe"
)

// orgModelCache is the organisation's mail model as last read, with the
// row version it was read at; every analysis checks the version (one small
// query) and reads the row again only when it changed.
type orgModelCache struct {
	mu      sync.Mutex
	version int64
	model   *mailscan.OrgModel // nil: none, or unreadable
	problem string             // why the stored row could not be used
}

// MailLesson is one reported email to learn from, and what it was.
type MailLesson struct {
	Example *mailscan.Example
	Phish   bool // phishing or spam; false: safe
}

// MailLearned says what LearnMail did with its lessons.
type MailLearned struct {
	Learned    int // new messages learned
	Relabelled int // learned before with the other label, moved
	Known      int // learned before with the same label (or twice in one batch): counted once
	// Reset says the stored model could not be read and learning started
	// again from nothing.
	Reset string
	// Model is the model as this learning stored it, and Bytes the size of
	// its row; nil when nothing was learned (the stored model is as it was).
	Model *mailscan.OrgModel
	Bytes int
}

// LearnMail teaches the organisation's mail model, all or nothing: each
// message counts once, however often it is given; a message learned before
// with the other label moves to the new one. source says where the lessons
// come from, for the audit log ("ally mail learn").
func (db *DB) LearnMail(ctx context.Context, lessons []MailLesson, source string) (_ MailLearned, err error) {
	defer wrap(&err, "learn mail")
	if _, err := ally.Allowed(ctx, ally.CanTeachMail, "Only leads and admins can teach the mail check."); err != nil {
		return MailLearned{}, err
	}
	var out MailLearned
	err = db.withTx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.learnMail(ctx, lessons, source)
		return err
	})
	return out, err
}

// learnMail updates the model row and the learned messages in tx. The
// first statement bumps the row's version, which also locks the row, so
// concurrent learners (several instances) take turns.
func (tx *Tx) learnMail(ctx context.Context, lessons []MailLesson, source string) (MailLearned, error) {
	var out MailLearned
	m, problem, err := tx.lockOrgModel(ctx)
	if err != nil {
		return out, err
	}
	if problem != "" {
		slog.Warn("the organisation's mail model could not be read; learning starts again", "problem", problem)
		out.Reset = problem
	}
	keys := make([]string, len(lessons))
	for i, l := range lessons {
		keys[i] = l.Example.Key
	}
	learned, err := tx.learnedLabels(ctx, keys)
	if err != nil {
		return out, err
	}
	var ex []*mailscan.Example
	var phish []bool
	var was []string
	seen := map[string]bool{}
	for _, l := range lessons {
		before := learned[l.Example.Key]
		switch {
		case seen[l.Example.Key] || before == labelOf(l.Phish):
			out.Known++
			continue
		case before != "":
			out.Relabelled++
		default:
			out.Learned++
		}
		seen[l.Example.Key] = true
		ex, phish, was = append(ex, l.Example), append(phish, l.Phish), append(was, before)
	}
	if err := tx.recordLearned(ctx, ex, phish, source); err != nil {
		return out, err
	}
	if len(ex) == 0 && problem == "" {
		return out, nil
	}
	m.Learn(ex, phish, was, tx.now)
	data, err := m.MarshalBinary()
	if err != nil {
		return out, err
	}
	if _, err := tx.exec(ctx, "UPDATE mail_model SET data = ?, updated_at = ? WHERE name = ?", data, millis(tx.now),
		orgModelRow); err != nil {
		return out, err
	}
	out.Model, out.Bytes = m, len(data)
	return out, tx.audit(ctx, "mail.learn", source,
		fmt.Sprintf("learned %d, relabelled %d, known %d", out.Learned, out.Relabelled, out.Known))
}

// learnedLabels returns the label each of keys was learned with before;
// keys never learned are missing.
func (tx *Tx) learnedLabels(ctx context.Context, keys []string) (map[string]string, error) {
	out := make(map[string]string)
	for len(keys) > 0 {
		batch := keys[:min(len(keys), rowsPerInsert)]
		keys = keys[len(batch):]
		args := make([]any, len(batch))
		for i, k := range batch {
			args[i] = k
		}
		q := "SELECT msg_key, label FROM mail_learned WHERE msg_key IN (" +
			params(len(batch)) + ")"
		rows, err := tx.QueryContext(ctx, tx.db.rebind(q), textArgs(args)...) // uncached: the list varies
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k, label string
			if err := rows.Scan(&k, &label); err != nil {
				rows.Close()
				return nil, err
			}
			out[k] = label
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// recordLearned records each example (distinct keys) as learned now with
// its label, a few hundred rows a statement.
func (tx *Tx) recordLearned(ctx context.Context, ex []*mailscan.Example, phish []bool, source string) error {
	rows := &multiInsert{tx: tx, cols: 4,
		head: "INSERT INTO mail_learned (msg_key, label, source, learned_at) VALUES ",
		tail: ` ON CONFLICT (msg_key) DO UPDATE SET label = excluded.label, source = excluded.source,
			learned_at = excluded.learned_at`}
	for i, e := range ex {
		if err := rows.add(ctx, e.Key, labelOf(phish[i]), source, millis(tx.now)); err != nil {
			return err
		}
	}
	return rows.flush(ctx)
}

func labelOf(phish bool) string {
	if phish {
		return labelPhish
	}
	return labelSafe
}

// lockOrgModel bumps the model row's version (creating an empty row when
// there is none) and reads it. An unreadable row gives an empty model and
// the problem.
func (tx *Tx) lockOrgModel(ctx context.Context) (*mailscan.OrgModel, string, error) {
	empty, _ := mailscan.NewOrgModel().MarshalBinary()
	if _, err := tx.exec(ctx, `INSERT INTO mail_model (name, data, version, updated_at) VALUES (?, ?, 0, ?)
		ON CONFLICT (name) DO NOTHING`, orgModelRow, empty, millis(tx.now)); err != nil {
		return nil, "", err
	}
	if _, err := tx.exec(ctx, "UPDATE mail_model SET version = version + 1 WHERE name = ?", orgModelRow); err != nil {
		return nil, "", err
	}
	var data []byte
	if err := tx.queryRow(ctx, "SELECT data FROM mail_model WHERE name = ?", orgModelRow).Scan(&data); err != nil {
		return nil, "", err
	}
	m, err := mailscan.ParseOrgModel(data)
	if err != nil {
		return mailscan.NewOrgModel(), err.Error(), nil
	}
	return m, "", nil
}

// MailModelInfo describes the organisation's mail model.
type MailModelInfo struct {
	// Model is the stored model; nil when there is none or it could not
	// be read (then Problem says why, and analyses use the default model).
	Model   *mailscan.OrgModel
	Bytes   int    // size of the stored row
	Problem string // why the stored row could not be used
}

// MailModel reads the organisation's mail model for `ally mail model`.
func (db *DB) MailModel(ctx context.Context) (_ *MailModelInfo, err error) {
	defer wrap(&err, "mail model")
	if _, err := ally.Allowed(ctx, ally.CanTeachMail,
		"Only leads and admins can see the mail check's model."); err != nil {
		return nil, err
	}
	var data []byte
	err = db.withRead(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, "SELECT data FROM mail_model WHERE name = ?", orgModelRow).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil || data == nil {
		return &MailModelInfo{}, err
	}
	info := &MailModelInfo{Bytes: len(data)}
	if info.Model, err = mailscan.ParseOrgModel(data); err != nil {
		info.Model, info.Problem = nil, err.Error()
	}
	return info, nil
}

// ForgetMail resets the organisation's mail model: every learned message
// is deleted and the model emptied, so analyses use the default model
// alone again.
func (db *DB) ForgetMail(ctx context.Context) (err error) {
	defer wrap(&err, "forget mail")
	if _, err := ally.Allowed(ctx, ally.CanTeachMail, "Only leads and admins can reset the mail check."); err != nil {
		return err
	}
	return db.withTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, "SELECT count(*) FROM mail_learned").Scan(&n); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM mail_learned"); err != nil {
			return err
		}
		// The row stays, emptied, and its version keeps growing: an instance
		// that read an older model can never mistake a new one for it.
		empty, _ := mailscan.NewOrgModel().MarshalBinary()
		if _, err := tx.exec(ctx, "UPDATE mail_model SET data = ?, version = version + 1, updated_at = ? WHERE name = ?",
			empty, millis(tx.now), orgModelRow); err != nil {
			return err
		}
		return tx.audit(ctx, "mail.forget", "mail model", fmt.Sprintf("%d learned messages deleted", n))
	})
}

// analysisOptions are the options of every analysis of a reported email:
// the organisation's model when it has a readable one.
func (db *DB) analysisOptions(ctx context.Context) mailscan.Options {
	return mailscan.Options{Org: db.orgModel(ctx)}
}

// orgModel returns the organisation's mail model, or nil when it has none
// or the stored row cannot be read (reported once per version, in the log).
// A failure to read is logged and treated as no model: an analysis never
// fails for it.
func (db *DB) orgModel(ctx context.Context) *mailscan.OrgModel {
	c := &db.mailModel
	version := int64(-1)
	err := db.withRead(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, "SELECT version FROM mail_model WHERE name = ?", orgModelRow).Scan(&version)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case err == nil && version < 0:
		c.version, c.model, c.problem = 0, nil, ""
		return nil
	case err != nil:
		slog.Warn("reading the organisation's mail model; the default model is used", "err", err)
		return nil
	case version == c.version:
		return c.model
	}
	var data []byte
	var at int64
	err = db.withRead(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, "SELECT data, version, updated_at FROM mail_model WHERE name = ?",
			orgModelRow).Scan(&data, &version, &at)
	})
	if err != nil {
		slog.Warn("reading the organisation's mail model; the default model is used", "err", err)
		return nil
	}
	m, perr := mailscan.ParseOrgModel(data)
	c.version, c.model, c.problem = version, m, ""
	if perr != nil {
		c.model, c.problem = nil, perr.Error()
		slog.Warn("the organisation's mail model is unreadable and is ignored: the default model is used",
			"problem", c.problem, "stored", fromMillis(at).Format(time.RFC3339))
	}
	return c.model
}

// MarkFalseAlarm implements ally.AttachmentService.
func (db *DB) MarkFalseAlarm(ctx context.Context, ref string, id int64) (err error) {
	defer wrap(&err, "mark false alarm")
	u, err := ally.Allowed(ctx, ally.CanSeeCampaigns, "Only responders can mark a reported email as a false alarm.")
	if err != nil {
		return err
	}
	return db.withTx(ctx, func(tx *Tx) error {
		c, err := tx.visibleCase(ctx, ref)
		if err != nil {
			return err
		}
		var name string
		var data []byte
		err = tx.queryRow(ctx, `SELECT a.name, b.data FROM attachments a JOIN blobs b ON b.sha256 = a.sha256
			WHERE a.case_id = ? AND a.id = ? AND a.verdict IS NOT NULL`, c.ID, id).Scan(&name, &data)
		if errors.Is(err, sql.ErrNoRows) {
			return ally.Errorf(ally.ENOTFOUND, "File %d on case %s is not an analysed email.", id, c.Ref)
		} else if err != nil {
			return err
		}
		e, err := mailscan.NewExample(data, mailscan.Options{})
		if err != nil {
			return ally.Errorf(ally.EINVALID, "%s cannot be learned from: %v.", name, err)
		}
		if _, err := tx.learnMail(ctx, []MailLesson{{Example: e}}, "false alarm "+c.Ref); err != nil {
			return err
		}
		if _, err := tx.addEntry(ctx, c.ID, ally.EntryNote, u.ID, "Marked "+name+
			" as a false alarm: the mail check learns that mail like it is safe.", true, nil); err != nil {
			return err
		}
		return tx.audit(ctx, "mail.false_alarm", c.Ref, name)
	})
}
