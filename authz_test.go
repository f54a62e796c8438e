package ally_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// TestAuthorisationMatrix checks every rule in authz.go for every kind of
// caller: nobody, a case's reporter, another reporter, a responder, the
// case's assignee, a lead, an admin, disabled accounts and the operator.
func TestAuthorisationMatrix(t *testing.T) {
	op := ally.UserFromContext(ally.NewOperatorContext(context.Background()))
	callers := map[string]*ally.User{
		"nobody":    nil,
		"reporter":  {ID: 1, Email: "r@example.org", Role: ally.RoleReporter},
		"other":     {ID: 2, Email: "o@example.org", Role: ally.RoleReporter},
		"responder": {ID: 3, Email: "s@example.org", Role: ally.RoleResponder},
		"assignee":  {ID: 4, Email: "a@example.org", Role: ally.RoleResponder},
		"lead":      {ID: 5, Email: "l@example.org", Role: ally.RoleLead},
		"admin":     {ID: 6, Email: "d@example.org", Role: ally.RoleAdmin},
		"disabled":  {ID: 7, Email: "x@example.org", Role: ally.RoleAdmin, Disabled: true},
		// The case's reporter and its assignee, disabled since.
		"disabled-reporter": {ID: 1, Email: "r@example.org", Role: ally.RoleReporter, Disabled: true},
		"disabled-assignee": {ID: 4, Email: "a@example.org", Role: ally.RoleResponder, Disabled: true},
		"operator":          op,
		"integration":       {ID: 8, Email: "siem@integration.invalid", Role: ally.RoleIntegration},
		"disabled-integration": {ID: 8, Email: "siem@integration.invalid", Role: ally.RoleIntegration,
			Disabled: true},
	}
	open := &ally.Case{ReporterID: 1, AssigneeID: 4}
	secret := &ally.Case{ReporterID: 1, AssigneeID: 4, Confidential: true}
	ownSecret := &ally.Case{ReporterID: 3, Confidential: true} // a responder's own confidential report
	// Reported without signing in (issue 14).
	anon := &ally.Case{ReporterID: 1, AssigneeID: 4, Source: ally.SourceAnonymous}
	const (
		people = "reporter other responder assignee lead admin"
		triage = "responder assignee lead admin"
		leads  = "lead admin"
	)
	rules := []struct {
		name    string
		rule    func(u *ally.User) bool
		allowed string
	}{
		{"CanSeeCase(open)", func(u *ally.User) bool { return ally.CanSeeCase(u, open) }, "reporter " + triage},
		{"CanSeeCase(secret)", func(u *ally.User) bool { return ally.CanSeeCase(u, secret) }, "reporter assignee " + leads},
		{"CanSeeCase(ownSecret)", func(u *ally.User) bool { return ally.CanSeeCase(u, ownSecret) }, "responder " + leads},
		{"SeesAllCases", ally.SeesAllCases, leads},
		{"CaseScopeOf=ScopeOwn", func(u *ally.User) bool { return ally.CaseScopeOf(u) == ally.ScopeOwn }, "reporter other"},
		{"CaseScopeOf=ScopeShared", func(u *ally.User) bool { return ally.CaseScopeOf(u) == ally.ScopeShared },
			"responder assignee"},
		{"CaseScopeOf=ScopeNone", func(u *ally.User) bool { return ally.CaseScopeOf(u) == ally.ScopeNone },
			"nobody disabled disabled-reporter disabled-assignee operator integration disabled-integration"},
		{"CanSignIn", ally.CanSignIn, people},
		{"CanReport", ally.CanReport, people},
		{"CanTriage", ally.CanTriage, triage},
		{"CanLinkCases", ally.CanLinkCases, triage},
		{"CanListDepartments", ally.CanListDepartments, leads + " operator"},
		{"ActsAsResponder(open)", func(u *ally.User) bool { return ally.ActsAsResponder(u, open) }, triage},
		{"ActsAsResponder(ownSecret)", func(u *ally.User) bool { return ally.ActsAsResponder(u, ownSecret) },
			"assignee " + leads},
		{"CanExportPersonData(reporter)", func(u *ally.User) bool { return ally.CanExportPersonData(u, callers["reporter"]) },
			"reporter admin operator"},
		{"CanErasePerson(reporter)", func(u *ally.User) bool { return ally.CanErasePerson(u, callers["reporter"]) },
			"admin operator"},
		{"CanErasePerson(admin)", func(u *ally.User) bool { return ally.CanErasePerson(u, callers["admin"]) }, "operator"},
		{"CanManageRetention", ally.CanManageRetention, "admin operator"},
		{"CanManageBackups", ally.CanManageBackups, "operator"},
		{"CanSeeInternal", ally.CanSeeInternal, triage},
		{"CanBeAssigned", ally.CanBeAssigned, triage},
		{"CanAttach(open)", func(u *ally.User) bool { return ally.CanAttach(u, open) }, "reporter " + triage},
		{"CanAttach(secret)", func(u *ally.User) bool { return ally.CanAttach(u, secret) }, "reporter assignee " + leads},
		{"CanRevokeFollow(anon)", func(u *ally.User) bool { return ally.CanRevokeFollow(u, anon) }, triage},
		{"CanRevokeFollow(open)", func(u *ally.User) bool { return ally.CanRevokeFollow(u, open) }, ""},
		{"CanGiveFeedback(open)", func(u *ally.User) bool { return ally.CanGiveFeedback(u, open) }, "reporter"},
		{"CanSeeTask(reporter's)", func(u *ally.User) bool { return ally.CanSeeTask(u, ally.OwnerReporter) }, people},
		{"CanSeeTask(responders')", func(u *ally.User) bool { return ally.CanSeeTask(u, ally.OwnerResponder) }, triage},
		{"CanTickTask(reporter's)", func(u *ally.User) bool { return ally.CanTickTask(u, open, ally.OwnerReporter) },
			"reporter " + triage},
		{"CanTickTask(responders')", func(u *ally.User) bool { return ally.CanTickTask(u, open, ally.OwnerResponder) },
			triage},
		{"CanSeeCampaigns", ally.CanSeeCampaigns, triage},
		{"CanChooseNotifications", ally.CanChooseNotifications, triage},
		{"IsToldOfCriticalCases", ally.IsToldOfCriticalCases, triage},
		{"CanReadMetrics", ally.CanReadMetrics, leads + " operator"},
		{"CanTeachMail", ally.CanTeachMail, leads + " operator"},
		{"CanReadAudit", ally.CanReadAudit, leads + " operator"},
		{"CanPublishLessons", ally.CanPublishLessons, leads},
		{"CanReadLessons", ally.CanReadLessons, people + " operator"},
		{"CanPractise", ally.CanPractise, triage},
		{"CanSeePractice(responder's)", func(u *ally.User) bool { return ally.CanSeePractice(u, 3) }, "responder " + leads},
		{"CanContinuePractice(responder's)", func(u *ally.User) bool { return ally.CanContinuePractice(u, 3) },
			"responder"},
		{"CanSeeEveryonesPractice", ally.CanSeeEveryonesPractice, leads + " operator"},
		{"CanListUsers", ally.CanListUsers, triage + " operator"},
		{"CanManageUsers", ally.CanManageUsers, "admin operator"},
		{"CanChangeAccount(reporter)", func(u *ally.User) bool { return ally.CanChangeAccount(u, callers["reporter"]) },
			"admin operator"},
		{"CanChangeAccount(admin)", func(u *ally.User) bool { return ally.CanChangeAccount(u, callers["admin"]) },
			"operator"}, // never one's own
		{"CanChangeAccount(erased)", func(u *ally.User) bool {
			_, email := ally.Pseudonym(1)
			return ally.CanChangeAccount(u, &ally.User{ID: 1, Email: email, Role: ally.RoleReporter, Disabled: true})
		}, ""}, // nobody brings an erased person back
		{"CanErasePerson(erased)", func(u *ally.User) bool {
			_, email := ally.Pseudonym(1)
			return ally.CanErasePerson(u, &ally.User{ID: 1, Email: email, Role: ally.RoleReporter, Disabled: true})
		}, "admin operator"},
		{"CanCreateToken(reporter's)", func(u *ally.User) bool { return ally.CanCreateToken(u, "r@example.org") },
			"reporter admin operator"},
		{"CanChangeOwnPassword", ally.CanChangeOwnPassword, people},
		{"CanBulkLoad", ally.CanBulkLoad, "operator"},
		{"CanReadCounters", ally.CanReadCounters, "operator"},
		{"CanUseToken", ally.CanUseToken, people + " integration"},
		{"CanSendSignals", ally.CanSendSignals, "integration"},
		{"CanSeeSignal(integration's)", func(u *ally.User) bool { return ally.CanSeeSignal(u, 8) },
			triage + " integration"},
		{"CanSeeSignal(another's)", func(u *ally.User) bool { return ally.CanSeeSignal(u, 9) }, triage},
		{"CanCreateIntegration", ally.CanCreateIntegration, "admin operator"},
		{"CanManageWebhooks", ally.CanManageWebhooks, "admin operator"},
	}
	for _, r := range rules {
		allowed := strings.Fields(r.allowed)
		for _, name := range allowed {
			if _, ok := callers[name]; !ok {
				t.Fatalf("%s: no caller %q", r.name, name)
			}
		}
		for name, u := range callers {
			if got, want := r.rule(u), slices.Contains(allowed, name); got != want {
				t.Errorf("%s for %s = %t, want %t", r.name, name, got, want)
			}
		}
	}
}

// TestCallerFailsClosed checks who acts in a context: nobody is
// EUNAUTHORIZED, a refused rule EFORBIDDEN with its message, and the
// operator only where a context says so explicitly.
func TestCallerFailsClosed(t *testing.T) {
	bare := context.Background()
	if _, err := ally.Caller(bare); ally.ErrorCode(err) != ally.EUNAUTHORIZED {
		t.Fatalf("Caller with nobody: %v", err)
	}
	if _, err := ally.Allowed(bare, func(*ally.User) bool { return true }, "no"); ally.ErrorCode(err) != ally.EUNAUTHORIZED {
		t.Fatalf("Allowed with nobody: %v", err)
	}
	rita := &ally.User{ID: 3, Role: ally.RoleResponder}
	_, err := ally.Allowed(ally.NewContextWithUser(bare, rita), ally.CanManageUsers, "Only admins can manage accounts.")
	if ally.ErrorCode(err) != ally.EFORBIDDEN || ally.ErrorMessage(err) != "Only admins can manage accounts." {
		t.Fatalf("Allowed refused: %v", err)
	}
	if u, err := ally.Allowed(ally.NewContextWithUser(bare, rita), ally.CanTriage, "no"); u != rita || err != nil {
		t.Fatalf("Allowed = %v, %v", u, err)
	}
	op := ally.NewOperatorContext(bare)
	if u, err := ally.Caller(op); err != nil || !u.IsOperator() || u.Role != ally.RoleAdmin {
		t.Fatalf("operator = %+v, %v", u, err)
	}
	// A signed-in user set over an operator context acts as themselves.
	if u := ally.UserFromContext(ally.NewContextWithUser(op, rita)); u != rita || u.IsOperator() {
		t.Fatalf("user over operator = %+v", u)
	}
	if (&ally.User{Role: ally.RoleAdmin}).IsOperator() || (*ally.User)(nil).IsOperator() {
		t.Fatal("an account or nobody counts as the operator")
	}
}

// TestRolesWhere checks the role lists the store puts into SQL (who may own
// cases, who is told of critical cases): each is exactly the ranked roles
// whose people the rule allows, never the integration role.
func TestRolesWhere(t *testing.T) {
	staff := []ally.Role{ally.RoleResponder, ally.RoleLead, ally.RoleAdmin}
	for name, tc := range map[string]struct {
		rule func(*ally.User) bool
		want []ally.Role
	}{
		"CanBeAssigned":         {ally.CanBeAssigned, staff},
		"IsToldOfCriticalCases": {ally.IsToldOfCriticalCases, staff},
		"CanManageUsers":        {ally.CanManageUsers, []ally.Role{ally.RoleAdmin}},
		"CanReport":             {ally.CanReport, ally.Roles},
		"CanSendSignals":        {ally.CanSendSignals, nil},
	} {
		if got := ally.RolesWhere(tc.rule); !slices.Equal(got, tc.want) {
			t.Errorf("RolesWhere(%s) = %v, want %v", name, got, tc.want)
		}
	}
}

// Session 7: the account made for a report sent without signing in has no
// password, so it may not change one, though it acts as a reporter
// otherwise.
func TestAnonymousAccountChangesNoPassword(t *testing.T) {
	anon := &ally.User{ID: 9, Email: "anon-1@" + ally.AnonymousDomain, Role: ally.RoleReporter}
	if !ally.CanReport(anon) || ally.CanChangeOwnPassword(anon) {
		t.Errorf("anonymous reporter: CanReport %t, CanChangeOwnPassword %t; want true, false",
			ally.CanReport(anon), ally.CanChangeOwnPassword(anon))
	}
}
