package ally_test

import (
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

func TestStatusTransitions(t *testing.T) {
	allowed := map[ally.Status][]ally.Status{
		ally.StatusNew:           {ally.StatusAcknowledged, ally.StatusInvestigating, ally.StatusContained, ally.StatusResolved, ally.StatusClosed},
		ally.StatusAcknowledged:  {ally.StatusInvestigating, ally.StatusContained, ally.StatusResolved, ally.StatusClosed},
		ally.StatusInvestigating: {ally.StatusContained, ally.StatusResolved, ally.StatusClosed},
		ally.StatusContained:     {ally.StatusResolved, ally.StatusClosed},
		ally.StatusResolved:      {ally.StatusClosed, ally.StatusInvestigating},
		ally.StatusClosed:        {ally.StatusInvestigating},
	}
	for _, from := range ally.Statuses {
		for _, to := range append(ally.Statuses, "bogus") {
			want := false
			for _, a := range allowed[from] {
				want = want || a == to
			}
			if got := from.CanMoveTo(to); got != want {
				t.Errorf("%s → %s: %v, want %v", from, to, got, want)
			}
		}
	}
}

func TestSetStatusStampsSkippedStatusesOnce(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	c := &ally.Case{Status: ally.StatusNew}
	if err := c.SetStatus(ally.StatusResolved, t0); err != nil {
		t.Fatal(err)
	}
	for name, ts := range map[string]*time.Time{"acknowledged": c.AcknowledgedAt, "contained": c.ContainedAt, "resolved": c.ResolvedAt} {
		if ts == nil || !ts.Equal(t0) {
			t.Errorf("%s_at = %v, want %v", name, ts, t0)
		}
	}
	if c.ClosedAt != nil {
		t.Error("closed_at set before closing")
	}
	t1 := t0.Add(time.Hour)
	if err := c.SetStatus(ally.StatusInvestigating, t1); err != nil {
		t.Fatal(err)
	}
	if err := c.SetStatus(ally.StatusClosed, t1); err != nil {
		t.Fatal(err)
	}
	if !c.ResolvedAt.Equal(t0) || !c.ClosedAt.Equal(t1) {
		t.Errorf("reopen and close moved stamps: resolved %v closed %v", c.ResolvedAt, c.ClosedAt)
	}
	if err := c.SetStatus(ally.StatusNew, t1); ally.ErrorCode(err) != ally.EINVALID {
		t.Errorf("closed → new: %v", err)
	}
}

func TestCaseRefs(t *testing.T) {
	if r := ally.CaseRef(42); r != "AL-1042" {
		t.Fatalf("CaseRef(42) = %s", r)
	}
	for ref, want := range map[string]int64{"AL-1042": 42, "al-1001": 1} {
		if id, err := ally.ParseCaseRef(ref); err != nil || id != want {
			t.Errorf("%s → %d %v", ref, id, err)
		}
	}
	for _, bad := range []string{"", "AL-", "AL-1000", "AL-x", "1042", "XY-1042", "AL--5"} {
		if _, err := ally.ParseCaseRef(bad); ally.ErrorCode(err) != ally.ENOTFOUND {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}

func TestNewCaseValidate(t *testing.T) {
	for _, n := range []ally.NewCase{{}, {Kind: "x"}, {Kind: ally.KindOther, Details: string(make([]byte, ally.MaxDetails+1))}} {
		if err := n.Validate(); ally.ErrorCode(err) != ally.EINVALID {
			t.Errorf("%+v: %v", n, err)
		}
	}
	ok := ally.NewCase{Kind: ally.KindLostDevice, Answers: map[string]string{"encrypted": "no"}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
}

// Issue 20 F15: an occurred_at before 2000 or more than a few minutes ahead
// is refused with a message that says what to do; plausible times pass.
func TestCheckOccurredAt(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	at := func(s string) *time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return &v
	}
	for _, tc := range []struct {
		at   *time.Time
		want string // "" accepted, else a word of the message
	}{
		{nil, ""},
		{at("2026-11-27T08:00:00Z"), ""},
		{at("2000-01-01T00:00:00Z"), ""},
		{at("2026-11-27T09:04:00Z"), ""}, // a clock a little fast
		{at("0000-01-01T00:00:00Z"), "before 2000"},
		{at("1999-12-31T23:59:59Z"), "before 2000"},
		{at("2026-11-27T09:06:00Z"), "future"},
		{at("9999-01-01T00:00:00Z"), "future"},
	} {
		err := ally.CheckOccurredAt(tc.at, now)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v refused: %v", tc.at, err)
		case tc.want != "" && (ally.ErrorCode(err) != ally.EINVALID || !strings.Contains(ally.ErrorMessage(err), tc.want)):
			t.Errorf("%v: got %v, want EINVALID saying %q", tc.at, err, tc.want)
		}
	}
}
