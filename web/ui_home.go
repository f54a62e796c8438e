package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/allydesk/ally"
)

// loginPage is the data of the sign-in page.
type loginPage struct {
	chrome
	signInWays
	Email string
	Next  string
	Error string
}

// pageLogin shows the sign-in form; u is nil unless already signed in.
// With only single sign-on allowed and one provider, it goes straight there.
func (s *Server) pageLogin(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	next := localPath(r.URL.Query().Get("next"))
	if u != nil {
		return redirect(w, r, next)
	}
	if s.SSOOnly && len(s.ssos) == 1 && r.URL.Query().Get("done") != "signout" {
		return redirect(w, r, s.ssoStartPath(s.ssos[0], next))
	}
	p := s.loginPage(w, r, next)
	if r.URL.Query().Get("done") == "signout" {
		for _, c := range s.ssos {
			if u := c.endSessionURL(); u != "" {
				p.SignOuts = append(p.SignOuts, providerButton{Href: u + "?client_id=" + url.QueryEscape(c.ClientID),
					Label: c.Label})
			}
		}
	}
	return s.render(w, http.StatusOK, "login", p)
}

// loginPage is the sign-in page's data for a visitor going on to next.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, next string) loginPage {
	return loginPage{chrome: s.loginChrome(w, r), signInWays: s.signInWays(next), Next: next}
}

// loginChrome is the sign-in page's chrome, with the form token as its CSRF.
func (s *Server) loginChrome(w http.ResponseWriter, r *http.Request) chrome {
	c := chromeFor(r, "Sign in")
	if c.CSRF == "" { // signed in: the session's token, which every write checks
		c.CSRF = s.loginToken(w, r)
	}
	return c
}

func (s *Server) postLogin(w http.ResponseWriter, r *http.Request) error {
	if s.SSOOnly {
		return s.loginProblem(w, r, http.StatusForbidden, "Passwords are switched off here. Please sign in with "+
			"your organisation's account.")
	}
	email, next := r.PostFormValue("email"), localPath(r.PostFormValue("next"))
	err := checkLoginOrigin(r)
	if err == nil {
		if _, err = s.signIn(w, r, email, r.PostFormValue("password")); err == nil {
			return redirect(w, r, next)
		}
	}
	p := s.loginPage(w, r, next)
	p.Email = email
	switch ally.ErrorCode(err) {
	case ally.EFORBIDDEN:
		p.Error = pageMessage(err)
	case ally.EUNAUTHORIZED:
		p.Error = "That email and password do not match. Please check them and try again."
	case ally.ERATELIMITED:
		p.Error = pageMessage(err)
	default:
		return err
	}
	return s.render(w, statusFor(ally.ErrorCode(err)), "login", p)
}

func (s *Server) postLogout(w http.ResponseWriter, r *http.Request) error {
	if err := s.signOut(w, r); err != nil {
		return err
	}
	return redirect(w, r, "/login?done=signout")
}

// homePage is the reporter's start page: report, and their own reports.
type homePage struct {
	chrome
	Now   time.Time
	Cases []*ally.Case
	Pages pager
	// Lessons are the latest shared lessons, on the first page only.
	Lessons []*ally.Lesson
	// Signals are "was this you?" questions waiting for the person.
	Signals []*ally.SignalNotice
}

// homeLessons is how many lessons the reporter's home shows.
const homeLessons = 3

// pageHome sends responders to the queue and shows reporters their page.
func (s *Server) pageHome(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if ally.CanTriage(u) {
		return redirect(w, r, "/queue")
	}
	page, err := s.Cases.FindCases(r.Context(), ally.CaseFilter{Limit: 20, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		return err
	}
	p := homePage{chrome: chromeFor(r, "Home"), Now: s.Now(), Cases: page.Items}
	if s.Signals != nil {
		if p.Signals, err = s.Signals.MySignals(r.Context()); err != nil {
			return err
		}
	}
	p.Pages = newPager(r, "/", cursorOf(page.NextCursor), pageWords)
	if r.URL.Query().Get("cursor") == "" && s.Insights != nil {
		if p.Lessons, err = s.Insights.Lessons(r.Context(), 0, homeLessons); err != nil {
			return err
		}
	}
	return s.render(w, http.StatusOK, "home", p)
}
