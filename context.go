package ally

import "context"

type userKey struct{}

// NewContextWithUser returns a context carrying the signed-in user.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// NewOperatorContext returns a context in which the operator acts: the person
// at the server's own command line (the ally CLI, first-run setup, the
// server's own counters). Only code that runs on the operator's say-so uses
// it; a request from the network never does. What the operator may do is
// in authz.go.
func NewOperatorContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, userKey{}, &User{Email: "operator", Name: "Operator", Role: RoleAdmin, operator: true})
}

// UserFromContext returns who acts in ctx: the signed-in user, the operator
// (for a context from NewOperatorContext), or nil when nobody does.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}

// Caller returns who acts in ctx, as UserFromContext does, or EUNAUTHORIZED
// when nobody does. Every service method that acts for someone starts here,
// so a caller that forgot to sign in is refused, never trusted.
func Caller(ctx context.Context) (*User, error) {
	if u := UserFromContext(ctx); u != nil {
		return u, nil
	}
	return nil, Errorf(EUNAUTHORIZED, "Sign in first, then try again.")
}
