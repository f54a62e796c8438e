package web

import (
	"net/http"

	"github.com/allydesk/ally"
)

// Changing one's own password (session 7): the page /account/password
// and POST /api/v1/me/password, both through changePassword.

// errOwnPassword refuses those who have no password of their own.
const errOwnPassword = "Only a person with an Ally account can change their password."

// passwordPage is the form to change one's own password.
type passwordPage struct {
	chrome
	Forgot     bool // offer "Forgot your current password?" (emailed links are on)
	NoPassword bool // the account has none: say how it signs in, no form
	Error      string
}

func (s *Server) passwordPage(r *http.Request) passwordPage {
	return passwordPage{chrome: chromeFor(r, "Change your password"), Forgot: s.mailLinks()}
}

func (s *Server) pagePassword(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if err := s.passwordsOn(); err != nil {
		return err
	}
	p := s.passwordPage(r)
	if !u.HasPassword {
		p.NoPassword, p.Error = true, ally.ErrorMessage(ally.ErrNoPassword)
	}
	return s.render(w, http.StatusOK, "password", p)
}

// postPassword changes the password and goes home, signed in; a refusal
// shows the form again with what went wrong.
func (s *Server) postPassword(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	err := s.changePassword(w, r, u, r.PostFormValue("current"), r.PostFormValue("password"))
	switch code := ally.ErrorCode(err); code {
	case "":
		return redirect(w, r, "/?done=password")
	case ally.EUNAUTHORIZED, ally.EINVALID, ally.ERATELIMITED:
		p := s.passwordPage(r)
		p.Error = pageMessage(err)
		return s.render(w, statusFor(code), "password", p)
	}
	return err
}

func (s *Server) apiChangePassword(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	var body struct {
		Current  string `json:"current"`
		Password string `json:"password"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	if err := s.changePassword(w, r, u, body.Current, body.Password); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// changePassword changes u's password within the sign-in limits (a wrong
// current password counts as a failed sign-in). Every session of the
// account ends, so a browser that asked gets a new one and stays signed
// in; a bearer token needs none.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, u *ally.User, current, password string) error {
	if err := s.passwordsOn(); err != nil {
		return err
	}
	if err := s.checkCredential(w, r, u.Email, func() error {
		_, err := s.Users.ChangePassword(r.Context(), current, password)
		return err
	}); err != nil {
		return err
	}
	if sessionFrom(r.Context()) == nil {
		return nil
	}
	return s.startSession(w, r, u)
}

// passwordsOn refuses password changes where passwords are switched off
// (--sso-only).
func (s *Server) passwordsOn() error {
	if s.SSOOnly {
		return ally.Errorf(ally.EFORBIDDEN, "Passwords are switched off here. You sign in with your "+
			"organisation's account.")
	}
	return nil
}
