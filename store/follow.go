package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/allydesk/ally"
)

var _ ally.FollowService = (*DB)(nil)

// ReportAnonymously implements ally.FollowService.
func (db *DB) ReportAnonymously(ctx context.Context, n *ally.NewCase, who ally.Contact) (_ *ally.Case, _ *ally.User,
	_ string, err error) {
	defer wrap(&err, "report anonymously")
	if err := who.Validate(); err != nil {
		return nil, nil, "", err
	}
	if err := n.Validate(); err != nil {
		return nil, nil, "", err
	}
	if who.Name != "" || who.Email != "" {
		n.Details = strings.TrimSpace(n.Details + "\n\nContact given (not checked): " +
			strings.TrimSpace(who.Name+" "+who.Email))
	}
	secret, hash := newSecret("f_")
	local, _ := newSecret("")
	nu := &ally.NewUser{Email: "anon-" + strings.ToLower(local[:16]) + "@" + ally.AnonymousDomain,
		Name: who.Name, Role: ally.RoleReporter}
	if nu.Name == "" {
		nu.Name = "Someone not signed in"
	}
	if err := nu.ValidateIdentity(); err != nil {
		return nil, nil, "", err
	}
	var c *ally.Case
	var u *ally.User
	err = db.withTx(ctx, func(tx *Tx) error {
		var err error
		if u, err = tx.insertPasswordless(ctx, nu, "source="+ally.SourceAnonymous); err != nil {
			return err
		}
		if c, err = db.insertCase(ally.NewContextWithUser(ctx, u), tx, u, n, ally.SourceAnonymous); err != nil {
			return err
		}
		_, err = tx.exec(ctx, "INSERT INTO follow_links (hash, case_id, user_id, created_at) VALUES (?, ?, ?, ?)",
			hash, c.ID, u.ID, millis(tx.now))
		return err
	})
	if err != nil {
		return nil, nil, "", err
	}
	return c, u, secret, nil
}

// errFollow answers a follow link that does not work (any more).
var errFollow = ally.Errorf(ally.EUNAUTHORIZED, "This follow link does not work any more. If you still need "+
	"help with your report, please report again or call the security desk and give your case code.")

// FollowerOf implements ally.FollowService.
func (db *DB) FollowerOf(ctx context.Context, secret string) (_ *ally.User, err error) {
	defer wrap(&err, "follower of")
	var u *ally.User
	err = db.withRead(ctx, func(tx *Tx) error {
		var err error
		u, err = scanUser(tx.queryRow(ctx, "SELECT "+prefixed("u.", userColumns)+` FROM follow_links f
			JOIN users u ON u.id = f.user_id WHERE f.hash = ? AND f.revoked_at IS NULL`, hashSecret(secret)))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !ally.CanSignIn(u)) {
			return errFollow
		}
		return err
	})
	return u, err
}

// RevokeFollow implements ally.FollowService.
func (db *DB) RevokeFollow(ctx context.Context, ref string) (err error) {
	defer wrap(&err, "revoke follow")
	u, err := ally.Caller(ctx)
	if err != nil {
		return err
	}
	return db.withTx(ctx, func(tx *Tx) error {
		c, err := tx.visibleCase(ctx, ref)
		if err != nil {
			return err
		}
		if !ally.CanRevokeFollow(u, c) {
			return ally.Errorf(ally.EFORBIDDEN, "Only a responder can end the follow link of a case reported "+
				"without signing in.")
		}
		if _, err := tx.exec(ctx, "UPDATE follow_links SET revoked_at = ? WHERE case_id = ? AND revoked_at IS NULL",
			millis(tx.now), c.ID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", c.ReporterID); err != nil {
			return err
		}
		return tx.audit(ctx, "case.follow_revoke", c.Ref, "")
	})
}
