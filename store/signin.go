package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
)

var _ ally.SignInService = (*DB)(nil)

// SignInExternal implements ally.SignInService.
func (db *DB) SignInExternal(ctx context.Context, id ally.ExternalIdentity, roles ally.RoleMap) (_ *ally.User,
	err error) {
	defer wrap(&err, "sign in external")
	if id.Provider == "" || id.Subject == "" {
		return nil, ally.Errorf(ally.EINVALID, "The sign-in service did not say who you are. Please try again.")
	}
	var u *ally.User
	err = db.withTx(ctx, func(tx *Tx) error {
		var err error
		if u, err = tx.externalUser(ctx, id); err != nil {
			return err
		}
		if !ally.CanSignIn(u) {
			return ally.Errorf(ally.EUNAUTHORIZED, "Your Ally account is switched off, so you cannot sign in. "+
				"If you need to report something, use \"Report without signing in\" or call the security desk.")
		}
		if err := tx.importDepartment(ctx, u, id); err != nil {
			return err
		}
		if roles == nil {
			return nil
		}
		return tx.mapRole(ctx, u, roles.RoleFor(id.Groups), id.Provider)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// mapRole gives u the role its groups map to. The last active admin keeps
// the role (audited), so a group left out of the map cannot lock everyone
// out of managing accounts.
func (tx *Tx) mapRole(ctx context.Context, u *ally.User, role ally.Role, provider string) error {
	if role == u.Role {
		return nil
	}
	if u.Role == ally.RoleAdmin {
		var others int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM users WHERE role = ? AND NOT disabled AND id <> ?",
			ally.RoleAdmin, u.ID).Scan(&others); err != nil {
			return err
		}
		if others == 0 {
			return tx.audit(ctx, "user.update", u.Email, fmt.Sprintf("role=admin kept: the last admin; "+
				"source=%s groups map to %s", provider, role))
		}
	}
	if _, err := tx.exec(ctx, "UPDATE users SET role = ? WHERE id = ?", role, u.ID); err != nil {
		return err
	}
	if err := tx.audit(ctx, "user.update", u.Email, fmt.Sprintf("role=%s source=%s groups", role,
		provider)); err != nil {
		return err
	}
	u.Role = role
	return nil
}

// importDepartment sets u's department from the provider's department
// claim, when it gives a usable one, and puts it on the managed list. A
// claim that is not a department name (blank, too long) is left out.
func (tx *Tx) importDepartment(ctx context.Context, u *ally.User, id ally.ExternalIdentity) error {
	name, err := ally.CheckDepartment(id.Department)
	if err != nil || name == u.Department {
		return nil
	}
	if _, err := tx.exec(ctx, "UPDATE users SET department = ? WHERE id = ?", name, u.ID); err != nil {
		return err
	}
	if err := tx.audit(ctx, "user.update", u.Email, fmt.Sprintf("department=%s source=%s claim", name,
		id.Provider)); err != nil {
		return err
	}
	u.Department = name
	return tx.keepDepartment(ctx, name)
}

// externalUser finds the account linked to id, links the account with its
// verified email, or makes a reporter's account.
func (tx *Tx) externalUser(ctx context.Context, id ally.ExternalIdentity) (*ally.User, error) {
	u, err := scanUser(tx.queryRow(ctx, "SELECT "+prefixed("u.", userColumns)+` FROM identities i
		JOIN users u ON u.id = i.user_id WHERE i.provider = ? AND i.subject = ?`, id.Provider, id.Subject))
	if err == nil {
		return u, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	n := &ally.NewUser{Email: id.Email, Name: id.Name, Role: ally.RoleReporter}
	if n.Name == "" {
		n.Name, _, _ = strings.Cut(id.Email, "@")
	}
	if err := n.ValidateIdentity(); err != nil {
		return nil, ally.Errorf(ally.EINVALID, "The sign-in service did not give a usable email and name (%s). "+
			"Please ask your IT team to check the Ally sign-in settings.", ally.ErrorMessage(err))
	}
	u, err = tx.userByEmail(ctx, n.Email)
	switch {
	case ally.ErrorCode(err) == ally.ENOTFOUND:
		if u, err = tx.insertPasswordless(ctx, n, "source="+id.Provider); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	case !id.EmailVerified:
		return nil, ally.Errorf(ally.EUNAUTHORIZED, "Your sign-in service has not confirmed that %s is yours, "+
			"and Ally already has an account for it. Please sign in another way, or ask your IT team.", n.Email)
	}
	if _, err := tx.exec(ctx, "INSERT INTO identities (provider, subject, user_id, created_at) VALUES (?, ?, ?, ?)",
		id.Provider, id.Subject, u.ID, millis(tx.now)); err != nil {
		return nil, err
	}
	return u, tx.audit(ctx, "user.link", u.Email, "source="+id.Provider)
}

// insertPasswordless adds an account with no password: its owner signs in
// by single sign-on or an emailed link. n is valid (ValidateIdentity).
func (tx *Tx) insertPasswordless(ctx context.Context, n *ally.NewUser, source string) (*ally.User, error) {
	u := &ally.User{Email: n.Email, Name: n.Name, Role: n.Role, CreatedAt: tx.now}
	var err error
	if u.ID, err = tx.insert(ctx, `INSERT INTO users (email, name, role, department, password_hash, disabled, created_at)
		VALUES (?, ?, ?, ?, '', ?, ?)`, u.Email, u.Name, u.Role, "", false, millis(tx.now)); err != nil {
		return nil, err
	}
	return u, tx.audit(ctx, "user.create", u.Email, "role="+string(u.Role)+" "+source)
}

// prefixed qualifies each of a comma-separated list of columns.
func prefixed(p, columns string) string {
	return p + strings.ReplaceAll(columns, ", ", ", "+p)
}

// StartSSO implements ally.SignInService.
func (db *DB) StartSSO(ctx context.Context, browser, data string, ttl time.Duration) (_ string, err error) {
	defer wrap(&err, "start sso")
	secret, hash := newSecret("")
	err = db.withTx(ctx, func(tx *Tx) error {
		return tx.insertTicket(ctx, hash, ally.TicketSSO, nil, browser, data, ttl)
	})
	return secret, err
}

// KeepDraft implements ally.SignInService.
func (db *DB) KeepDraft(ctx context.Context, secret, path, data string, ttl time.Duration) (err error) {
	defer wrap(&err, "keep draft")
	return db.withTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "DELETE FROM tickets WHERE hash = ?", hashSecret(secret)); err != nil {
			return err
		}
		return tx.insertTicket(ctx, hashSecret(secret), ally.TicketDraft, nil, path, data, ttl)
	})
}

// insertTicket stores a ticket by the hash of its secret, clearing out
// expired ones first.
func (tx *Tx) insertTicket(ctx context.Context, hash, kind string, userID *int64, browser, data string,
	ttl time.Duration) error {
	if _, err := tx.exec(ctx, "DELETE FROM tickets WHERE expires_at < ?", millis(tx.now)); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO tickets (hash, kind, user_id, browser, data, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, hash, kind, userID, browser, data, millis(tx.now.Add(ttl)))
	return err
}

// linkMail is the template each kind of emailed link is sent with.
var linkMail = map[string]string{ally.TicketLink: mailtext.SignInLink, ally.TicketReset: mailtext.ResetLink}

// SendLink implements ally.SignInService. An unknown address costs the
// same work as a known one (a ticket is stored, bound to no account, and
// nothing is sent), so the answer's timing says nothing either.
func (db *DB) SendLink(ctx context.Context, kind, email, browser, next, base string) (err error) {
	defer wrap(&err, "send link")
	name, ok := linkMail[kind]
	if !ok {
		return fmt.Errorf("send link: unknown kind %q", kind)
	}
	if db.opts.Mail == nil {
		return ally.Errorf(ally.EUNSUPPORTED, "Ally cannot send email here yet, so it cannot send links. "+
			"Please call the security desk.")
	}
	secret, hash := newSecret("")
	return db.withTx(ctx, func(tx *Tx) error {
		u, err := tx.userByEmail(ctx, email)
		if err != nil && ally.ErrorCode(err) != ally.ENOTFOUND {
			return err
		}
		var userID *int64
		if u != nil && ally.CanSignIn(u) {
			userID = &u.ID
		}
		if err := tx.insertTicket(ctx, hash, kind, userID, browser, next, ally.SignInLinkTTL); err != nil {
			return err
		}
		if userID == nil {
			return nil
		}
		return tx.mailPerson(ctx, name, u.Person(), map[string]string{"link": base + secret})
	})
}

// UseTicket implements ally.SignInService.
func (db *DB) UseTicket(ctx context.Context, kind, secret, browser string) (_ *ally.Ticket, err error) {
	defer wrap(&err, "use ticket")
	var t *ally.Ticket
	err = db.withTx(ctx, func(tx *Tx) error {
		var err error
		t, err = tx.useTicket(ctx, kind, secret, browser)
		return err
	})
	return t, err
}

// errTicket answers a ticket that cannot be used, whatever the reason.
var errTicket = ally.Errorf(ally.EUNAUTHORIZED, "This sign-in link has expired or was already used. "+
	"Links work once, for 15 minutes, in the browser that asked for them. Please ask for a new one.")

// useTicket deletes the live ticket of this kind and browser and returns
// it; a ticket asked for by another browser is left for its own.
func (tx *Tx) useTicket(ctx context.Context, kind, secret, browser string) (*ally.Ticket, error) {
	hash := hashSecret(secret)
	t := &ally.Ticket{Kind: kind}
	var userID sql.NullInt64
	var exp int64
	err := tx.queryRow(ctx, "SELECT user_id, browser, data, expires_at FROM tickets WHERE hash = ? AND kind = ?",
		hash, kind).Scan(&userID, &t.Browser, &t.Data, &exp)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (t.Browser != browser || !fromMillis(exp).After(tx.now))) {
		return nil, errTicket
	} else if err != nil {
		return nil, err
	}
	if res, err := tx.exec(ctx, "DELETE FROM tickets WHERE hash = ?", hash); err != nil {
		return nil, err
	} else if n, _ := res.RowsAffected(); n != 1 {
		return nil, errTicket // spent by a racing request
	}
	if !userID.Valid {
		if kind == ally.TicketSSO || kind == ally.TicketDraft {
			return t, nil
		}
		return nil, errTicket // an address with no account
	}
	u, err := scanUser(tx.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", userID.Int64))
	if err != nil {
		return nil, err
	}
	if !ally.CanSignIn(u) {
		return nil, errTicket
	}
	t.User = u
	return t, nil
}

// ResetPassword implements ally.SignInService. A password that breaks the
// rules changes nothing: the link still works.
func (db *DB) ResetPassword(ctx context.Context, secret, browser, password string) (_ *ally.User, err error) {
	defer wrap(&err, "reset password")
	hash := hashPassword(password) // before the transaction: slow on purpose
	var u *ally.User
	err = db.withTx(ctx, func(tx *Tx) error {
		t, err := tx.useTicket(ctx, ally.TicketReset, secret, browser)
		if err != nil {
			return err
		}
		if err := ally.CheckPassword(password, t.User.Email, t.User.Name); err != nil {
			return err
		}
		u = t.User
		return tx.setPassword(ctx, u, hash, "source=link")
	})
	return u, err
}

// SetPassword implements ally.SignInService.
func (db *DB) SetPassword(ctx context.Context, email, password string) (err error) {
	defer wrap(&err, "set password")
	if _, err := ally.Allowed(ctx, ally.CanManageUsers, adminOnly); err != nil {
		return err
	}
	hash := hashPassword(password)
	return db.withTx(ctx, func(tx *Tx) error {
		u, err := tx.userByEmail(ctx, email)
		if err != nil {
			return err
		}
		if err := ally.CheckPassword(password, u.Email, u.Name); err != nil {
			return err
		}
		return tx.setPassword(ctx, u, hash, "source=admin")
	})
}

// errWrongCurrent answers a current password that is not right.
var errWrongCurrent = ally.Errorf(ally.EUNAUTHORIZED, "Your current password is not right.")

// ChangePassword implements ally.UserService. The current password is
// checked on the hashing pool, as a sign-in is, and the new one hashed
// after it and outside the transaction; the new hash is stored only if the
// checked one is still there, so two changes at once cannot both win.
func (db *DB) ChangePassword(ctx context.Context, current, password string) (_ *ally.User, err error) {
	defer wrap(&err, "change password")
	u, err := ally.Allowed(ctx, ally.CanChangeOwnPassword, "Only a person with an Ally account can change "+
		"their password.")
	if err != nil {
		return nil, err
	}
	if current == "" {
		return nil, ally.Errorf(ally.EINVALID, "current: is required. Type the password you use now.")
	}
	var old string
	if err := db.readOne(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, "SELECT password_hash FROM users WHERE id = ?", u.ID).Scan(&old)
	}); err != nil {
		return nil, err
	}
	if old == "" {
		return nil, ally.ErrNoPassword
	}
	if ok, err := hashing.check(ctx, old, current); err != nil {
		return nil, err
	} else if !ok {
		return nil, errWrongCurrent
	}
	if err := ally.CheckPassword(password, u.Email, u.Name); err != nil {
		return nil, err
	}
	var hash string
	if err := hashing.do(ctx, false, func() { hash = hashPassword(password) }); err != nil {
		return nil, err
	}
	err = db.withTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?",
			hash, u.ID, old)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errWrongCurrent // changed since it was checked
		}
		return tx.passwordChanged(ctx, u, "source=self")
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// setPassword stores a new password hash, ends every session of the
// account and records the change.
func (tx *Tx) setPassword(ctx context.Context, u *ally.User, hash, detail string) error {
	if _, err := tx.exec(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", hash, u.ID); err != nil {
		return err
	}
	return tx.passwordChanged(ctx, u, detail)
}

// passwordChanged ends every session of an account whose password hash
// was just stored (API tokens are not sessions: they stay) and records
// the change.
func (tx *Tx) passwordChanged(ctx context.Context, u *ally.User, detail string) error {
	if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", u.ID); err != nil {
		return err
	}
	return tx.audit(ctx, "user.password", u.Email, detail)
}
