package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/allydesk/ally"
)

const userColumns = "id, email, name, role, department, disabled, created_at, password_hash <> ''"

// userColumnsU is userColumns of the users table under the alias u.
var userColumnsU = "u." + strings.ReplaceAll(userColumns, ", ", ", u.")

func scanUser(row scanner) (*ally.User, error) {
	var u ally.User
	var created int64
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Department, &u.Disabled, &created,
		&u.HasPassword); err != nil {
		return nil, err
	}
	u.CreatedAt = fromMillis(created)
	return &u, nil
}

// adminOnly is the refusal for callers who may not manage accounts.
const adminOnly = "Only admins can manage accounts."

// CreateUser implements ally.UserService.
func (db *DB) CreateUser(ctx context.Context, n *ally.NewUser) (_ *ally.User, err error) {
	defer wrap(&err, "create user")
	if _, err := ally.Allowed(ctx, ally.CanManageUsers, adminOnly); err != nil {
		return nil, err
	}
	us, err := db.createUsers(ctx, []*ally.NewUser{n})
	if err != nil {
		return nil, err
	}
	return us[0], nil
}

// CreateUsers adds several accounts in one transaction, in order, as
// CreateUser does one. Their passwords are hashed in parallel first, since
// each hash takes tens of milliseconds on purpose.
func (db *DB) CreateUsers(ctx context.Context, ns []*ally.NewUser) (_ []*ally.User, err error) {
	defer wrap(&err, "create users")
	if _, err := ally.Allowed(ctx, ally.CanManageUsers, adminOnly); err != nil {
		return nil, err
	}
	return db.createUsers(ctx, ns)
}

// createUsers does the work of CreateUsers and CreateUser, which check who
// acts and name their errors themselves.
func (db *DB) createUsers(ctx context.Context, ns []*ally.NewUser) ([]*ally.User, error) {
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
			users[i] = &ally.User{ID: id, Email: n.Email, Name: n.Name, Role: n.Role, Department: n.Department,
				CreatedAt: tx.now}
			if err := tx.keepDepartment(ctx, n.Department); err != nil {
				return err
			}
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
func (db *DB) FindUserByEmail(ctx context.Context, email string) (_ *ally.User, err error) {
	defer wrap(&err, "find user by email")
	if _, err := ally.Allowed(ctx, ally.CanListUsers, "Only responders and admins can look up accounts."); err != nil {
		return nil, err
	}
	var u *ally.User
	err = db.readOne(ctx, func(tx *Tx) error {
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
func (db *DB) FindUsers(ctx context.Context, cursor string, limit int) (_ []*ally.User, err error) {
	defer wrap(&err, "find users")
	if _, err := ally.Allowed(ctx, ally.CanListUsers, "Only responders and admins can list accounts."); err != nil {
		return nil, err
	}
	after, err := ally.UserAfter(cursor)
	if err != nil {
		return nil, err
	}
	return db.users(ctx, "SELECT "+userColumns+" FROM users WHERE email > ? ORDER BY email LIMIT ?", after, limit)
}

// users runs a query for whole user rows.
func (db *DB) users(ctx context.Context, q string, args ...any) ([]*ally.User, error) {
	var out []*ally.User
	err := db.readOne(ctx, func(tx *Tx) error {
		var err error
		out, err = collect(ctx, tx, scanUser, q, args...)
		return err
	})
	return out, err
}

// FindAssignees implements ally.UserService.
func (db *DB) FindAssignees(ctx context.Context) (_ []*ally.User, err error) {
	defer wrap(&err, "find assignees")
	if _, err := ally.Allowed(ctx, ally.CanListUsers, "Only responders can list who can own cases."); err != nil {
		return nil, err
	}
	who, args := rolesAllowed("role", ally.CanBeAssigned)
	return db.users(ctx, "SELECT "+userColumns+" FROM users WHERE "+who+" AND NOT disabled ORDER BY name, email",
		args...)
}

// rolesAllowed is the SQL condition on the role column col (and its
// arguments) that admits the accounts whose role rule allows; the roles come
// from the rule in authz.go (ally.RolesWhere), never listed here.
func rolesAllowed(col string, rule func(*ally.User) bool) (string, []any) {
	roles := ally.RolesWhere(rule)
	if len(roles) == 0 {
		return "1=0", nil
	}
	args := make([]any, len(roles))
	for i, r := range roles {
		args[i] = r
	}
	return col + " IN (" + params(len(roles)) + ")", args
}

// UpdateUser implements ally.UserService.
func (db *DB) UpdateUser(ctx context.Context, email string, up ally.UserUpdate) (_ *ally.User, err error) {
	defer wrap(&err, "update user")
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
		switch {
		case ally.CanChangeAccount(me, u):
		case ally.Erased(u.Email):
			return ally.Errorf(ally.ECONFLICT, "%s is what is left of a person erased at their request: "+
				"it stays disabled, with no role to change.", u.Email)
		default:
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
				// Tokens go too, so that enabling the account again revives none.
				if _, err := tx.exec(ctx, "DELETE FROM tokens WHERE user_id = ?", u.ID); err != nil {
					return err
				}
			}
		}
		if _, err := tx.exec(ctx, "UPDATE users SET role = ?, disabled = ? WHERE id = ?", u.Role, u.Disabled,
			u.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "user.update", u.Email, fmt.Sprintf("role=%s disabled=%t", u.Role, u.Disabled))
	})
	return u, err
}

// CountUsers implements ally.UserService.
func (db *DB) CountUsers(ctx context.Context) (_ int, err error) {
	defer wrap(&err, "count users")
	if _, err := ally.Allowed(ctx, ally.CanManageUsers, adminOnly); err != nil {
		return 0, err
	}
	var n int
	err = db.readOne(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, "SELECT count(*) FROM users").Scan(&n)
	})
	return n, err
}
