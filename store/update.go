package store

import (
	"context"
	"fmt"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/tone"
)

// UpdateCase implements ally.CaseService.
func (db *DB) UpdateCase(ctx context.Context, ref string, up ally.CaseUpdate) (_ *ally.Case, err error) {
	defer wrap(&err, "update case")
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	// Only someone who may triage is told what is wrong with an update:
	// anyone else is refused by updateCase (404 for a case they may not
	// see, else 403), not asked to word a change they may not make.
	var checked *tone.Result
	if ally.CanTriage(u) {
		if err := up.Validate(); err != nil {
			return nil, err
		}
		checked = db.outcomeCheck(u, up)
	}
	var c *ally.Case
	err = db.withTx(ctx, func(tx *Tx) error {
		c, err = tx.updateCase(ctx, u, ref, up, checked)
		return err
	})
	if err != nil {
		return nil, err
	}
	db.decorate(c)
	return c, nil
}

// updateCase applies a validated update by u to the case ref.
// outcomeCheck runs the tone check of an update's outcome message once,
// before the write, as for any reply; nil when there is none.
func (db *DB) outcomeCheck(u *ally.User, up ally.CaseUpdate) *tone.Result {
	if up.OutcomeText() == "" {
		return nil
	}
	return db.checkMessage(u, ally.NewMessage{Body: up.OutcomeText(), Confirmed: up.Confirmed})
}

// updateCase applies up to the case ref as u, in tx: the one path for a
// single update and each case of a bulk one. checked is the outcome
// message's tone check (outcomeCheck).
func (tx *Tx) updateCase(ctx context.Context, u *ally.User, ref string, up ally.CaseUpdate,
	checked *tone.Result) (*ally.Case, error) {
	c, err := tx.visibleCase(ctx, ref)
	if err != nil {
		return nil, err
	}
	outcome := ally.NewMessage{Body: up.OutcomeText(), Confirmed: up.Confirmed}
	if !ally.CanTriage(u) {
		return nil, ally.Errorf(ally.EFORBIDDEN, "Only responders can change a case's status, severity or assignee.")
	}
	if err := up.CheckOutcome(c.Status); err != nil {
		return nil, err
	}
	if outcome.Body != "" && ally.NeedsOutcome(c.Status, *up.Status) {
		// The outcome goes out as a reply first: its mail is the one
		// that closes the loop (mailStatus sends no second one).
		if _, err := tx.postMessage(ctx, c, u, outcome, checked); err != nil {
			return nil, err
		}
	}
	oldStatus, oldConf := c.Status, c.Confidential
	if up.Status != nil && *up.Status != c.Status {
		if err := tx.changeStatus(ctx, c, *up.Status, u); err != nil {
			return nil, err
		}
	}
	if up.Severity != nil && *up.Severity != c.Severity {
		body := fmt.Sprintf("Severity changed from %s to %s.", c.Severity, *up.Severity)
		c.Severity = *up.Severity
		tx.db.fixSLA(c) // the new severity's targets, from the report
		if _, err := tx.addEntry(ctx, c.ID, ally.EntrySeverity, u.ID, body, true, nil); err != nil {
			return nil, err
		}
		if err := tx.audit(ctx, "case.severity", c.Ref, string(c.Severity)); err != nil {
			return nil, err
		}
		if err := tx.emit(ctx, ally.EventCaseSeverityChanged, c, nil); err != nil {
			return nil, err
		}
	}
	if up.Assignee != nil {
		if err := tx.assign(ctx, c, *up.Assignee, u); err != nil {
			return nil, err
		}
	}
	if err := tx.saveCase(ctx, c); err != nil {
		return nil, err
	}
	if oldStatus != c.Status {
		if err := tx.count(ctx, oldStatus, oldConf, -1); err != nil {
			return nil, err
		}
		if err := tx.count(ctx, c.Status, c.Confidential, 1); err != nil {
			return nil, err
		}
		if err := tx.followDuplicates(ctx, c, u); err != nil { // their reporters follow this case
			return nil, err
		}
	}
	c.Feedback, err = tx.feedback(ctx, c.ID)
	return c, err
}

// moveCase changes c's status and saves it, keeping the counts in step.
func (tx *Tx) moveCase(ctx context.Context, c *ally.Case, next ally.Status, by *ally.User) error {
	prev := c.Status
	if err := tx.changeStatus(ctx, c, next, by); err != nil {
		return err
	}
	if err := tx.count(ctx, prev, c.Confidential, -1); err != nil {
		return err
	}
	if err := tx.count(ctx, c.Status, c.Confidential, 1); err != nil {
		return err
	}
	return tx.saveCase(ctx, c)
}

// changeStatus moves c through the lifecycle, records it on the timeline
// (visible to the reporter) and in the audit log.
func (tx *Tx) changeStatus(ctx context.Context, c *ally.Case, next ally.Status, by *ally.User) error {
	prev, wasAcked := c.Status, c.AcknowledgedAt != nil
	if err := c.SetStatus(next, tx.now); err != nil {
		return err
	}
	if !wasAcked && c.AcknowledgedAt != nil {
		if err := tx.observeAck(ctx, c.AcknowledgedAt.Sub(c.ReportedAt)); err != nil {
			return err
		}
	}
	if err := tx.mailStatus(ctx, c, prev); err != nil {
		return err
	}
	if err := tx.emitStatus(ctx, c, prev, wasAcked); err != nil {
		return err
	}
	body := fmt.Sprintf("Status changed from %s to %s.", prev, next)
	if _, err := tx.addEntry(ctx, c.ID, ally.EntryStatus, by.ID, body, false, nil); err != nil {
		return err
	}
	return tx.audit(ctx, "case.status", c.Ref, string(prev)+"->"+string(next))
}

func (tx *Tx) assign(ctx context.Context, c *ally.Case, email string, by *ally.User) error {
	var body string
	if email == "" {
		if c.AssigneeID == 0 {
			return nil
		}
		c.AssigneeID, c.Assignee, body = 0, nil, "Unassigned."
	} else {
		a, err := tx.userByEmail(ctx, email)
		if err != nil || !ally.CanBeAssigned(a) {
			return ally.Errorf(ally.EINVALID, "assignee: %q is not an active responder, lead or admin.", email)
		}
		if a.ID == c.AssigneeID {
			return nil
		}
		p := a.Person()
		c.AssigneeID, c.Assignee, body = a.ID, &p, "Assigned to "+a.Name+"."
	}
	if _, err := tx.addEntry(ctx, c.ID, ally.EntryAssignment, by.ID, body, true, nil); err != nil {
		return err
	}
	if err := tx.mailAssigned(ctx, c, by); err != nil {
		return err
	}
	if c.Assignee != nil {
		if err := tx.emit(ctx, ally.EventCaseAssigned, c, nil); err != nil {
			return err
		}
	}
	return tx.audit(ctx, "case.assign", c.Ref, email)
}

// saveCase writes the mutable fields of c.
func (tx *Tx) saveCase(ctx context.Context, c *ally.Case) error {
	c.UpdatedAt = tx.now
	var assignee any
	if c.AssigneeID != 0 {
		assignee = c.AssigneeID
	}
	_, err := tx.exec(ctx, `UPDATE cases SET status = ?, severity = ?, priority = ?, assignee_id = ?, acknowledged_at = ?,
		contained_at = ?, resolved_at = ?, closed_at = ?, updated_at = ?, ack_due_at = ?, resolve_due_at = ?,
		sla_version = ?, due_at = ? WHERE id = ?`,
		c.Status, c.Severity, c.Priority(), assignee, nullMillis(c.AcknowledgedAt), nullMillis(c.ContainedAt),
		nullMillis(c.ResolvedAt), nullMillis(c.ClosedAt), millis(c.UpdatedAt), nullMillis(c.SLA.AcknowledgeBy),
		nullMillis(c.SLA.ResolveBy), c.SLA.PlaybookVersion, tx.db.dueAt(c), c.ID)
	if err != nil {
		return err
	}
	return tx.changed(ctx, c, ally.EventChanged)
}
