package ally_test

import (
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

// TestAuthorisationMatrix checks each rule in authz.go for every role on an
// ordinary and a confidential case.
func TestAuthorisationMatrix(t *testing.T) {
	users := map[string]*ally.User{
		"reporter": {ID: 1, Role: ally.RoleReporter}, "other-reporter": {ID: 2, Role: ally.RoleReporter},
		"responder": {ID: 3, Role: ally.RoleResponder}, "assignee": {ID: 4, Role: ally.RoleResponder},
		"lead": {ID: 5, Role: ally.RoleLead}, "admin": {ID: 6, Role: ally.RoleAdmin},
		"disabled": {ID: 7, Role: ally.RoleAdmin, Disabled: true},
		// A disabled reporter whose case it is, and a disabled assignee.
		"disabled-reporter": {ID: 1, Role: ally.RoleReporter, Disabled: true},
		"disabled-assignee": {ID: 4, Role: ally.RoleResponder, Disabled: true},
	}
	open := &ally.Case{ReporterID: 1, AssigneeID: 4}
	secret := &ally.Case{ReporterID: 1, AssigneeID: 4, Confidential: true}
	type row struct{ seeOpen, seeSecret, triage, metrics, manage, feedback bool }
	want := map[string]row{
		"reporter":          {true, true, false, false, false, true},
		"other-reporter":    {false, false, false, false, false, false},
		"responder":         {true, false, true, false, false, false},
		"assignee":          {true, true, true, false, false, false},
		"lead":              {true, true, true, true, false, false},
		"admin":             {true, true, true, true, true, false},
		"disabled":          {false, false, false, false, false, false},
		"disabled-reporter": {false, false, false, false, false, false},
		"disabled-assignee": {false, false, false, false, false, false},
	}
	for name, u := range users {
		got := row{ally.CanSeeCase(u, open), ally.CanSeeCase(u, secret), ally.CanTriage(u), ally.CanReadMetrics(u),
			ally.CanManageUsers(u), ally.CanGiveFeedback(u, open)}
		if got != want[name] {
			t.Errorf("%s: got %+v, want %+v", name, got, want[name])
		}
	}
	if ally.CanSeeCase(nil, open) || ally.CanTriage(nil) || ally.CanTickTask(nil, open, ally.OwnerReporter) ||
		ally.CanTickTask(users["disabled-reporter"], open, ally.OwnerReporter) {
		t.Error("an anonymous caller is allowed something")
	}
	if !ally.CanTickTask(users["reporter"], open, ally.OwnerReporter) || ally.CanTickTask(users["reporter"], open, ally.OwnerResponder) {
		t.Error("reporter task ticking rules")
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
