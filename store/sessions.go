package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/allydesk/ally"
	"golang.org/x/crypto/argon2"
)

// Authenticate implements ally.UserService.
func (db *DB) Authenticate(ctx context.Context, email, password string) (_ *ally.User, err error) {
	defer wrap(&err, "authenticate")
	bad := ally.Errorf(ally.EUNAUTHORIZED, "That email and password do not match. Please try again.")
	var u *ally.User
	var hash string
	err = db.readOne(ctx, func(tx *Tx) error {
		row := tx.queryRow(ctx, "SELECT "+userColumns+", password_hash FROM users WHERE email = ?",
			strings.ToLower(strings.TrimSpace(email)))
		var created int64
		u = &ally.User{}
		return row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Department, &u.Disabled, &created, &u.HasPassword, &hash)
	})
	if errors.Is(err, sql.ErrNoRows) || ally.ErrorCode(err) == ally.ENOTFOUND {
		if err := hashing.pretend(ctx); err != nil {
			return nil, err
		}
		return nil, bad
	} else if err != nil {
		return nil, err
	}
	ok, err := hashing.check(ctx, hash, password)
	if err != nil {
		return nil, err
	}
	if !ok || !ally.CanSignIn(u) {
		return nil, bad
	}
	return u, nil
}

// argon2id parameters (RFC 9106's second recommended option, lighter memory).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

func hashPassword(pw string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

func checkPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// newSecret returns a random URL-safe secret and the hex SHA-256 that is
// stored in its place.
func newSecret(prefix string) (secret, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, hashSecret(secret)
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// CreateSession implements ally.UserService.
func (db *DB) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (_ *ally.Session, err error) {
	defer wrap(&err, "create session")
	secret, hash := newSecret("")
	csrf, _ := newSecret("")
	s := &ally.Session{Secret: secret, CSRF: csrf, UserID: userID}
	err = db.withTx(ctx, func(tx *Tx) error {
		s.ExpiresAt = tx.now.Add(ttl)
		if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE expires_at < ?", millis(tx.now)); err != nil {
			return err
		}
		_, err := tx.exec(ctx, "INSERT INTO sessions (hash, user_id, csrf, expires_at) VALUES (?, ?, ?, ?)",
			hash, userID, csrf, millis(s.ExpiresAt))
		return err
	})
	return s, err
}

// sessionUserQuery reads a session and its user in one statement: the
// user's columns (scanUser), then the session's.
var sessionUserQuery = "SELECT " + userColumnsU + ", s.user_id, s.csrf, s.expires_at " +
	"FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ?"

// FindSession implements ally.UserService.
func (db *DB) FindSession(ctx context.Context, secret string) (_ *ally.Session, _ *ally.User, err error) {
	defer wrap(&err, "find session")
	s := &ally.Session{Secret: secret}
	var u *ally.User
	err = db.readOne(ctx, func(tx *Tx) error {
		var exp int64
		var err error
		u, err = scanUser(moreScanner{tx.queryRow(ctx, sessionUserQuery, hashSecret(secret)),
			[]any{&s.UserID, &s.CSRF, &exp}})
		if err != nil {
			return err
		}
		if s.ExpiresAt = fromMillis(exp); !s.ExpiresAt.After(tx.now) || !ally.CanSignIn(u) {
			return sql.ErrNoRows
		}
		return nil
	})
	if err != nil {
		if ally.ErrorCode(err) == ally.ENOTFOUND {
			return nil, nil, ally.Errorf(ally.EUNAUTHORIZED, "Your session has ended. Please sign in again.")
		}
		return nil, nil, err
	}
	return s, u, nil
}

// DeleteSession implements ally.UserService.
func (db *DB) DeleteSession(ctx context.Context, secret string) (err error) {
	defer wrap(&err, "delete session")
	return db.withTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "DELETE FROM sessions WHERE hash = ?", hashSecret(secret))
		return err
	})
}
