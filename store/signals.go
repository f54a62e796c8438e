package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/playbook"
	"github.com/allydesk/ally/signals"
	"github.com/allydesk/ally/stats"
)

var (
	_ ally.SignalService  = (*DB)(nil)
	_ ally.SignalTimeouts = (*DB)(nil)
)

// Signals: stored by SendSignal, answered through a signed link
// (AnswerSignal) or escalated by the timeout worker (EscalateDue). The
// question is mailed in the signal's own transaction.

// integrationDomain is the address domain of integration accounts; .invalid
// never receives mail.
const integrationDomain = "integration.invalid"

const signalColumns = `id, sender_id, source, type, subject_email, summary, severity, status, answer, case_id,
	occurred_at, created_at, deadline, answered_at`

func scanSignal(row scanner) (*ally.Signal, error) {
	var (
		s                  ally.Signal
		caseID             sql.NullInt64
		occ, answered      sql.NullInt64
		created, deadline0 int64
	)
	if err := row.Scan(&s.ID, &s.SenderID, &s.Source, &s.Type, &s.SubjectEmail, &s.Summary, &s.Severity, &s.Status,
		&s.Answer, &caseID, &occ, &created, &deadline0, &answered); err != nil {
		return nil, err
	}
	if caseID.Valid {
		s.CaseRef = ally.CaseRef(caseID.Int64)
	}
	s.OccurredAt, s.AnsweredAt = fromNullMillis(occ), fromNullMillis(answered)
	s.CreatedAt, s.Deadline = fromMillis(created), fromMillis(deadline0)
	return &s, nil
}

// IssueIntegrationToken makes (or finds) the integration account named
// name and issues it a token that can only send signals. Admins and the
// operator only.
func (db *DB) IssueIntegrationToken(ctx context.Context, name string, ttl time.Duration) (_ string, err error) {
	defer wrap(&err, "issue integration token")
	if _, err := ally.Allowed(ctx, ally.CanCreateIntegration, "Only admins can create integrations."); err != nil {
		return "", err
	}
	name = strings.ToLower(strings.TrimSpace(name))
	if !ally.ValidIntegrationName(name) {
		return "", ally.Errorf(ally.EINVALID, "--integration: %q is not a name; use letters, digits and - "+
			"(e.g. okta or siem-prod), at most 60.", name)
	}
	email := name + "@" + integrationDomain
	err = db.withTx(ctx, func(tx *Tx) error {
		u, err := tx.userByEmail(ctx, email)
		if ally.ErrorCode(err) == ally.ENOTFOUND {
			_, err = tx.insert(ctx, `INSERT INTO users (email, name, role, department, password_hash, disabled,
				created_at) VALUES (?, ?, ?, '', '', ?, ?)`, email, name, ally.RoleIntegration, false, millis(tx.now))
			if err == nil {
				err = tx.audit(ctx, "user.create", email, "role=integration")
			}
			return err
		} else if err == nil && u.Role != ally.RoleIntegration {
			return ally.Errorf(ally.ECONFLICT, "%s is a person's account, not an integration.", email)
		}
		return err
	})
	if err != nil {
		return "", err
	}
	return db.IssueToken(ctx, ally.NewToken{Email: email, Name: "integration " + name, TTL: ttl})
}

// SendSignal implements ally.SignalService.
func (db *DB) SendSignal(ctx context.Context, n *ally.NewSignal) (_ *ally.Signal, err error) {
	defer wrap(&err, "send signal")
	sender, err := ally.Allowed(ctx, ally.CanSendSignals,
		"Only integrations send signals; make a token with: ally token create --integration NAME")
	if err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	typ, ok := db.opts.Signals.Get(n.Type)
	if !ok {
		return nil, ally.Errorf(ally.EINVALID, "type: %q is not a signal type; use one of %s.", n.Type,
			strings.Join(db.opts.Signals.IDs(), ", "))
	}
	var out *ally.Signal
	err = db.withTx(ctx, func(tx *Tx) error {
		if err := ally.CheckOccurredAt(n.OccurredAt, tx.now); err != nil {
			return err
		}
		if n.DedupKey != "" {
			dup, err := tx.dedup(ctx, sender.ID, n.DedupKey, tx.now.Add(typ.DedupOrDefault()))
			if dup != nil || err != nil {
				out = dup
				return err
			}
		}
		var err error
		out, err = db.storeSignal(ctx, tx, sender, n, typ)
		if err != nil || n.DedupKey == "" {
			return err
		}
		_, err = tx.exec(ctx, "UPDATE signal_dedup SET signal_id = ? WHERE sender_id = ? AND dedup_key = ?",
			out.ID, sender.ID, n.DedupKey)
		return err
	})
	return out, err
}

// dedup claims the dedup key until expires, or returns the live signal that
// holds it. Concurrent senders of one key wait on its row, so only one
// claims it.
func (tx *Tx) dedup(ctx context.Context, sender int64, key string, expires time.Time) (*ally.Signal, error) {
	res, err := tx.exec(ctx, `INSERT INTO signal_dedup (sender_id, dedup_key, signal_id, expires_at) VALUES (?, ?, 0, ?)
		ON CONFLICT (sender_id, dedup_key) DO UPDATE SET signal_id = 0, expires_at = excluded.expires_at
		WHERE signal_dedup.expires_at <= ?`, sender, key, millis(expires), millis(tx.now))
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return nil, err
	}
	s, err := scanSignal(tx.queryRow(ctx, "SELECT "+signalColumns+` FROM signals
		WHERE id = (SELECT signal_id FROM signal_dedup WHERE sender_id = ? AND dedup_key = ?)`, sender, key))
	if err != nil {
		return nil, err
	}
	s.Duplicate = true
	return s, nil
}

// storeSignal stores a new signal and asks its subject, or, when it is
// quiet for them or nobody has that email, settles it at once.
func (db *DB) storeSignal(ctx context.Context, tx *Tx, sender *ally.User, n *ally.NewSignal,
	typ *signals.Type) (*ally.Signal, error) {
	s := &ally.Signal{Source: n.Source, Type: n.Type, SubjectEmail: n.SubjectEmail, Summary: n.Summary,
		Severity: n.Severity, Status: ally.SignalAsking, OccurredAt: n.OccurredAt, CreatedAt: tx.now,
		SenderID: sender.ID}
	if s.Severity == "" {
		s.Severity = ally.Severity(typ.Severity)
	}
	timeout := typ.TimeoutOrDefault()
	if n.Timeout > 0 {
		timeout = time.Duration(n.Timeout) * time.Second
	}
	s.Deadline = tx.now.Add(timeout)
	subject, err := tx.userByEmail(ctx, n.SubjectEmail)
	if ally.ErrorCode(err) == ally.ENOTFOUND || (err == nil && !ally.CanReport(subject)) {
		subject, err = nil, nil
	} else if err != nil {
		return nil, err
	}
	var subjectID any
	question := ""
	if subject != nil {
		subjectID = subject.ID
		question = typ.Ask(db.signalVars(subject.Person(), s))
		var until int64
		err := tx.queryRow(ctx, "SELECT until FROM signal_quiet WHERE subject_id = ? AND type = ?",
			subject.ID, s.Type).Scan(&until)
		if err == nil && until > millis(tx.now) {
			s.Status, s.Answer, s.Quiet, s.AnsweredAt = ally.SignalConfirmed, ally.AnswerQuiet, true, &tx.now
		} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	s.ID, err = tx.insert(ctx, `INSERT INTO signals (sender_id, source, type, subject_email, subject_id, summary,
		details, severity, occurred_at, dedup_key, status, answer, question, deadline, created_at, answered_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sender.ID, s.Source, s.Type, s.SubjectEmail, subjectID, s.Summary, n.Details, s.Severity,
		nullMillis(s.OccurredAt), n.DedupKey, s.Status, s.Answer, question, millis(s.Deadline), millis(tx.now),
		nullMillis(s.AnsweredAt))
	if err != nil {
		return nil, err
	}
	detail := "type=" + s.Type + " source=" + s.Source
	switch {
	case subject == nil:
		s.Answer = ally.AnswerNoAccount
		if err := db.escalate(ctx, tx, s, nil, sender); err != nil {
			return nil, err
		}
	case s.Status == ally.SignalAsking && (db.opts.Mail != nil || db.opts.SlackDM):
		path, err := tx.signalPath(ctx, s.ID)
		if err != nil {
			return nil, err
		}
		if db.opts.Mail != nil {
			if err := tx.mailPerson(ctx, mailtext.SignalAsk, subject.Person(),
				map[string]string{"question": question, "link": db.link(path)}); err != nil {
				return nil, err
			}
		}
		if db.opts.SlackDM {
			if err := tx.queueSlackDM(ctx, s.ID, subject.Email, question, db.link(path)); err != nil {
				return nil, err
			}
		}
	}
	return s, tx.audit(ctx, "signal.receive", strconv.FormatInt(s.ID, 10), detail+" status="+s.Status)
}

// signalVars are the placeholders' values in a type's wording about s for p.
func (db *DB) signalVars(p ally.Person, s *ally.Signal) map[string]string {
	when := s.CreatedAt
	if s.OccurredAt != nil {
		when = *s.OccurredAt
	}
	loc := db.location()
	return map[string]string{"first_name": ally.FirstName(p.Name), "summary": s.Summary, "source": s.Source,
		"when": when.In(loc).Format("15:04 on 2 January") + " (" + when.In(loc).Format("MST") + ")"}
}

// signalToken signs a signal's answer link with the database's key: only
// Ally can make one, and it answers that one signal only.
func signalToken(key []byte, id int64) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("signal answer " + strconv.FormatInt(id, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// signalPath is the path of the page where the subject answers signal id;
// mail links to it under the public URL, the home page as it is. It makes
// the key if there is none yet, so tx must be a write transaction.
func (tx *Tx) signalPath(ctx context.Context, id int64) (string, error) {
	key, err := tx.secret(ctx)
	if err != nil {
		return "", err
	}
	return signalLink(key, id), nil
}

// signalLink is the path of signal id's answer page, signed with key.
func signalLink(key []byte, id int64) string {
	return "/signals/" + strconv.FormatInt(id, 10) + "/" + signalToken(key, id)
}

// signalKey reads the key that signs signal links without making it (a
// read transaction may not write; tx.secret makes it in a write one): nil
// while no link has been signed. Signals sent with mail and Slack off sign
// none when they are sent.
func (tx *Tx) signalKey(ctx context.Context) ([]byte, error) {
	var key []byte
	err := tx.queryRow(ctx, "SELECT secret FROM mail_secret WHERE id = 1").Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return key, err
}

// checkSignalToken returns ENOTFOUND unless token is signal id's; with no
// key yet no link was signed, so none is right.
func (tx *Tx) checkSignalToken(ctx context.Context, id int64, token string) error {
	key, err := tx.signalKey(ctx)
	if err != nil {
		return err
	}
	if key == nil || !hmac.Equal([]byte(token), []byte(signalToken(key, id))) {
		return errBadSignalLink
	}
	return nil
}

var errBadSignalLink = ally.Errorf(ally.ENOTFOUND,
	"This link is not right. Please use the link in the email we sent you, or ask your security team.")

// escalate makes signal s a case reported by subject (nil: nobody could be
// asked; the integration sender is its reporter and nobody is mailed), at
// its severity and its type's kind, with the signal on the timeline.
func (db *DB) escalate(ctx context.Context, tx *Tx, s *ally.Signal, subject, sender *ally.User) error {
	kind, title := ally.KindOther, s.Type
	if typ, ok := db.opts.Signals.Get(s.Type); ok {
		kind, title = ally.Kind(typ.Kind), typ.Title
	}
	var details string
	if err := tx.queryRow(ctx, "SELECT details FROM signals WHERE id = ?", s.ID).Scan(&details); err != nil {
		return err
	}
	reporter, automatic := subject, tx.automatic
	if subject == nil {
		reporter, tx.automatic = sender, true // nobody to acknowledge
	}
	n := &ally.NewCase{Kind: kind, Summary: s.CaseSummary(title), Details: details,
		OccurredAt: s.OccurredAt, Severity: s.Severity}
	c, err := db.insertCase(ctx, tx, reporter, n, ally.SourceSignal)
	tx.automatic = automatic
	if err != nil {
		return err
	}
	note := "Signal " + strconv.FormatInt(s.ID, 10) + " from " + s.Source + " (" + s.Type + ") about " +
		s.SubjectEmail + ": " + s.Summary + ". " + ally.EscalationReason(s.Answer)
	if _, err := tx.addEntry(ctx, c.ID, ally.EntrySystem, 0, note, true, nil); err != nil {
		return err
	}
	if thanks := ally.SignalThanks(s.Answer); thanks != "" {
		if _, err := tx.addEntry(ctx, c.ID, ally.EntrySystem, 0, thanks, false, nil); err != nil {
			return err
		}
	}
	s.Status, s.CaseRef = ally.SignalEscalated, c.Ref
	if _, err := tx.exec(ctx, "UPDATE signals SET status = ?, answer = ?, case_id = ?, answered_at = ? WHERE id = ?",
		s.Status, s.Answer, c.ID, millis(tx.now), s.ID); err != nil {
		return err
	}
	return tx.emit(ctx, ally.EventSignalEscalated, c, map[string]any{"signal_id": s.ID, "signal_type": s.Type,
		"answer": s.Answer, "source": s.Source, "personal": map[string]any{"subject_email": s.SubjectEmail,
			"signal_summary": s.Summary}})
}

// FindSignal implements ally.SignalService.
func (db *DB) FindSignal(ctx context.Context, id int64) (_ *ally.Signal, err error) {
	defer wrap(&err, "find signal")
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	var s *ally.Signal
	err = db.withRead(ctx, func(tx *Tx) error {
		s, err = scanSignal(tx.queryRow(ctx, "SELECT "+signalColumns+" FROM signals WHERE id = ?", id))
		return err
	})
	if ally.ErrorCode(err) == ally.ENOTFOUND || (err == nil && !ally.CanSeeSignal(u, s.SenderID)) {
		return nil, ally.Errorf(ally.ENOTFOUND, "No signal %d was found.", id)
	}
	return s, err
}

// SignalQuestion implements ally.SignalService. The link's token is the
// only credential: it is checked before anything is read.
func (db *DB) SignalQuestion(ctx context.Context, id int64, token string) (_ *ally.SignalQuestion, err error) {
	defer wrap(&err, "signal question")
	var q ally.SignalQuestion
	err = db.withRead(ctx, func(tx *Tx) error {
		if err := tx.checkSignalToken(ctx, id, token); err != nil {
			return err
		}
		var typ, name string
		err := tx.queryRow(ctx, `SELECT s.id, s.question, s.status, s.answer, s.type, u.name FROM signals s
			JOIN users u ON u.id = s.subject_id WHERE s.id = ?`, id).Scan(&q.ID, &q.Question, &q.Status, &q.Answer,
			&typ, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return errBadSignalLink
		}
		if t, ok := db.opts.Signals.Get(typ); ok {
			vars := map[string]string{"first_name": ally.FirstName(name)}
			q.Yes, q.No = playbook.Fill(t.Yes, vars), playbook.Fill(t.No, vars)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &q, nil
}

// AnswerSignal implements ally.SignalService. The link's token is the only
// credential; the answer is recorded once, for the signal's subject.
func (db *DB) AnswerSignal(ctx context.Context, id int64, token, answer string) (_ *ally.Signal, err error) {
	defer wrap(&err, "answer signal")
	if answer != ally.AnswerYes && answer != ally.AnswerNo && answer != ally.AnswerNotSure {
		return nil, ally.Errorf(ally.EINVALID, "answer: %q is not an answer; use yes, no or not_sure.",
			truncateText(answer, 40))
	}
	var s *ally.Signal
	err = db.withTx(ctx, func(tx *Tx) error {
		if err := tx.checkSignalToken(ctx, id, token); err != nil {
			return err
		}
		status := ally.SignalConfirmed
		if answer != ally.AnswerYes {
			status = ally.SignalEscalated
		}
		var err error
		s, err = scanSignal(tx.queryRow(ctx, "UPDATE signals SET status = ?, answer = ?, answered_at = ?"+
			" WHERE id = ? AND status = ? AND subject_id IS NOT NULL RETURNING "+signalColumns,
			status, answer, millis(tx.now), id, ally.SignalAsking))
		if errors.Is(err, sql.ErrNoRows) {
			return ally.Errorf(ally.ECONFLICT, "This question has already been answered. Thank you, there is "+
				"nothing more to do here.")
		} else if err != nil {
			return err
		}
		subject, err := tx.userByEmail(ctx, s.SubjectEmail)
		if err != nil {
			return err
		}
		ctx := ally.NewContextWithUser(ctx, subject) // the audit names who answered
		if answer != ally.AnswerYes {
			if err := db.escalate(ctx, tx, s, subject, nil); err != nil {
				return err
			}
			return tx.audit(ctx, "signal.answer", strconv.FormatInt(s.ID, 10), answer+" case="+s.CaseRef)
		}
		quiet := signals.DefaultQuiet
		if typ, ok := db.opts.Signals.Get(s.Type); ok {
			quiet = typ.QuietOrDefault()
		}
		if _, err := tx.exec(ctx, `INSERT INTO signal_quiet (subject_id, type, until) VALUES (?, ?, ?)
			ON CONFLICT (subject_id, type) DO UPDATE SET until = excluded.until`,
			subject.ID, s.Type, millis(tx.now.Add(quiet))); err != nil {
			return err
		}
		return tx.audit(ctx, "signal.answer", strconv.FormatInt(s.ID, 10), answer)
	})
	return s, err
}

// truncateText cuts s to at most n bytes for an error message.
func truncateText(s string, n int) string {
	if len(s) > n {
		return strings.ToValidUTF8(s[:n], "") + "…"
	}
	return s
}

// MySignals implements ally.SignalService.
func (db *DB) MySignals(ctx context.Context) (_ []*ally.SignalNotice, err error) {
	defer wrap(&err, "my signals")
	u, err := ally.Allowed(ctx, ally.CanReport, "Only people are asked about signals.")
	if err != nil {
		return nil, err
	}
	var out []*ally.SignalNotice
	var key []byte
	err = db.withRead(ctx, func(tx *Tx) error {
		var err error
		out, err = collect(ctx, tx, func(row scanner) (*ally.SignalNotice, error) {
			var n ally.SignalNotice
			return &n, row.Scan(&n.ID, &n.Question)
		}, "SELECT id, question FROM signals WHERE subject_id = ? AND status = ? ORDER BY id LIMIT 20",
			u.ID, ally.SignalAsking)
		if err != nil {
			return err
		}
		key, err = tx.signalKey(ctx)
		return err
	})
	if err == nil && key == nil && len(out) > 0 {
		// The first link ever, for signals sent with mail off: make the key.
		err = db.withTx(ctx, func(tx *Tx) error {
			var err error
			key, err = tx.secret(ctx)
			return err
		})
	}
	if err != nil {
		return nil, err
	}
	for _, n := range out {
		n.Link = signalLink(key, n.ID)
	}
	return out, nil
}

// EscalateDue implements ally.SignalTimeouts. The claim skips rows another
// instance is escalating (PostgreSQL), and each signal changes state once.
func (db *DB) EscalateDue(ctx context.Context, limit int) (_ int, err error) {
	defer wrap(&err, "escalate due signals")
	if _, err := ally.Allowed(ctx, ally.CanRunWorkers, "Only the server's own workers escalate signals."); err != nil {
		return 0, err
	}
	due := "SELECT id FROM signals WHERE status = ? AND deadline <= ? ORDER BY deadline, id LIMIT ?"
	if db.postgres {
		due += " FOR UPDATE SKIP LOCKED"
	}
	n := 0
	err = db.withTx(ctx, func(tx *Tx) error {
		batch, err := collect(ctx, tx, scanSignal, "UPDATE signals SET answer = ? WHERE id IN ("+due+") RETURNING "+
			signalColumns, ally.AnswerTimeout, ally.SignalAsking, millis(tx.now), limit)
		if err != nil {
			return err
		}
		for _, s := range batch {
			subject, err := tx.userByEmail(ctx, s.SubjectEmail)
			if err != nil {
				return err
			}
			if err := db.escalate(ctx, tx, s, subject, nil); err != nil {
				return err
			}
			if err := tx.audit(ctx, "signal.timeout", strconv.FormatInt(s.ID, 10), "case="+s.CaseRef); err != nil {
				return err
			}
		}
		n = len(batch)
		return nil
	})
	return n, err
}

// SignalStats implements ally.SignalService.
func (db *DB) SignalStats(ctx context.Context, from, to time.Time) (_ *ally.SignalStats, err error) {
	defer wrap(&err, "signal stats")
	if _, err := ally.Allowed(ctx, ally.CanReadMetrics, "Only leads and admins can see signal figures."); err != nil {
		return nil, err
	}
	st := &ally.SignalStats{}
	var waits []float64
	err = db.readOne(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT s.status, s.answer, s.created_at, s.answered_at, COALESCE(c.severity, '')
			FROM signals s LEFT JOIN cases c ON c.id = s.case_id WHERE s.created_at >= ? AND s.created_at < ?`,
			millis(from), millis(to))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var status, answer, severity string
			var created int64
			var answered sql.NullInt64
			if err := rows.Scan(&status, &answer, &created, &answered, &severity); err != nil {
				return err
			}
			st.Received++
			if answer == ally.AnswerYes || answer == ally.AnswerNo || answer == ally.AnswerNotSure {
				st.Answered++
				waits = append(waits, float64(answered.Int64-created)/1000)
			}
			switch status {
			case ally.SignalConfirmed:
				st.Confirmed++
			case ally.SignalEscalated:
				st.Escalated++
				if severity != string(ally.SeverityLow) {
					st.Real++
				}
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	st.AnsweredShare, st.EscalatedShare = stats.Share(st.Answered, st.Received), stats.Share(st.Escalated, st.Received)
	st.RealShare = stats.Share(st.Real, st.Escalated)
	if len(waits) > 0 {
		m := stats.SelectNth(waits, stats.Rank(50, len(waits)))
		st.MedianAnswerSeconds = &m
	}
	return st, nil
}
