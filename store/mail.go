package store

import (
	"context"
	"strings"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
)

// The mail each event sends, queued in the event's own transaction so that
// the event and its mail are stored together or not at all. Nothing is
// queued when the store has no mail templates (mail is off).

// mailCaseOpened thanks the reporter of a new case and, for a critical
// case, tells every responder.
func (tx *Tx) mailCaseOpened(ctx context.Context, c *ally.Case) error {
	if tx.db.opts.Mail == nil {
		return nil
	}
	if !tx.automatic {
		if err := tx.mailTo(ctx, mailtext.Acknowledge, c, c.Reporter, true, nil); err != nil {
			return err
		}
	}
	if c.Severity != ally.SeverityCritical {
		return nil
	}
	told, roles := rolesAllowed("u.role", ally.IsToldOfCriticalCases)
	args := append([]any{ally.DefaultNotifySettings()[ally.NotifyCritical], ally.NotifyCritical}, roles...)
	people, err := collect(ctx, tx, scanResponder, `SELECT u.id, u.email, u.name, u.department,
		COALESCE(s.mode, ?) FROM users u LEFT JOIN notify_settings s ON s.user_id = u.id AND s.event = ?
		WHERE `+told+` AND NOT u.disabled AND u.id <> ? ORDER BY u.id`, append(args, c.ReporterID)...)
	if err != nil {
		return err
	}
	for _, r := range people {
		if err := tx.notify(ctx, ally.NotifyCritical, c, r.id, r.Person, r.mode, nil); err != nil {
			return err
		}
	}
	return nil
}

// responder is a responder to notify, with how they chose to hear of it.
type responder struct {
	ally.Person
	id   int64
	mode string
}

func scanResponder(row scanner) (*responder, error) {
	var r responder
	return &r, row.Scan(&r.id, &r.Email, &r.Name, &r.Department, &r.mode)
}

// mailMessage sends a message on c's timeline on by email: a responder's
// message to the reporter, or the reporter's message to the assignee.
// Internal notes are never mailed.
func (tx *Tx) mailMessage(ctx context.Context, c *ally.Case, author *ally.User, e *ally.Entry) error {
	if tx.db.opts.Mail == nil || e.Internal {
		return nil
	}
	vars := map[string]string{"message": e.Body, "author": author.Name}
	switch {
	case ally.ActsAsResponder(author, c):
		if tx.replied == nil {
			tx.replied = map[int64]bool{}
		}
		tx.replied[c.ID] = true
		if d := tx.verdict; d != nil {
			vars["action"] = ""
			if d.Blocked {
				vars["action"] = strings.TrimSpace(ally.CampaignBlocked)
			}
			return tx.mailTo(ctx, mailtext.Verdict(d.Verdict), c, c.Reporter, true, vars)
		}
		return tx.mailTo(ctx, mailtext.Reply, c, c.Reporter, true, vars)
	case author.ID == c.ReporterID && c.Assignee != nil:
		return tx.notifyAssignee(ctx, ally.NotifyReporterWrote, c, vars)
	}
	return nil
}

// notifyAssignee tells c's assignee of event, as they chose.
func (tx *Tx) notifyAssignee(ctx context.Context, event string, c *ally.Case, vars map[string]string) error {
	mode, err := tx.notifyMode(ctx, c.AssigneeID, event)
	if err != nil {
		return err
	}
	return tx.notify(ctx, event, c, c.AssigneeID, *c.Assignee, mode, vars)
}

// mailStatus closes the loop with the reporter when c becomes resolved.
// One message closes it: when a responder has just written to the reporter
// in this same transaction (a campaign's verdict, sent as a reply), that
// message does.
func (tx *Tx) mailStatus(ctx context.Context, c *ally.Case, prev ally.Status) error {
	if tx.db.opts.Mail == nil || c.Status != ally.StatusResolved || prev == ally.StatusResolved {
		return nil
	}
	if tx.replied[c.ID] {
		return nil
	}
	return tx.mailTo(ctx, mailtext.Resolve, c, c.Reporter, true, nil)
}

// mailAssigned tells a responder that c is now theirs, unless they took it
// themselves.
func (tx *Tx) mailAssigned(ctx context.Context, c *ally.Case, by *ally.User) error {
	if tx.db.opts.Mail == nil || c.Assignee == nil || c.AssigneeID == by.ID {
		return nil
	}
	return tx.notifyAssignee(ctx, ally.NotifyAssigned, c, nil)
}

// mailTo renders template name about c for p and queues it.
func (tx *Tx) mailTo(ctx context.Context, name string, c *ally.Case, p ally.Person, replyToCase bool,
	extra map[string]string) error {
	if p.NotSignedIn() { // no address: they follow the case by its link
		return nil
	}
	vars := tx.db.mailVars(c, p)
	for k, v := range extra {
		vars[k] = v
	}
	subject, body, err := tx.db.opts.Mail.Render(name, vars)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO outbox (kind, case_id, to_addr, subject, body, reply_case, status, next_at,
		created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		name, c.ID, p.Email, subject, body, replyToCase, ally.MailQueued, millis(tx.now), millis(tx.now))
	return err
}

// mailPerson renders template name for p, about no case, and queues it.
func (tx *Tx) mailPerson(ctx context.Context, name string, p ally.Person, extra map[string]string) error {
	if p.NotSignedIn() {
		return nil
	}
	vars := map[string]string{"first_name": ally.FirstName(p.Name)}
	for k, v := range extra {
		vars[k] = v
	}
	subject, body, err := tx.db.opts.Mail.Render(name, vars)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO outbox (kind, to_addr, subject, body, reply_case, status, next_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, name, p.Email, subject, body, false, ally.MailQueued, millis(tx.now),
		millis(tx.now))
	return err
}

// mailVars are the placeholders' values for mail about c to p.
func (db *DB) mailVars(c *ally.Case, p ally.Person) map[string]string {
	vars := map[string]string{
		"first_name": ally.FirstName(p.Name), "ref": c.Ref, "summary": c.Summary, "severity": string(c.Severity),
		"link": strings.TrimRight(db.opts.PublicURL, "/") + "/cases/" + c.Ref, "reporter_name": c.Reporter.Name,
		"title": c.Kind.PlainName(), "next_update": "soon", "first_aid": "",
	}
	if pb, ok := db.opts.Playbooks.Get(string(c.Kind)); ok {
		vars["title"] = pb.Title
		steps := pb.FirstAidFor(c.Answers)
		for i, s := range steps {
			steps[i] = "- " + s
		}
		vars["first_aid"] = strings.Join(steps, "\n")
		if ack, _ := pb.Targets(string(c.Severity)); ack > 0 {
			vars["next_update"] = ally.Within(ack)
		}
	}
	return vars
}
