package ally

import (
	"context"
	"strings"
)

// Authorisation rules live here, in one place; the store and the web layer
// call these and nothing else decides who may do what. Every predicate is
// false for nil (nobody signed in) and for disabled accounts. The operator
// (NewOperatorContext) is an admin for accounts, the audit log, team figures
// and bulk loading, but is no person: it reports, triages, practises and
// sees no cases.

// active reports whether u is a signed-in account that is not disabled, or
// the operator; every rule below starts from it.
func active(u *User) bool { return u != nil && !u.Disabled }

// person reports whether u is an active account of a real person, not the
// operator nor an integration: the rules for work that is recorded under
// someone's name.
func person(u *User) bool { return active(u) && !u.operator && u.Role != RoleIntegration }

// CaseScope is which cases a user sees; CanSeeCase decides one case by it
// and the store turns it into its query filter and its counts.
type CaseScope int

// Case scopes, narrowest first.
const (
	ScopeNone   CaseScope = iota // no cases: nobody signed in, a disabled account, the operator
	ScopeOwn                     // only the cases they reported
	ScopeShared                  // their own, every case that is not confidential, and confidential ones assigned to them
	ScopeAll                     // every case
)

// CaseScopeOf returns which cases u sees. Reporters see their own cases;
// responders every case except confidential ones, which only leads, admins
// and the assignee see.
func CaseScopeOf(u *User) CaseScope {
	switch {
	case !person(u):
		return ScopeNone
	case u.Role.AtLeast(RoleLead):
		return ScopeAll
	case u.Role.AtLeast(RoleResponder):
		return ScopeShared
	default:
		return ScopeOwn
	}
}

// CanSeeCase reports whether u may see case c at all.
func CanSeeCase(u *User, c *Case) bool {
	switch CaseScopeOf(u) {
	case ScopeAll:
		return true
	case ScopeShared:
		return c.ReporterID == u.ID || !c.Confidential || c.AssigneeID == u.ID
	case ScopeOwn:
		return c.ReporterID == u.ID
	default:
		return false
	}
}

// SeesAllCases reports whether u sees confidential cases they are not
// assigned to.
func SeesAllCases(u *User) bool { return CaseScopeOf(u) == ScopeAll }

// CanSignIn reports whether the account u may sign in, or go on using a
// session or API token: any that is not disabled.
func CanSignIn(u *User) bool { return person(u) }

// CanReport reports whether u may report a concern: any person signed in.
func CanReport(u *User) bool { return person(u) }

// CanTriage reports whether u may change status, severity and assignee and
// write internal notes.
func CanTriage(u *User) bool { return person(u) && u.Role.AtLeast(RoleResponder) }

// CanListDepartments reports whether u may read the list of departments
// (for the leads' filters and the admins' account forms).
func CanListDepartments(u *User) bool { return CanReadMetrics(u) || CanManageUsers(u) }

// CanLinkCases reports whether u may link cases (as duplicates or related),
// among the cases u may see.
func CanLinkCases(u *User) bool { return CanTriage(u) }

// ActsAsResponder reports whether u, writing on case c, writes as a
// responder (tone-checked, may write internal notes, a first reply
// acknowledges the case) rather than as its reporter.
func ActsAsResponder(u *User, c *Case) bool { return CanTriage(u) && c.ReporterID != u.ID }

// CanSeeInternal reports whether u may read internal notes, the analysis of
// attached emails and the responders' tasks.
func CanSeeInternal(u *User) bool { return CanTriage(u) }

// CanSeeToneScores reports whether u may read the tone scoring of messages
// on a timeline (blame, scores, findings): responders and up, never
// reporters, whose own case's replies they were.
func CanSeeToneScores(u *User) bool { return CanSeeInternal(u) }

// CanFilterByAssignee reports whether u may list cases by the email of who
// owns them. Reporters may not: the answer would tell them which accounts
// exist ("me" and "none" tell nothing and are open to all).
func CanFilterByAssignee(u *User) bool { return CanTriage(u) }

// CanBeAssigned reports whether u may own cases.
func CanBeAssigned(u *User) bool { return CanTriage(u) }

// IsToldOfCriticalCases reports whether u is mailed when a critical case is
// reported (at once, in a digest or not at all, as they chose): those who
// may choose notifications, the responders.
func IsToldOfCriticalCases(u *User) bool { return CanChooseNotifications(u) }

// RolesWhere returns the roles whose active people rule allows, in rank
// order, for a store that asks its database for everyone a rule admits
// (who may own cases, who is told of critical cases) rather than testing
// each account: the SQL's role list comes from the rule, never written
// out a second time.
func RolesWhere(rule func(*User) bool) []Role {
	var out []Role
	for _, r := range Roles {
		if rule(&User{Role: r}) {
			out = append(out, r)
		}
	}
	return out
}

// CanAttach reports whether u may add a file to case c: its reporter, or a
// responder who can see it.
func CanAttach(u *User, c *Case) bool {
	return CanSeeCase(u, c) && (c.ReporterID == u.ID || CanTriage(u))
}

// CanRevokeFollow reports whether u may end the follow link of case c,
// reported without signing in: a responder who did not report it.
func CanRevokeFollow(u *User, c *Case) bool {
	return ActsAsResponder(u, c) && c.Source == SourceAnonymous
}

// CanGiveFeedback reports whether u may rate case c: only its reporter.
func CanGiveFeedback(u *User, c *Case) bool { return person(u) && c.ReporterID == u.ID }

// CanSeeTask reports whether u may see a task owned by owner on a case they
// can see: responders every task, others the reporter's tasks.
func CanSeeTask(u *User, owner string) bool {
	return CanTriage(u) || (person(u) && owner == OwnerReporter)
}

// CanTickTask reports whether u may tick a task owned by owner on case c:
// responders and up any task, the reporter their own tasks.
func CanTickTask(u *User, c *Case, owner string) bool {
	return CanTriage(u) || (person(u) && owner == OwnerReporter && c.ReporterID == u.ID)
}

// CanSeeCampaigns reports whether u may list campaigns and decide on them.
func CanSeeCampaigns(u *User) bool { return CanTriage(u) }

// CanReadMetrics reports whether u may see team metrics and insights.
func CanReadMetrics(u *User) bool { return active(u) && u.Role.AtLeast(RoleLead) }

// CanReadAudit reports whether u may read the audit log.
func CanReadAudit(u *User) bool { return CanReadMetrics(u) }

// CanPublishLessons reports whether u may publish a lesson for everyone.
func CanPublishLessons(u *User) bool { return person(u) && CanReadMetrics(u) }

// CanReadLessons reports whether u may read published lessons: anyone
// signed in.
func CanReadLessons(u *User) bool { return active(u) && !integration(u) }

// CanPractise reports whether u may start a practice session.
func CanPractise(u *User) bool { return CanTriage(u) }

// CanSeePractice reports whether u may see a practice session of the
// trainee with the given id: the trainee, and leads and admins.
func CanSeePractice(u *User, traineeID int64) bool {
	return person(u) && (traineeID == u.ID || CanReadMetrics(u))
}

// CanContinuePractice reports whether u may play on in a practice session
// of the given trainee: only the trainee.
func CanContinuePractice(u *User, traineeID int64) bool { return CanPractise(u) && traineeID == u.ID }

// CanSeeEveryonesPractice reports whether u may list every trainee's
// sessions and the team's progress.
func CanSeeEveryonesPractice(u *User) bool { return CanReadMetrics(u) }

// CanListUsers reports whether u may list and look up accounts.
func CanListUsers(u *User) bool { return active(u) && u.Role.AtLeast(RoleResponder) }

// CanManageUsers reports whether u may add, change and disable accounts.
func CanManageUsers(u *User) bool { return active(u) && u.Role == RoleAdmin }

// CanChangeAccount reports whether u may change the role or the disabled
// flag of target: admins, but never their own, so that the last admin
// cannot lock everyone out, and nobody an erased person's, which stays
// disabled for good.
func CanChangeAccount(u, target *User) bool {
	return CanManageUsers(u) && target.ID != u.ID && !Erased(target.Email)
}

// CanChangeOwnPassword reports whether u may change their own password,
// proving the current one: a person with an account, not the operator, an
// integration or the account of a report sent without signing in (none of
// which has a password to change).
func CanChangeOwnPassword(u *User) bool { return person(u) && !u.Person().NotSignedIn() }

// ErrNoPassword answers a change of password on an account that has none.
var ErrNoPassword = Errorf(EINVALID, "Your account has no Ally password to change. "+
	"You sign in with your organisation's account (single sign-on) or with a link we email you.")

// CanCreateToken reports whether u may issue an API token for the account
// with the given email: their own, or anyone's for admins.
func CanCreateToken(u *User, email string) bool {
	return CanManageUsers(u) || (person(u) && u.Email == email)
}

// CanManageTokens reports whether u may list and revoke the API tokens of
// the account with the given email (every account's when email is empty):
// their own, or anyone's for admins.
func CanManageTokens(u *User, email string) bool {
	return CanManageUsers(u) || (email != "" && CanCreateToken(u, email))
}

// CanBulkLoad reports whether u may bulk-import cases and rebuild indexes:
// the operator only.
func CanBulkLoad(u *User) bool { return u.IsOperator() }

// CanReadCounters reports whether u may read the raw service counters: the
// operator only (the server reads them for its /metrics page).
func CanReadCounters(u *User) bool { return u.IsOperator() }

// CanTeachTone reports whether u may mark messages as blaming or fine for
// the organisation's tone check, and read those marks: leads and admins.
func CanTeachTone(u *User) bool { return CanReadMetrics(u) }

// CanTeachMail reports whether u may teach the organisation's mail model
// in bulk, read it and reset it: leads, admins and the operator (the CLI).
// Responders teach it through their decisions on reported mail.
func CanTeachMail(u *User) bool { return CanReadMetrics(u) }

// CanRunWorkers reports whether u may claim and settle background work (the
// outbox, mail intake): the operator only, as the server's own workers.
func CanRunWorkers(u *User) bool { return u.IsOperator() }

// Allowed returns who acts in ctx when rule allows them. When nobody does
// it returns EUNAUTHORIZED, and when rule refuses them EFORBIDDEN with the
// message forbidden, which says who may.
func Allowed(ctx context.Context, rule func(*User) bool, forbidden string) (*User, error) {
	u, err := Caller(ctx)
	if err != nil {
		return nil, err
	}
	if !rule(u) {
		return nil, Errorf(EFORBIDDEN, "%s", forbidden)
	}
	return u, nil
}

// CanExportPersonData reports whether u may download everything Ally holds
// about target: admins (and the operator), and every person their own.
func CanExportPersonData(u, target *User) bool {
	return CanManageUsers(u) || (person(u) && u.ID == target.ID)
}

// CanErasePerson reports whether u may erase target's personal data: admins
// (and the operator), never their own account (an erased person's again:
// nothing is left to remove).
func CanErasePerson(u, target *User) bool { return CanManageUsers(u) && target.ID != u.ID }

// CanManageRetention reports whether u may read and set the retention
// policy: admins and the operator.
func CanManageRetention(u *User) bool { return CanManageUsers(u) }

// CanManageBackups reports whether u may back up, restore and check the
// database: the operator only, as the CLI on the server.
func CanManageBackups(u *User) bool { return u.IsOperator() }

// CanChooseNotifications reports whether u may choose how Ally's mail tells
// them of assignments, reporters' messages and critical cases: those who
// get such mail, the responders.
func CanChooseNotifications(u *User) bool { return CanTriage(u) }

// CanManageMail reports whether u may see the outbox and retry its mail.
func CanManageMail(u *User) bool { return active(u) && u.Role == RoleAdmin }

// CanReceiveMail reports whether the caller may store reports read from the
// report mailbox: only the server's own intake worker, as the operator.
func CanReceiveMail(u *User) bool { return CanRunWorkers(u) }

// CanReplyByMail reports whether an email reply from u (nil: no account)
// may be filed in c: only c's own reporter, with an active account. The
// reply address's token (mailaddr) is checked before this.
func CanReplyByMail(u *User, c *Case) bool { return u != nil && person(u) && u.ID == c.ReporterID }

// CanReportByMail reports whether a report mailed from address may be taken:
// its sender u has an active account, or (u nil) the address is in one of
// the domains whose people get a reporter account on their first report.
func CanReportByMail(u *User, address string, domains []string) bool {
	if u != nil {
		return person(u)
	}
	_, domain, ok := strings.Cut(address, "@")
	for _, d := range domains {
		if ok && strings.EqualFold(strings.TrimPrefix(strings.TrimSpace(d), "@"), domain) {
			return true
		}
	}
	return false
}

// Signals, webhooks and chat (signal.go, webhook.go). An integration is an
// account of another security tool: it may send signals and see the ones
// it sent, and nothing else (every rule above is false for it).

// integration reports whether u is an active integration account.
func integration(u *User) bool { return active(u) && u.Role == RoleIntegration }

// CanUseToken reports whether the account u may go on using an API token:
// a person who may sign in, or an integration.
func CanUseToken(u *User) bool { return CanSignIn(u) || integration(u) }

// CanSendSignals reports whether u may send signals: integrations only.
func CanSendSignals(u *User) bool { return integration(u) }

// CanSeeSignal reports whether u may read the signal sent by the account
// with id sender: responders and up, and the integration that sent it.
func CanSeeSignal(u *User, sender int64) bool {
	return CanTriage(u) || (integration(u) && u.ID == sender)
}

// CanCreateIntegration reports whether u may make an integration account
// and its token: admins and the operator.
func CanCreateIntegration(u *User) bool { return CanManageUsers(u) }

// CanManageWebhooks reports whether u may add, change, list and test
// webhook and chat subscriptions and read their delivery logs: admins and
// the operator.
func CanManageWebhooks(u *User) bool { return CanManageUsers(u) }
