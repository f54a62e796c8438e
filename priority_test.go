package ally

import "testing"

func TestPriority(t *testing.T) {
	for _, tc := range []struct {
		st   Status
		sev  Severity
		want int
	}{
		{StatusNew, SeverityCritical, 0},
		{StatusNew, SeverityLow, 3},
		{StatusAcknowledged, SeverityCritical, 10},
		{StatusContained, SeverityLow, 13},
		{StatusResolved, SeverityCritical, 20},
		{StatusClosed, SeverityLow, 23},
	} {
		c := &Case{Status: tc.st, Severity: tc.sev}
		if got := c.Priority(); got != tc.want {
			t.Errorf("%s %s: Priority = %d, want %d", tc.st, tc.sev, got, tc.want)
		}
		if open := c.Priority() < OpenPriorityLimit; open != tc.st.Open() {
			t.Errorf("%s: below OpenPriorityLimit = %v, but Open = %v", tc.st, open, tc.st.Open())
		}
	}
}
