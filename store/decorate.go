package store

import (
	"github.com/allydesk/ally"
)

// decorate fills what is derived from the playbook rather than stored: the
// reporter's guidance and the SLA targets and breaches (rules in ally/sla.go).
func (db *DB) decorate(c *ally.Case) {
	pb, ok := db.opts.Playbooks.Get(string(c.Kind))
	if !ok {
		c.Guidance, c.SLA = ally.NewGuidance("", nil), ally.NewSLA(c, 0, 0, db.opts.Now())
		return
	}
	ack, resolve := pb.Targets(string(c.Severity))
	c.Guidance, c.SLA = ally.NewGuidance(pb.Message, pb.FirstAid), ally.NewSLA(c, ack, resolve, db.opts.Now())
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
