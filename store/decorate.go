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
