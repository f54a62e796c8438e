package ally

import (
	"fmt"
	"time"
)

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

// FixSLA sets c's SLA targets, counted from when it was reported, from how
// long after the report it should be acknowledged and resolved (0: no
// target) under its playbook (version names that playbook's text). The
// targets are fixed when the clock starts, at the report, and again when
// the severity changes; they are stored with the case and never worked out
// at a read, so that editing a playbook changes new cases only.
func (c *Case) FixSLA(acknowledge, resolve time.Duration, version string) {
	at := func(target time.Duration) *time.Time {
		if target <= 0 {
			return nil
		}
		by := c.ReportedAt.Add(target)
		return &by
	}
	c.SLA = SLA{AcknowledgeBy: at(acknowledge), ResolveBy: at(resolve), PlaybookVersion: version,
		Breached: []string{}}
}

// CheckSLA fills c.SLA.Breached with the stored targets c missed, or is
// overdue on, at time now (see TargetOutcome).
func (c *Case) CheckSLA(now time.Time) {
	c.SLA.Breached = []string{}
	check := func(name string, by, done *time.Time) {
		if by == nil {
			return
		}
		doneMS := int64(-1)
		if done != nil {
			doneMS = done.UnixMilli()
		}
		if counted, met := TargetOutcome(by.UnixMilli(), doneMS, now.UnixMilli()); counted && !met {
			c.SLA.Breached = append(c.SLA.Breached, name)
		}
	}
	check("acknowledge", c.SLA.AcknowledgeBy, c.AcknowledgedAt)
	check("resolve", c.SLA.ResolveBy, c.ResolvedAt)
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

// Within says an SLA target the way a person would, rounded up so that it
// never promises sooner than the target: "within 4 hours".
func Within(d time.Duration) string {
	unit, size := "minute", time.Minute
	switch {
	case d > 48*time.Hour:
		unit, size = "day", 24*time.Hour
	case d >= time.Hour:
		unit, size = "hour", time.Hour
	}
	n := int((d + size - 1) / size)
	if n == 1 {
		return "within 1 " + unit
	}
	return fmt.Sprintf("within %d %ss", n, unit)
}
