package store

import (
	"time"

	"github.com/allydesk/ally"
)

// reassurance is shown when a kind has no playbook message.
const reassurance = "Thank you for telling us. You did the right thing, and we will help you from here."

// decorate fills what is derived from the playbook rather than stored: the
// reporter's guidance and the SLA targets and breaches.
func (db *DB) decorate(c *ally.Case) {
	c.Guidance = ally.Guidance{Message: reassurance, Steps: []string{}}
	c.SLA = ally.SLA{Breached: []string{}}
	pb, ok := db.opts.Playbooks.Get(string(c.Kind))
	if !ok {
		return
	}
	if pb.Message != "" {
		c.Guidance.Message = pb.Message
	}
	c.Guidance.Steps = append(c.Guidance.Steps, pb.FirstAid...)
	ack, resolve := pb.Targets(string(c.Severity))
	now := db.opts.Now()
	if ack > 0 {
		by := c.ReportedAt.Add(ack)
		c.SLA.AcknowledgeBy = &by
		if missed(c.AcknowledgedAt, by, now) {
			c.SLA.Breached = append(c.SLA.Breached, "acknowledge")
		}
	}
	if resolve > 0 {
		by := c.ReportedAt.Add(resolve)
		c.SLA.ResolveBy = &by
		if missed(c.ResolvedAt, by, now) {
			c.SLA.Breached = append(c.SLA.Breached, "resolve")
		}
	}
}

// missed reports whether a target was missed: done late, or not done and due.
func missed(done *time.Time, by, now time.Time) bool {
	if done != nil {
		return done.After(by)
	}
	return now.After(by)
}
