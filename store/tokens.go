package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/allydesk/ally"
)

var _ ally.TokenService = (*DB)(nil)

// tokenIDLen is how many hex characters of a token's stored hash name it:
// enough to be unique, and no help in guessing the secret.
const tokenIDLen = 12

// lastUsedEvery is how stale a token's last-used time may get before a use
// writes it again, so that a busy script does not write on every request.
const lastUsedEvery = time.Minute

// CreateToken implements ally.UserService: a token of the default lifetime.
func (db *DB) CreateToken(ctx context.Context, email, name string) (_ string, err error) {
	defer wrap(&err, "create token")
	if _, err := ally.Caller(ctx); err != nil {
		return "", err
	}
	return db.IssueToken(ctx, ally.NewToken{Email: email, Name: name})
}

// IssueToken implements ally.TokenService.
func (db *DB) IssueToken(ctx context.Context, n ally.NewToken) (_ string, err error) {
	defer wrap(&err, "issue token")
	if _, err := ally.Allowed(ctx, func(u *ally.User) bool { return ally.CanCreateToken(u, n.Email) },
		"You can only create tokens for yourself."); err != nil {
		return "", err
	}
	if err := n.Validate(); err != nil {
		return "", err
	}
	secret, hash := newSecret("ally_")
	err = db.withTx(ctx, func(tx *Tx) error {
		u, err := tx.userByEmail(ctx, n.Email)
		if err != nil {
			return err
		}
		if n.Name == "" {
			n.Name = "token " + tx.now.Format(time.DateOnly)
		}
		// Expired tokens are of no use to anyone: clear them out as new ones come.
		if _, err := tx.exec(ctx, "DELETE FROM tokens WHERE expires_at <= ?", millis(tx.now)); err != nil {
			return err
		}
		expires := tx.now.Add(n.TTL)
		if _, err := tx.exec(ctx, "INSERT INTO tokens (hash, user_id, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
			hash, u.ID, n.Name, millis(tx.now), millis(expires)); err != nil {
			return err
		}
		return tx.audit(ctx, "token.create", u.Email, n.Name+" id="+hash[:tokenIDLen]+" expires="+
			expires.Format(time.DateOnly))
	})
	return secret, err
}

// FindTokens implements ally.TokenService.
func (db *DB) FindTokens(ctx context.Context, email string) (_ []*ally.Token, err error) {
	defer wrap(&err, "find tokens")
	if _, err := ally.Allowed(ctx, func(u *ally.User) bool { return ally.CanManageTokens(u, email) },
		"You can only see your own tokens."); err != nil {
		return nil, err
	}
	var out []*ally.Token
	err = db.withRead(ctx, func(tx *Tx) error {
		q := `SELECT t.hash, u.email, t.name, t.created_at, t.expires_at, t.last_used_at
			FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.expires_at > ?`
		args := []any{millis(tx.now)}
		if email != "" {
			u, err := tx.userByEmail(ctx, email)
			if err != nil {
				return err
			}
			q += " AND t.user_id = ?"
			args = append(args, u.ID)
		}
		var err error
		out, err = collect(ctx, tx, scanToken, q+" ORDER BY t.created_at DESC, t.hash", args...)
		return err
	})
	return out, err
}

func scanToken(row scanner) (*ally.Token, error) {
	t := &ally.Token{}
	var created, expires int64
	var used sql.NullInt64
	if err := row.Scan(&t.ID, &t.Email, &t.Name, &created, &expires, &used); err != nil {
		return nil, err
	}
	t.ID = t.ID[:tokenIDLen]
	t.CreatedAt, t.ExpiresAt, t.LastUsedAt = fromMillis(created), fromMillis(expires), fromNullMillis(used)
	return t, nil
}

// RevokeTokens implements ally.TokenService.
func (db *DB) RevokeTokens(ctx context.Context, email, id string) (_ int, err error) {
	defer wrap(&err, "revoke tokens")
	me, err := ally.Caller(ctx)
	if err != nil {
		return 0, err
	}
	id = strings.ToLower(strings.TrimSpace(id))
	if email == "" && id == "" {
		return 0, ally.Errorf(ally.EINVALID, "Say which tokens to revoke: an email (all of that person's tokens) "+
			"or a token id (one token, as token list shows).")
	} else if email != "" && id != "" {
		return 0, ally.Errorf(ally.EINVALID, "Give either an email (all of that person's tokens) or a token id, not both.")
	}
	if id != "" && len(id) != tokenIDLen {
		return 0, ally.Errorf(ally.EINVALID, "id: %q is not a token id; ids are %d characters, as token list shows.",
			id, tokenIDLen)
	}
	var n int64
	err = db.withTx(ctx, func(tx *Tx) error {
		owner := email
		if id != "" {
			err := tx.queryRow(ctx, `SELECT u.email FROM tokens t JOIN users u ON u.id = t.user_id
				WHERE substr(t.hash, 1, ?) = ?`, tokenIDLen, id).Scan(&owner)
			if err == sql.ErrNoRows {
				return ally.Errorf(ally.ENOTFOUND, "No token %s was found; token list shows the ids.", id)
			} else if err != nil {
				return err
			}
		}
		if !ally.CanManageTokens(me, owner) {
			return ally.Errorf(ally.EFORBIDDEN, "You can only revoke your own tokens.")
		}
		u, err := tx.userByEmail(ctx, owner)
		if err != nil {
			return err
		}
		q, args := "DELETE FROM tokens WHERE user_id = ?", []any{u.ID}
		if id != "" {
			q, args = q+" AND substr(hash, 1, ?) = ?", append(args, tokenIDLen, id)
		}
		res, err := tx.exec(ctx, q, args...)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return tx.audit(ctx, "token.revoke", u.Email, strings.TrimSpace(fmt.Sprintf("%s count=%d", id, n)))
	})
	return int(n), err
}

// tokenUserQuery reads the user of an unexpired token, and when the token
// was last used.
var tokenUserQuery = "SELECT " + userColumnsU + ", t.last_used_at FROM tokens t JOIN users u ON u.id = t.user_id " +
	"WHERE t.hash = ? AND t.expires_at > ?"

// FindUserByToken implements ally.UserService.
func (db *DB) FindUserByToken(ctx context.Context, secret string) (_ *ally.User, err error) {
	defer wrap(&err, "find user by token")
	hash := hashSecret(secret)
	var u *ally.User
	var used sql.NullInt64
	var now time.Time
	err = db.readOne(ctx, func(tx *Tx) error {
		now = tx.now
		row := tx.queryRow(ctx, tokenUserQuery, hash, millis(now))
		var created int64
		u = &ally.User{}
		if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Department, &u.Disabled, &created, &u.HasPassword,
			&used); err != nil {
			return err
		}
		if u.CreatedAt = fromMillis(created); !ally.CanUseToken(u) {
			return sql.ErrNoRows
		}
		return nil
	})
	if err != nil {
		if ally.ErrorCode(err) == ally.ENOTFOUND {
			return nil, ally.Errorf(ally.EUNAUTHORIZED, "The bearer token is not valid, or it has expired.")
		}
		return nil, err
	}
	if !used.Valid || now.Sub(fromMillis(used.Int64)) >= lastUsedEvery {
		err = db.withTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, "UPDATE tokens SET last_used_at = ? WHERE hash = ?", millis(tx.now), hash)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return u, nil
}
