package web

import (
	"net/http"
	"net/url"

	"github.com/allydesk/ally"
)

// routesPages registers the server-rendered pages. Every form posts and
// redirects (POST/redirect/GET), so each page works without JavaScript.
func (s *Server) routesPages() {
	s.handle("GET /static/{name}", s.serveStatic)
	s.handle("GET /login", s.pageLogin)
	s.handle("POST /login", s.postLogin)
	s.handle("POST /logout", s.postLogout)
	s.handle("GET /{$}", s.member(s.pageHome))
	s.handle("GET /report", s.member(s.pageReport))
	s.handle("POST /report", s.member(s.postReport))
	s.handle("GET /cases/{ref}", s.member(s.pageCase))
	s.handle("GET /cases/{ref}/sent", s.member(s.pageSent))
	s.handle("POST /cases/{ref}/messages", s.member(s.postMessage))
	s.handle("POST /cases/{ref}/update", s.member(s.postUpdate))
	s.handle("POST /cases/{ref}/tasks", s.member(s.postTasks))
	s.handle("POST /cases/{ref}/feedback", s.member(s.postFeedback))
	s.handle("POST /cases/{ref}/attachments", s.member(s.postAttachment))
	s.handle("GET /campaigns", s.member(s.pageCampaigns))
	s.handle("GET /campaigns/{id}", s.member(s.pageCampaign))
	s.handle("POST /campaigns/{id}/decide", s.member(s.postCampaignDecision))
	s.handle("GET /queue", s.member(s.pageQueue))
	s.handle("GET /admin/users", s.member(s.pageUsers))
	s.handle("POST /admin/users", s.member(s.postNewUser))
	s.handle("POST /admin/users/{email}", s.member(s.postUserUpdate))
	s.handle("GET /dashboard", s.member(s.pageDashboard))
	s.handle("GET /dashboard.csv", s.member(s.dashboardCSV))
	s.handle("GET /insights", s.member(s.pageInsights))
	s.handle("GET /lessons", s.member(s.pageLessons))
	s.handle("POST /lessons", s.member(s.postLesson))
	s.handle("GET /practice", s.member(s.pagePractice))
	s.handle("POST /practice", s.member(s.postPractice))
	s.handle("GET /practice/{id}", s.member(s.pagePracticeSession))
	s.handle("POST /practice/{id}/say", s.member(s.postPracticeSay))
	s.handle("POST /practice/{id}/stop", s.member(s.postPracticeStop))
	s.handle("/", func(w http.ResponseWriter, r *http.Request) error {
		return ally.Errorf(ally.ENOTFOUND, "We could not find that page. It may have moved.")
	})
}

// pageFunc is a page handler for a signed-in user.
type pageFunc func(w http.ResponseWriter, r *http.Request, u *ally.User) error

// member wraps a page that needs a signed-in user: anyone else is sent to
// the sign-in page, and comes back here afterwards.
func (s *Server) member(h pageFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		u, err := currentUser(r)
		if err != nil {
			return err
		}
		return h(w, r, u)
	}
}

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
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
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
	case http.StatusInternalServerError:
		p.Heading, p.Message = "Something went wrong on our side", "Please try again in a moment. If it keeps happening, tell the security team."
	default:
		p.Heading = "That did not work"
	}
	if err := s.render(w, status, "error", p); err != nil {
		s.Log.Error("rendering the error page failed", "error", err.Error())
		http.Error(w, msg, status)
	}
}
