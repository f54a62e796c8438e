package ally

import (
	"context"
	"time"
)

// API tokens expire: DefaultTokenTTL unless asked otherwise, never later
// than MaxTokenTTL.
const (
	DefaultTokenTTL = 90 * 24 * time.Hour
	MaxTokenTTL     = 365 * 24 * time.Hour
)

// Token describes an API token; its secret is shown once, at creation, and
// never stored.
type Token struct {
	// ID names the token for listing and revoking; it is not the secret.
	ID         string     `json:"id"`
	Email      string     `json:"email"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// NewToken is a token being issued. TTL zero means DefaultTokenTTL.
type NewToken struct {
	Email string
	Name  string
	TTL   time.Duration
}

// Validate checks a new token and fills in the default lifetime. Errors:
// EINVALID.
func (n *NewToken) Validate() error {
	switch {
	case n.TTL == 0:
		n.TTL = DefaultTokenTTL
	case n.TTL < time.Hour:
		return Errorf(EINVALID, "expires: must be at least an hour; tokens last 90 days unless you say otherwise.")
	case n.TTL > MaxTokenTTL:
		return Errorf(EINVALID, "expires: must be at most 365 days; make a new token when this one runs out.")
	}
	if len(n.Name) > 100 {
		return Errorf(EINVALID, "name: is longer than 100 characters.")
	}
	return nil
}

// TokenService issues, lists and revokes API tokens.
type TokenService interface {
	// IssueToken issues a token and returns its secret: one's own, or
	// anyone's for admins and the operator. Errors: EINVALID, ENOTFOUND,
	// EUNAUTHORIZED, EFORBIDDEN.
	IssueToken(ctx context.Context, n NewToken) (string, error)
	// FindTokens lists the live tokens of the account with this email (all
	// accounts when email is empty), newest first: one's own, or anyone's
	// for admins and the operator. Errors: ENOTFOUND, EUNAUTHORIZED,
	// EFORBIDDEN.
	FindTokens(ctx context.Context, email string) ([]*Token, error)
	// RevokeTokens deletes the token with this id, or (id empty) every
	// token of the account with this email, and returns how many went:
	// one's own, or anyone's for admins and the operator. Errors: EINVALID,
	// ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
	RevokeTokens(ctx context.Context, email, id string) (int, error)
}
