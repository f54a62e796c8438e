package web

import (
	"net/http"
	"net/url"

	"github.com/allydesk/ally"
)

// errorPage is the data of the error page.
type errorPage struct {
	chrome
	Status  int
	Heading string
	Message string
}

// renderError shows an error as a calm page. Signed-out visitors asking for
// a page are sent to sign in instead.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if sendsToSignIn(r, ally.EUNAUTHORIZED) && status == http.StatusUnauthorized {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	p := errorPage{chrome: chromeFor(r, "Something went wrong"), Status: status, Message: msg}
	switch status {
	case http.StatusNotFound:
		p.Title, p.Heading = "Not found", "We could not find that"
	case http.StatusUnauthorized:
		p.Title, p.Heading, p.Message = "Sign in", "Please sign in again", "You were signed out. Sign in, then try again."
	case http.StatusForbidden:
		p.Title, p.Heading = "Not allowed", "This page is not open to you"
	case http.StatusServiceUnavailable:
		p.Title, p.Heading = "Back soon", "Ally is busy for a moment"
	case http.StatusInternalServerError:
		p.Heading = "Something went wrong on our side"
		p.Message = "Please try again in a moment. If it keeps happening, tell the security team."
	default: // the request could not be done as asked: not our failure
		p.Title, p.Heading = "That did not work", "That did not work"
	}
	if err := s.render(w, status, "error", p); err != nil {
		s.Log.Error("rendering the error page failed", "error", err.Error())
		http.Error(w, msg, status)
	}
}
