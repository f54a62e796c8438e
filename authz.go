package ally

// Authorisation rules live here, in one place; the store and the web layer
// call these and nothing else decides who may do what.

// active reports whether u is a signed-in account that is not disabled;
// every rule below starts from it.
func active(u *User) bool { return u != nil && !u.Disabled }

// CanSeeCase reports whether u may see case c at all. Reporters see their
// own cases; responders and leads see every case except confidential ones,
// which only leads, admins and the assignee see.
func CanSeeCase(u *User, c *Case) bool {
	switch {
	case !active(u):
		return false
	case c.ReporterID == u.ID:
		return true
	case !u.Role.AtLeast(RoleResponder):
		return false
	case c.Confidential:
		return u.Role.AtLeast(RoleLead) || c.AssigneeID == u.ID
	default:
		return true
	}
}

// SeesAllCases reports whether u sees confidential cases they are not
// assigned to.
func SeesAllCases(u *User) bool { return active(u) && u.Role.AtLeast(RoleLead) }

// CanTriage reports whether u may change status, severity and assignee and
// write internal notes.
func CanTriage(u *User) bool { return active(u) && u.Role.AtLeast(RoleResponder) }

// CanSeeInternal reports whether u may read internal notes.
func CanSeeInternal(u *User) bool { return CanTriage(u) }

// CanBeAssigned reports whether u may own cases.
func CanBeAssigned(u *User) bool { return CanTriage(u) }

// CanReadMetrics reports whether u may see team metrics and insights.
func CanReadMetrics(u *User) bool { return active(u) && u.Role.AtLeast(RoleLead) }

// CanManageUsers reports whether u may add, change and disable accounts.
func CanManageUsers(u *User) bool { return active(u) && u.Role == RoleAdmin }

// CanGiveFeedback reports whether u may rate case c: only its reporter.
func CanGiveFeedback(u *User, c *Case) bool { return active(u) && c.ReporterID == u.ID }

// CanTickTask reports whether u may tick a task owned by owner on case c:
// responders and up any task, the reporter their own tasks.
func CanTickTask(u *User, c *Case, owner string) bool {
	return CanTriage(u) || (active(u) && owner == OwnerReporter && c.ReporterID == u.ID)
}

// CanPlayPractice reports whether u may carry on practice session p: only
// its trainee.
func CanPlayPractice(u *User, p *Practice) bool { return CanTriage(u) && p.TraineeID == u.ID }
