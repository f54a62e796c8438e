package ally

import "time"

// Reassurance is what a reporter is told when their kind of case has no
// playbook message.
const Reassurance = "Thank you for telling us. You did the right thing, and we will help you from here."

// NewGuidance returns what a reporter is told right after reporting: the
// playbook's message (Reassurance when it has none) and its first-aid steps.
func NewGuidance(message string, firstAid []string) Guidance {
	g := Guidance{Message: Reassurance, Steps: append([]string{}, firstAid...)}
	if message != "" {
		g.Message = message
	}
	return g
}

// NewSLA returns c's service targets at time now, given how long after the
// report it should be acknowledged and resolved (0: no target), and which
// of them were missed (see TargetOutcome).
func NewSLA(c *Case, acknowledge, resolve time.Duration, now time.Time) SLA {
	s := SLA{Breached: []string{}}
	set := func(name string, target time.Duration, done *time.Time) *time.Time {
		if target <= 0 {
			return nil
		}
		by := c.ReportedAt.Add(target)
		doneMS := int64(-1)
		if done != nil {
			doneMS = done.UnixMilli()
		}
		if counted, met := TargetOutcome(by.UnixMilli(), doneMS, now.UnixMilli()); counted && !met {
			s.Breached = append(s.Breached, name)
		}
		return &by
	}
	s.AcknowledgeBy = set("acknowledge", acknowledge, c.AcknowledgedAt)
	s.ResolveBy = set("resolve", resolve, c.ResolvedAt)
	return s
}

// TargetOutcome is the one SLA rule, for a case page and the team metrics
// alike: a target due at due counts once the work is done (done ≥ 0) or
// once it is overdue, and is met when done by due. Times are Unix
// milliseconds; done < 0 means not done yet.
func TargetOutcome(due, done, now int64) (counted, met bool) {
	if done >= 0 {
		return true, done <= due
	}
	return now > due, false
}

// Deadline is the next SLA target an open case must meet.
type Deadline struct {
	Target string // "acknowledge" or "resolve"
	Due    time.Time
}

// NextDeadline returns the target c must meet next: acknowledgement until
// it is acknowledged, then resolution. ok is false for a finished case or
// one without that target.
func (c *Case) NextDeadline() (Deadline, bool) {
	d, due := Deadline{Target: "acknowledge"}, c.SLA.AcknowledgeBy
	if c.AcknowledgedAt != nil {
		d.Target, due = "resolve", c.SLA.ResolveBy
	}
	if !c.Status.Open() || due == nil {
		return Deadline{}, false
	}
	d.Due = *due
	return d, true
}

// NextUpdate is when the reporter should next hear from us: the
// acknowledgement target while it is unacknowledged and not yet due,
// otherwise the quarter hour after an hour from now.
func (c *Case) NextUpdate(now time.Time) time.Time {
	if c.AcknowledgedAt == nil && c.SLA.AcknowledgeBy != nil && c.SLA.AcknowledgeBy.After(now) {
		return *c.SLA.AcknowledgeBy
	}
	return now.Add(time.Hour).Truncate(15 * time.Minute).Add(15 * time.Minute)
}
