package ally

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// Role is what a user may do. Each role includes the ones before it.
type Role string

// Roles, least privileged first.
const (
	RoleReporter  Role = "reporter"
	RoleResponder Role = "responder"
	RoleLead      Role = "lead"
	RoleAdmin     Role = "admin"
)

// RoleIntegration is the account of another security tool: it may only
// send signals (authz.go). It is no person's role, so it is not in Roles:
// it ranks below every role and cannot be given to a person.
const RoleIntegration Role = "integration"

// Roles lists every role, least privileged first.
var Roles = []Role{RoleReporter, RoleResponder, RoleLead, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return contains(Roles, r) }

// AtLeast reports whether r includes the rights of min.
func (r Role) AtLeast(min Role) bool {
	rank := func(x Role) int {
		for i, v := range Roles {
			if v == x {
				return i
			}
		}
		return -1
	}
	return r.Valid() && rank(r) >= rank(min)
}

// User is a person who can sign in.
type User struct {
	ID         int64     `json:"-"`
	Email      string    `json:"email"`
	Name       string    `json:"name"`
	Role       Role      `json:"role"`
	Department string    `json:"department"`
	Disabled   bool      `json:"disabled"`
	CreatedAt  time.Time `json:"created_at"`
	// HasPassword is set when the account has an Ally password; one made
	// by single sign-on or for emailed links has none.
	HasPassword bool `json:"-"`

	operator bool // the operator (NewOperatorContext), not a person with an account
}

// IsOperator reports whether u is the operator rather than a person with an
// account.
func (u *User) IsOperator() bool { return u != nil && u.operator }

// Person returns the user's public face.
func (u *User) Person() Person {
	return Person{Email: u.Email, Name: u.Name, Department: u.Department}
}

// FirstName returns the first word of the user's name.
func (u *User) FirstName() string {
	if f := strings.Fields(u.Name); len(f) > 0 {
		return f[0]
	}
	return u.Name
}

// NewUser is an account being created. Password is the clear text; the
// service stores only its hash.
type NewUser struct {
	Email      string `json:"email"`
	Name       string `json:"name"`
	Role       Role   `json:"role"`
	Department string `json:"department"`
	Password   string `json:"password"`
}

// Validate checks and normalises a new user, returning EINVALID naming the bad
// field.
func (n *NewUser) Validate() error {
	if err := n.ValidateIdentity(); err != nil {
		return err
	}
	return CheckPassword(n.Password, n.Email, n.Name)
}

// ValidateIdentity checks and normalises everything but the password, for
// accounts made without one (a reporter's first report by email).
func (n *NewUser) ValidateIdentity() error {
	n.Email = strings.ToLower(strings.TrimSpace(n.Email))
	n.Name = strings.TrimSpace(n.Name)
	if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email {
		return Errorf(EINVALID, "email: %q is not an email address.", n.Email)
	}
	switch {
	case n.Name == "" || len(n.Name) > 200:
		return Errorf(EINVALID, "name: is required (at most 200 characters).")
	case !n.Role.Valid():
		return Errorf(EINVALID, "role: %q is not a role; choose one of %s.", n.Role, list(Roles))
	case len(n.Department) > 100:
		return Errorf(EINVALID, "department: is longer than 100 characters.")
	}
	return nil
}

// UserUpdate changes a user's role or disables the account.
type UserUpdate struct {
	Role     *Role `json:"role"`
	Disabled *bool `json:"disabled"`
}

// userCursorKind marks the cursors of the list of accounts (EncodeCursor).
const userCursorKind = 'e'

// UserCursor is the opaque cursor of the page of accounts after u.
func UserCursor(u *User) string { return EncodeCursor(userCursorKind, u.Email) }

// UserAfter reads a cursor of the list of accounts: the email address the
// next page starts after ("" for the first page). A plain email address,
// as links and clients used before cursors were opaque, still works: it
// holds an @, which an opaque cursor never does. Anything else is
// ErrBadCursor.
func UserAfter(cursor string) (string, error) {
	if cursor == "" || strings.Contains(cursor, "@") {
		return cursor, nil
	}
	if kind, email, ok := DecodeCursor(cursor); ok && kind == userCursorKind && strings.Contains(email, "@") {
		return email, nil
	}
	return "", ErrBadCursor
}

// UserService manages accounts, sessions and API tokens.
type UserService interface {
	// CreateUser adds an account, for admins and the operator
	// (NewOperatorContext). Errors: EINVALID, ECONFLICT (email taken),
	// EUNAUTHORIZED (nobody signed in), EFORBIDDEN.
	CreateUser(ctx context.Context, n *NewUser) (*User, error)
	// FindUserByEmail returns an account, for responders and up and the
	// operator. Errors: ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	// FindUsers lists accounts by email, after cursor (UserCursor of the
	// last account of the previous page, or the plain email address links
	// made before cursors were opaque; "" for the first page), for
	// responders and up and the operator. Errors: EINVALID (ErrBadCursor),
	// EUNAUTHORIZED, EFORBIDDEN.
	FindUsers(ctx context.Context, cursor string, limit int) ([]*User, error)
	// FindAssignees lists the active accounts that can own cases
	// (responders, leads, admins), by name. Errors: EUNAUTHORIZED,
	// EFORBIDDEN.
	FindAssignees(ctx context.Context) ([]*User, error)
	// UpdateUser changes role or disabled flag, for admins (never their
	// own) and the operator. Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND,
	// EINVALID, ECONFLICT (one's own account).
	UpdateUser(ctx context.Context, email string, u UserUpdate) (*User, error)
	// ExportPerson returns everything Ally holds about the account with
	// email, for the person themselves, admins and the operator; the export
	// is audited. Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	ExportPerson(ctx context.Context, email string) (*PersonData, error)
	// ErasePerson removes or pseudonymises the personal data of the account
	// with email everywhere, for admins (never their own) and the operator.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	ErasePerson(ctx context.Context, email string) (*Erasure, error)
	// CountUsers counts all accounts, for admins and the operator. Errors:
	// EUNAUTHORIZED, EFORBIDDEN.
	CountUsers(ctx context.Context) (int, error)
	// Authenticate, CreateSession, FindSession, DeleteSession and
	// FindUserByToken are how someone signs in, so they need nobody signed
	// in. Authenticate checks an email and password. Errors: EUNAUTHORIZED.
	Authenticate(ctx context.Context, email, password string) (*User, error)
	// CreateSession starts a browser session and returns its secret.
	CreateSession(ctx context.Context, userID int64, ttl time.Duration) (*Session, error)
	// FindSession returns the live session and its user. Errors: EUNAUTHORIZED.
	FindSession(ctx context.Context, secret string) (*Session, *User, error)
	// DeleteSession ends a session.
	DeleteSession(ctx context.Context, secret string) error
	// CreateToken issues an API token for a user that lasts
	// DefaultTokenTTL and returns its secret, which is not stored: one's
	// own, or anyone's for admins and the operator (TokenService.IssueToken
	// chooses the lifetime). Errors: ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
	CreateToken(ctx context.Context, email, name string) (string, error)
	// ChangePassword changes the signed-in person's own password once
	// current proves it is theirs, and ends every session of the account
	// (API tokens are not sessions: they keep working). Errors:
	// EUNAUTHORIZED (nobody signed in, or current is not right: nothing
	// changes), EFORBIDDEN (the operator, integrations), EINVALID (current
	// is empty, the account has no Ally password, or password breaks the
	// rules), ERATELIMITED (every password check is busy).
	ChangePassword(ctx context.Context, current, password string) (*User, error)
	// FindUserByToken resolves a bearer token that has not expired and
	// notes when it was last used. Errors: EUNAUTHORIZED.
	FindUserByToken(ctx context.Context, secret string) (*User, error)
}

// Session is a signed-in browser.
type Session struct {
	Secret    string    // the cookie value; only its hash is stored
	CSRF      string    // the token forms and scripts must echo
	UserID    int64     //
	ExpiresAt time.Time //
}

// AuditRecord is one state change: who did what to which target, when.
type AuditRecord struct {
	ID        int64     `json:"id"`
	Actor     string    `json:"actor"`
	Action    string    `json:"action"`
	Target    string    `json:"target"`
	Detail    string    `json:"detail"`
	CreatedAt time.Time `json:"created_at"`
}

// AuditService reads the audit log.
type AuditService interface {
	// FindAudit lists records newest first, before the given id (0: from
	// the newest). Errors: EUNAUTHORIZED, EFORBIDDEN for anyone but
	// admins, leads and the operator.
	FindAudit(ctx context.Context, before int64, limit int) ([]*AuditRecord, error)
}

func trimSpace(s string) string { return strings.TrimSpace(s) }
