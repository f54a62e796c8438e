package ally

import (
	"slices"
	"testing"
	"time"
)

func TestTargetOutcome(t *testing.T) {
	for _, tc := range []struct {
		name           string
		due, done, now int64
		counted, met   bool
	}{
		{"done early", 100, 50, 500, true, true},
		{"done on the dot", 100, 100, 500, true, true},
		{"done late", 100, 101, 500, true, false},
		{"not done, not due", 100, -1, 100, false, false},
		{"not done, overdue", 100, -1, 101, true, false},
	} {
		if counted, met := TargetOutcome(tc.due, tc.done, tc.now); counted != tc.counted || met != tc.met {
			t.Errorf("%s: TargetOutcome = %v, %v; want %v, %v", tc.name, counted, met, tc.counted, tc.met)
		}
	}
}

func TestSLAAndDeadlines(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { x := t0.Add(d); return &x }
	for _, tc := range []struct {
		name        string
		c           Case
		ack, res    time.Duration
		now         time.Duration
		breached    []string
		next        string // "" when there is no next deadline
		nextDue     time.Duration
		nextUpdateD time.Duration // NextUpdate - now
	}{
		{"no targets", Case{Status: StatusNew}, 0, 0, time.Hour, []string{}, "", 0, 75 * time.Minute},
		{"new, acknowledgement due", Case{Status: StatusNew}, time.Hour, 8 * time.Hour, 30 * time.Minute,
			[]string{}, "acknowledge", time.Hour, 30 * time.Minute},
		{"new, acknowledgement overdue", Case{Status: StatusNew}, time.Hour, 8 * time.Hour, 2 * time.Hour,
			[]string{"acknowledge"}, "acknowledge", time.Hour, 75 * time.Minute},
		{"acknowledged late, fix overdue",
			Case{Status: StatusInvestigating, AcknowledgedAt: at(90 * time.Minute)}, time.Hour, 8 * time.Hour,
			9 * time.Hour, []string{"acknowledge", "resolve"}, "resolve", 8 * time.Hour, 75 * time.Minute},
		{"resolved in time: nothing next",
			Case{Status: StatusResolved, AcknowledgedAt: at(time.Minute), ResolvedAt: at(time.Hour)},
			time.Hour, 8 * time.Hour, 48 * time.Hour, []string{}, "", 0, 75 * time.Minute},
	} {
		c := tc.c
		c.ReportedAt = t0
		now := t0.Add(tc.now)
		c.FixSLA(tc.ack, tc.res, "v1")
		c.CheckSLA(now)
		if !slices.Equal(c.SLA.Breached, tc.breached) {
			t.Errorf("%s: breached %v, want %v", tc.name, c.SLA.Breached, tc.breached)
		}
		if (c.SLA.AcknowledgeBy != nil) != (tc.ack > 0) || (c.SLA.ResolveBy != nil) != (tc.res > 0) {
			t.Errorf("%s: targets %+v", tc.name, c.SLA)
		}
		d, ok := c.NextDeadline()
		if ok != (tc.next != "") || d.Target != tc.next || (ok && !d.Due.Equal(t0.Add(tc.nextDue))) {
			t.Errorf("%s: NextDeadline = %+v, %v; want %s at +%v", tc.name, d, ok, tc.next, tc.nextDue)
		}
		if got := c.NextUpdate(now).Sub(now); got != tc.nextUpdateD {
			t.Errorf("%s: NextUpdate in %v, want %v", tc.name, got, tc.nextUpdateD)
		}
	}
}

func TestNewGuidance(t *testing.T) {
	if g := NewGuidance("", nil); g.Message != Reassurance || g.Steps == nil || len(g.Steps) != 0 {
		t.Errorf("no playbook: %+v", g)
	}
	steps := []string{"Unplug it."}
	g := NewGuidance("Stay calm.", steps)
	steps[0] = "changed"
	if g.Message != "Stay calm." || !slices.Equal(g.Steps, []string{"Unplug it."}) {
		t.Errorf("playbook guidance: %+v", g)
	}
}
