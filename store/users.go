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
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/allydesk/ally"
	"golang.org/x/crypto/argon2"
)

const userColumns = "id, email, name, role, department, disabled, created_at"

func scanUser(row scanner) (*ally.User, error) {
	var u ally.User
	var created int64
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Department, &u.Disabled, &created); err != nil {
		return nil, err
	}
	u.CreatedAt = fromMillis(created)
	return &u, nil
}

// adminOnly is the refusal for callers who may not manage accounts.
const adminOnly = "Only admins can manage accounts."

// actor names who is acting, for the audit log.
func actor(ctx context.Context) string {
	if u := ally.UserFromContext(ctx); u != nil {
		return u.Email
	}
	return "operator"
}

// audit writes one audit record in tx.
func (tx *Tx) audit(ctx context.Context, action, target, detail string) error {
	_, err := tx.exec(ctx, "INSERT INTO audit (actor, action, target, detail, created_at) VALUES (?, ?, ?, ?, ?)",
		actor(ctx), action, target, detail, millis(tx.now))
	return err
}

// CreateUser implements ally.UserService.
func (db *DB) CreateUser(ctx context.Context, n *ally.NewUser) (*ally.User, error) {
	us, err := db.CreateUsers(ctx, []*ally.NewUser{n})
	if err != nil {
		return nil, err
	}
	return us[0], nil
}

// CreateUsers adds several accounts in one transaction, in order, as
// CreateUser does one. Their passwords are hashed in parallel first, since
// each hash takes tens of milliseconds on purpose.
func (db *DB) CreateUsers(ctx context.Context, ns []*ally.NewUser) ([]*ally.User, error) {
	if _, err := ally.Allowed(ctx, ally.CanManageUsers, adminOnly); err != nil {
		return nil, err
	}
	for _, n := range ns {
		if err := n.Validate(); err != nil {
			return nil, err
		}
	}
	if len(ns) == 0 {
		return nil, nil
	}
	hashes := make([]string, len(ns))
	var wg sync.WaitGroup
	limit := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, n := range ns {
		wg.Go(func() {
			limit <- struct{}{}
			hashes[i] = hashPassword(n.Password)
			<-limit
		})
	}
	wg.Wait()
	users := make([]*ally.User, len(ns))
	err := db.withTx(ctx, func(tx *Tx) error {
		for i, n := range ns {
			id, err := tx.insert(ctx, `INSERT INTO users (email, name, role, department, password_hash, disabled, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, n.Email, n.Name, n.Role, n.Department, hashes[i], false, millis(tx.now))
			if err != nil {
				if ally.ErrorCode(mapError(err)) == ally.ECONFLICT {
					return ally.Errorf(ally.ECONFLICT, "email: an account for %s already exists.", n.Email)
				}
				return err
			}
			users[i] = &ally.User{ID: id, Email: n.Email, Name: n.Name, Role: n.Role, Department: n.Department, CreatedAt: tx.now}
			if err := tx.audit(ctx, "user.create", n.Email, "role="+string(n.Role)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return users, nil
}

// FindUserByEmail implements ally.UserService.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (*ally.User, error) {
	if _, err := ally.Allowed(ctx, ally.CanListUsers, "Only responders and admins can look up accounts."); err != nil {
		return nil, err
	}
	var u *ally.User
	err := db.withRead(ctx, func(tx *Tx) error {
		var err error
		u, err = tx.userByEmail(ctx, email)
		return err
	})
	return u, err
}

func (tx *Tx) userByEmail(ctx context.Context, email string) (*ally.User, error) {
	u, err := scanUser(tx.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE email = ?",
		strings.ToLower(strings.TrimSpace(email))))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ally.Errorf(ally.ENOTFOUND, "No account for %q was found.", email)
	}
	return u, err
}

// FindUsers implements ally.UserService.
func (db *DB) FindUsers(ctx context.Context, after string, limit int) ([]*ally.User, error) {
	if _, err := ally.Allowed(ctx, ally.CanListUsers, "Only responders and admins can list accounts."); err != nil {
		return nil, err
	}
	return db.users(ctx, "SELECT "+userColumns+" FROM users WHERE email > ? ORDER BY email LIMIT ?", after, limit)
}

// users runs a query for whole user rows.
func (db *DB) users(ctx context.Context, q string, args ...any) ([]*ally.User, error) {
	var out []*ally.User
	err := db.withRead(ctx, func(tx *Tx) error {
		var err error
		out, err = collect(ctx, tx, scanUser, q, args...)
		return err
	})
	return out, err
}

// FindAssignees implements ally.UserService.
func (db *DB) FindAssignees(ctx context.Context) ([]*ally.User, error) {
	if _, err := ally.Allowed(ctx, ally.CanListUsers, "Only responders can list who can own cases."); err != nil {
		return nil, err
	}
	return db.users(ctx, "SELECT "+userColumns+" FROM users WHERE role IN (?, ?, ?) AND NOT disabled ORDER BY name, email",
		ally.RoleResponder, ally.RoleLead, ally.RoleAdmin)
}

// UpdateUser implements ally.UserService.
func (db *DB) UpdateUser(ctx context.Context, email string, up ally.UserUpdate) (*ally.User, error) {
	me, err := ally.Allowed(ctx, ally.CanManageUsers, adminOnly)
	if err != nil {
		return nil, err
	}
	if up.Role != nil && !up.Role.Valid() {
		return nil, ally.Errorf(ally.EINVALID, "role: %q is not a role; choose reporter, responder, lead or admin.", *up.Role)
	}
	var u *ally.User
	err = db.withTx(ctx, func(tx *Tx) error {
		var err error
		if u, err = tx.userByEmail(ctx, email); err != nil {
			return err
		}
		if !ally.CanChangeAccount(me, u) {
			return ally.Errorf(ally.ECONFLICT, "You cannot change your own role or disable yourself; ask another admin.")
		}
		if up.Role != nil {
			u.Role = *up.Role
		}
		if up.Disabled != nil {
			u.Disabled = *up.Disabled
			if u.Disabled {
				if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", u.ID); err != nil {
					return err
				}
			}
		}
		if _, err := tx.exec(ctx, "UPDATE users SET role = ?, disabled = ? WHERE id = ?", u.Role, u.Disabled, u.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "user.update", u.Email, fmt.Sprintf("role=%s disabled=%t", u.Role, u.Disabled))
	})
	return u, err
}

// CountUsers implements ally.UserService.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	if _, err := ally.Allowed(ctx, ally.CanManageUsers, adminOnly); err != nil {
		return 0, err
	}
	var n int
	err := db.withRead(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, "SELECT count(*) FROM users").Scan(&n)
	})
	return n, err
}

// dummyHash is compared against when the email is unknown, so that timing
// does not reveal which accounts exist.
var dummyHash = hashPassword("not-a-real-password-at-all")

// Authenticate implements ally.UserService.
func (db *DB) Authenticate(ctx context.Context, email, password string) (*ally.User, error) {
	bad := ally.Errorf(ally.EUNAUTHORIZED, "That email and password do not match. Please try again.")
	var u *ally.User
	var hash string
	err := db.withRead(ctx, func(tx *Tx) error {
		row := tx.queryRow(ctx, "SELECT "+userColumns+", password_hash FROM users WHERE email = ?",
			strings.ToLower(strings.TrimSpace(email)))
		var created int64
		u = &ally.User{}
		return row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Department, &u.Disabled, &created, &hash)
	})
	if errors.Is(err, sql.ErrNoRows) || ally.ErrorCode(err) == ally.ENOTFOUND {
		checkPassword(dummyHash, password)
		return nil, bad
	} else if err != nil {
		return nil, err
	}
	if !checkPassword(hash, password) || !ally.CanSignIn(u) {
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
func (db *DB) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (*ally.Session, error) {
	secret, hash := newSecret("")
	csrf, _ := newSecret("")
	s := &ally.Session{Secret: secret, CSRF: csrf, UserID: userID}
	err := db.withTx(ctx, func(tx *Tx) error {
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

// FindSession implements ally.UserService.
func (db *DB) FindSession(ctx context.Context, secret string) (*ally.Session, *ally.User, error) {
	s := &ally.Session{Secret: secret}
	var u *ally.User
	err := db.withRead(ctx, func(tx *Tx) error {
		var exp int64
		err := tx.queryRow(ctx, "SELECT user_id, csrf, expires_at FROM sessions WHERE hash = ?", hashSecret(secret)).
			Scan(&s.UserID, &s.CSRF, &exp)
		if err != nil {
			return err
		}
		if s.ExpiresAt = fromMillis(exp); !s.ExpiresAt.After(tx.now) {
			return sql.ErrNoRows
		}
		u, err = scanUser(tx.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ? AND NOT disabled", s.UserID))
		return err
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
func (db *DB) DeleteSession(ctx context.Context, secret string) error {
	return db.withTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "DELETE FROM sessions WHERE hash = ?", hashSecret(secret))
		return err
	})
}

// CreateToken implements ally.UserService.
func (db *DB) CreateToken(ctx context.Context, email, name string) (string, error) {
	if _, err := ally.Allowed(ctx, func(u *ally.User) bool { return ally.CanCreateToken(u, email) },
		"You can only create tokens for yourself."); err != nil {
		return "", err
	}
	secret, hash := newSecret("ally_")
	err := db.withTx(ctx, func(tx *Tx) error {
		u, err := tx.userByEmail(ctx, email)
		if err != nil {
			return err
		}
		if name == "" {
			name = "token " + tx.now.Format(time.DateOnly)
		}
		if _, err := tx.exec(ctx, "INSERT INTO tokens (hash, user_id, name, created_at) VALUES (?, ?, ?, ?)",
			hash, u.ID, name, millis(tx.now)); err != nil {
			return err
		}
		return tx.audit(ctx, "token.create", u.Email, name)
	})
	return secret, err
}

// FindUserByToken implements ally.UserService.
func (db *DB) FindUserByToken(ctx context.Context, secret string) (*ally.User, error) {
	var u *ally.User
	err := db.withRead(ctx, func(tx *Tx) error {
		var err error
		u, err = scanUser(tx.queryRow(ctx, "SELECT u."+strings.ReplaceAll(userColumns, ", ", ", u.")+
			" FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ? AND NOT u.disabled", hashSecret(secret)))
		return err
	})
	if err != nil {
		if ally.ErrorCode(err) == ally.ENOTFOUND {
			return nil, ally.Errorf(ally.EUNAUTHORIZED, "The bearer token is not valid.")
		}
		return nil, err
	}
	return u, nil
}

// FindAudit implements ally.AuditService.
func (db *DB) FindAudit(ctx context.Context, before int64, limit int) ([]*ally.AuditRecord, error) {
	if _, err := ally.Allowed(ctx, ally.CanReadAudit, "Only leads and admins can read the audit log."); err != nil {
		return nil, err
	}
	var out []*ally.AuditRecord
	err := db.withRead(ctx, func(tx *Tx) error {
		var err error
		out, err = collect(ctx, tx, scanAudit, "SELECT id, actor, action, target, detail, created_at FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?",
			newestFirst(before), limit)
		return err
	})
	return out, err
}

func scanAudit(row scanner) (*ally.AuditRecord, error) {
	var a ally.AuditRecord
	var at int64
	if err := row.Scan(&a.ID, &a.Actor, &a.Action, &a.Target, &a.Detail, &at); err != nil {
		return nil, err
	}
	a.CreatedAt = fromMillis(at)
	return &a, nil
}
