package ally

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Ways in without a password (issue 14): single sign-on with OpenID
// Connect, and single-use tickets (a sign-in round trip to a provider, an
// emailed sign-in link, a password reset link).

// ExternalIdentity is a person as a single sign-on provider vouches for
// them, read from a verified ID token.
type ExternalIdentity struct {
	Provider      string   // the provider's name in Ally's configuration
	Subject       string   // the provider's stable id for the person ("sub")
	Email         string   //
	EmailVerified bool     // the provider says the person owns Email
	Name          string   //
	Groups        []string // the groups claim, mapped to a role by a RoleMap
	Department    string   // the department claim, if the provider gives one: set at every sign-in
}

// RoleMap gives the people in a provider's groups their Ally role. A nil
// map leaves roles to Ally's admins; an empty one makes everyone a reporter.
type RoleMap map[string]Role

// ParseRoleMap reads "group=role,group=role". Errors: EINVALID naming the
// bad pair.
func ParseRoleMap(s string) (RoleMap, error) {
	m := RoleMap{}
	for pair := range strings.SplitSeq(s, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		group, role, ok := strings.Cut(pair, "=")
		group, role = strings.TrimSpace(group), strings.TrimSpace(role)
		if !ok || group == "" {
			return nil, Errorf(EINVALID, "roles: %q is not group=role, e.g. security-team=responder.", pair)
		}
		if !Role(role).Valid() {
			return nil, Errorf(EINVALID, "roles: %q in %q is not a role; choose one of %s.", role, pair, list(Roles))
		}
		m[group] = Role(role)
	}
	return m, nil
}

// RoleFor is the highest role any of groups maps to; reporter when none.
func (m RoleMap) RoleFor(groups []string) Role {
	best := RoleReporter
	for g, r := range m {
		if slices.Contains(groups, g) && r.AtLeast(best) {
			best = r
		}
	}
	return best
}

// Ticket kinds.
const (
	TicketSSO   = "oidc"  // a sign-in round trip to a provider: state, nonce and PKCE verifier
	TicketLink  = "link"  // an emailed sign-in link
	TicketReset = "reset" // an emailed password reset link
	TicketDraft = "draft" // a form posted after the session ended, kept for its writer (Browser: the form's path)
)

// SignInLinkTTL is how long an emailed sign-in or reset link works.
const SignInLinkTTL = 15 * time.Minute

// Ticket is a single-use secret bound to the browser that asked for it.
type Ticket struct {
	Kind    string
	User    *User  // whom a link signs in; nil for TicketSSO
	Browser string // the hash of the asking browser's cookie
	Data    string // what the flow must remember (TicketSSO: state data)
	TTL     time.Duration
}

// SignInService is how people get in without a password. Its methods need
// nobody signed in: they are how someone signs in.
type SignInService interface {
	// SignInExternal returns the account of a person a provider vouches
	// for, making a reporter's account on first sign-in and linking an
	// existing account by a verified email. With roles not nil, the role
	// is set from the groups at every sign-in. A disabled account stays
	// disabled. Errors: EUNAUTHORIZED (disabled, or an unverified email
	// that belongs to another account), EINVALID.
	SignInExternal(ctx context.Context, id ExternalIdentity, roles RoleMap) (*User, error)
	// StartSSO stores the ticket of a sign-in round trip and returns its
	// secret (the OAuth state).
	StartSSO(ctx context.Context, browser, data string, ttl time.Duration) (string, error)
	// SendLink emails a sign-in (TicketLink) or password reset
	// (TicketReset) link valid for SignInLinkTTL to the account with this
	// email, if there is one that may sign in; it answers the same either
	// way. next is where the link leads after signing in; base is the link
	// without its token.
	SendLink(ctx context.Context, kind, email, browser, next, base string) error
	// UseTicket spends a ticket of this kind asked for by this browser and
	// returns it. Errors: EUNAUTHORIZED (unknown, used, expired, or asked
	// for by another browser).
	UseTicket(ctx context.Context, kind, secret, browser string) (*Ticket, error)
	// KeepDraft keeps a form's text (data) under secret, a browser
	// cookie, until its writer signs in again and opens the form at path:
	// UseTicket(TicketDraft, secret, path) takes it back.
	KeepDraft(ctx context.Context, secret, path, data string, ttl time.Duration) error
	// ResetPassword spends a TicketReset asked for by this browser and
	// sets the account's password, ending all its sessions. Errors:
	// EUNAUTHORIZED (the link), EINVALID (the password: the link still
	// works).
	ResetPassword(ctx context.Context, secret, browser, password string) (*User, error)
	// SetPassword sets an account's password, ending all its sessions, for
	// admins and the operator. Errors: EUNAUTHORIZED, EFORBIDDEN,
	// ENOTFOUND, EINVALID.
	SetPassword(ctx context.Context, email, password string) error
}

// AnonymousDomain is the domain of the accounts made for reports sent
// without signing in: one per report, which nobody can sign in to and no
// mail is sent to. Its follow link stands in for signing in.
const AnonymousDomain = "anonymous.invalid"

// NotSignedIn reports whether p reported without signing in.
func (p Person) NotSignedIn() bool { return strings.HasSuffix(p.Email, "@"+AnonymousDomain) }

// Contact is what a person reporting without signing in chose to tell:
// both optional, neither checked.
type Contact struct {
	Name  string
	Email string
}

// Validate checks the lengths and the email's form. Errors: EINVALID.
func (c *Contact) Validate() error {
	c.Name, c.Email = strings.TrimSpace(c.Name), strings.TrimSpace(c.Email)
	switch {
	case len(c.Name) > 200:
		return Errorf(EINVALID, "name: is longer than 200 characters.")
	case len(c.Email) > 254:
		return Errorf(EINVALID, "email: is longer than 254 characters.")
	case c.Email != "" && !strings.Contains(c.Email, "@"):
		return Errorf(EINVALID, "email: %q is not an email address. You can leave it empty.", c.Email)
	}
	return nil
}

// FollowService files reports from people who are not signed in and lets
// them follow their case by a private link.
type FollowService interface {
	// ReportAnonymously opens a case for someone not signed in, with an
	// account of its own (AnonymousDomain), and returns the case, that
	// account and the follow link's secret. It needs nobody signed in.
	// Errors: EINVALID.
	ReportAnonymously(ctx context.Context, n *NewCase, c Contact) (*Case, *User, string, error)
	// FollowerOf returns the account a follow link stands for. It needs
	// nobody signed in. Errors: EUNAUTHORIZED (unknown or revoked).
	FollowerOf(ctx context.Context, secret string) (*User, error)
	// RevokeFollow ends the follow link of a case and its reporter's
	// sessions, for its responders (CanRevokeFollow). Errors:
	// EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	RevokeFollow(ctx context.Context, ref string) error
}
