package store

import (
	"github.com/allydesk/ally"
)

// decorate fills what is derived rather than stored: the reporter's
// guidance from the playbook, and which of the case's stored SLA targets
// were missed by now (rules in ally/sla.go).
func (db *DB) decorate(c *ally.Case) {
	c.CheckSLA(db.opts.Now())
	pb, ok := db.opts.Playbooks.Get(string(c.Kind))
	if !ok {
		c.Guidance = ally.NewGuidance("", nil)
		return
	}
	c.Guidance = ally.NewGuidance(pb.Message, pb.FirstAidFor(c.Answers))
}

// noDue is the due_at of a case without a next deadline: far in the future,
// so that such cases sort last (first in reverse) on both engines.
const noDue int64 = 9_000_000_000_000_000

// dueAt is the stored sort key of c's next deadline (ally.Case.NextDeadline),
// as its playbook sets it now.
func (db *DB) dueAt(c *ally.Case) int64 {
	d := *c
	db.decorate(&d)
	if next, ok := d.NextDeadline(); ok {
		return millis(next.Due)
	}
	return noDue
}
