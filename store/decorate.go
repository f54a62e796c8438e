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
