package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/allydesk/ally"
)

// The ways in besides a password (issue 14): single sign-on (sso.go),
// emailed sign-in links, "forgot password" and "Can't sign in?".

// signInWays are the ways in the sign-in pages offer.
type signInWays struct {
	Providers []providerButton
	// SignOuts are the providers' own sign-out pages, offered after
	// signing out of Ally.
	SignOuts  []providerButton
	Passwords bool // the password form (off with --sso-only)
	Links     bool // "Email me a sign-in link" and "Forgot your password?"
	Anonymous bool // "Report without signing in"
	DeskPhone string
	DeskText  string
}

// providerButton is a "Sign in with …" button.
type providerButton struct {
	Href  string
	Label string
}

func (s *Server) signInWays(next string) signInWays {
	w := signInWays{Passwords: !s.SSOOnly, Links: s.mailLinks(),
		DeskPhone: s.DeskPhone, DeskText: s.DeskText, Anonymous: s.anonymousReports()}
	for _, c := range s.ssos {
		w.Providers = append(w.Providers, providerButton{Href: s.ssoStartPath(c, next), Label: c.Label})
	}
	return w
}

// mailLinks reports whether emailed sign-in and reset links are offered.
func (s *Server) mailLinks() bool { return !s.SSOOnly && s.MailLinks && s.SignIn != nil }

// ssoStartPath is where a provider's button leads, coming back to next.
func (s *Server) ssoStartPath(c *ssoClient, next string) string {
	p := "/auth/oidc/start"
	if c.Name != "" {
		p = "/auth/oidc/" + url.PathEscape(c.Name) + "/start"
	}
	if next != "/" {
		p += "?next=" + url.QueryEscape(next)
	}
	return p
}

// loginProblem shows the sign-in page with what went wrong; every other
// way in is still offered.
func (s *Server) loginProblem(w http.ResponseWriter, r *http.Request, status int, msg string) error {
	p := s.loginPage(w, r, "/")
	p.Error = msg
	return s.render(w, status, "login", p)
}

// linkPage is the page of an emailed link, and the forms that ask for one.
type linkPage struct {
	chrome
	signInWays
	Kind   string // ally.TicketLink or ally.TicketReset
	Action string // where the form posts
	Email  string
	Next   string
	Sent   bool // a link was asked for: say so, whoever the address is
	Error  string
}

// linkBase is an emailed link without its token.
func (s *Server) linkBase(kind string) string {
	p := "/login/link/"
	if kind == ally.TicketReset {
		p = "/login/reset/"
	}
	return strings.TrimRight(s.PublicURL, "/") + p
}

// requestLink emails a link of this kind, with the same answer and the
// same work whether or not the address has an account.
func (s *Server) requestLink(w http.ResponseWriter, r *http.Request, kind, page string) error {
	p := linkPage{chrome: s.loginChrome(w, r), signInWays: s.signInWays("/"), Kind: kind,
		Email: strings.TrimSpace(r.PostFormValue("email")), Next: localPath(r.PostFormValue("next"))}
	p.Action = r.URL.Path
	err := checkLoginOrigin(r)
	if err == nil && !p.Links {
		err = ally.Errorf(ally.EFORBIDDEN, "Ally cannot email links here. Please call the security desk.")
	}
	if err == nil {
		err = s.checkSignIn(w, r, strings.ToLower(p.Email))
	}
	if err == nil && p.Email == "" {
		err = ally.Errorf(ally.EINVALID, "Please type your email address.")
	}
	if err == nil {
		err = s.SignIn.SendLink(r.Context(), kind, p.Email, browserHash(s.loginToken(w, r)), p.Next, s.linkBase(kind))
	}
	switch ally.ErrorCode(err) {
	case "":
		p.Sent = true
		return s.render(w, http.StatusOK, page, p)
	case ally.EFORBIDDEN, ally.EINVALID, ally.ERATELIMITED, ally.EUNSUPPORTED:
		p.Error = pageMessage(err)
		return s.render(w, statusFor(ally.ErrorCode(err)), page, p)
	}
	return err
}

func (s *Server) postLinkRequest(w http.ResponseWriter, r *http.Request) error {
	return s.requestLink(w, r, ally.TicketLink, "forgot")
}

// pageSignInLink shows an emailed sign-in link's "Sign in" button. Mail scanners
// open links, so a GET changes nothing.
func (s *Server) pageSignInLink(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "link", linkPage{chrome: s.loginChrome(w, r), signInWays: s.signInWays("/"),
		Kind: ally.TicketLink, Action: r.URL.Path})
}

// postSignInLink spends an emailed sign-in link in the browser that asked for it.
func (s *Server) postSignInLink(w http.ResponseWriter, r *http.Request) error {
	return s.spendLink(w, r, ally.TicketLink, func(browser string) (*ally.User, string, error) {
		t, err := s.SignIn.UseTicket(r.Context(), ally.TicketLink, r.PathValue("token"), browser)
		if err != nil {
			return nil, "", err
		}
		return t.User, localPath(t.Data), nil
	})
}

// spendLink finishes an emailed link posted from its page: spend uses the
// link for this browser and says who to sign in and where to go next.
// Refusals show the page again with what went wrong.
func (s *Server) spendLink(w http.ResponseWriter, r *http.Request, kind string,
	spend func(browser string) (*ally.User, string, error)) error {
	p := linkPage{chrome: s.loginChrome(w, r), signInWays: s.signInWays("/"), Kind: kind, Action: r.URL.Path}
	err := checkLoginOrigin(r)
	if err == nil {
		err = s.checkSignIn(w, r, "")
	}
	var u *ally.User
	var next string
	if err == nil {
		u, next, err = spend(browserHash(s.loginToken(w, r)))
	}
	switch ally.ErrorCode(err) {
	case "":
		if err := s.startSession(w, r, u); err != nil {
			return err
		}
		return redirect(w, r, next)
	case ally.EFORBIDDEN, ally.EUNAUTHORIZED, ally.ERATELIMITED, ally.EINVALID:
		p.Error = pageMessage(err)
		return s.render(w, statusFor(ally.ErrorCode(err)), "link", p)
	}
	return err
}

// pageForgot asks for the address to send a reset link to.
func (s *Server) pageForgot(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "forgot", linkPage{chrome: s.loginChrome(w, r), signInWays: s.signInWays("/"),
		Kind: ally.TicketReset, Action: "/login/forgot"})
}

func (s *Server) postForgot(w http.ResponseWriter, r *http.Request) error {
	return s.requestLink(w, r, ally.TicketReset, "forgot")
}

// pageReset shows the form for a new password; a GET changes nothing.
func (s *Server) pageReset(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "link", linkPage{chrome: s.loginChrome(w, r), signInWays: s.signInWays("/"),
		Kind: ally.TicketReset, Action: r.URL.Path})
}

// postReset sets the new password, ending every other session, and signs
// the person in. A password that breaks the rules keeps the link working.
func (s *Server) postReset(w http.ResponseWriter, r *http.Request) error {
	return s.spendLink(w, r, ally.TicketReset, func(browser string) (*ally.User, string, error) {
		u, err := s.SignIn.ResetPassword(r.Context(), r.PathValue("token"), browser, r.PostFormValue("password"))
		return u, "/?done=password", err
	})
}

// postUserPassword gives an account a new password, shown to the admin
// once; every session of the account ends.
func (s *Server) postUserPassword(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if !ally.CanManageUsers(u) || s.SignIn == nil {
		return errNotAdmin
	}
	pw := newPassword()
	if err := s.SignIn.SetPassword(r.Context(), r.PathValue("email"), pw); err != nil {
		return err
	}
	p, err := s.usersPage(r)
	if err != nil {
		return err
	}
	p.ResetEmail, p.Password = r.PathValue("email"), pw
	return s.render(w, http.StatusOK, "users", p)
}
