package web

import (
	"net/http"
	"strings"

	"github.com/allydesk/ally"
)

// Reporting without signing in (issue 14): the same report form, optional
// contact details, and a private follow link that stands in for signing in
// to that one report. Abuse is bounded by the sign-in limits per network
// (limits.go) and the form's size limit, never by a CAPTCHA.

// anonymousReports reports whether people may report without signing in.
func (s *Server) anonymousReports() bool { return !s.NoAnonymousReports && s.Follow != nil }

// postReportBy files the report form: a signed-in person's as always,
// anyone else's without signing in when that is on.
func (s *Server) postReportBy(signedIn handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if ally.UserFromContext(r.Context()) != nil {
			return signedIn(w, r)
		}
		if _, err := r.Cookie(SessionCookie); err == nil || !s.anonymousReports() {
			// A session ended while they wrote: keep it for them to send
			// as themselves after signing in (drafts.go).
			return s.keepingDraft("/report", signedIn)(w, r)
		}
		return s.postAnonymousReport(w, r)
	}
}

// postAnonymousReport opens the case, signs the browser in to it and shows
// the follow link once.
func (s *Server) postAnonymousReport(w http.ResponseWriter, r *http.Request) error {
	if err := s.checkSignIn(w, r, ""); err != nil {
		p := s.reportForm(r, ally.Kind(r.PostFormValue("kind")))
		p.Error = "Many reports came from your network just now. " + ally.ErrorMessage(err) +
			" If it is urgent, please call the security desk."
		return s.render(w, http.StatusTooManyRequests, "report", p)
	}
	n, p, err := s.readReport(w, r)
	if n == nil {
		return err
	}
	c, u, secret, err := s.Follow.ReportAnonymously(r.Context(), n, ally.Contact{Name: p.ContactName,
		Email: p.ContactAt})
	if ally.ErrorCode(err) == ally.EINVALID {
		p.Error = pageMessage(err)
		return s.render(w, http.StatusBadRequest, "report", p)
	} else if err != nil {
		return err
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	if c, err = s.Cases.FindCase(ally.NewContextWithUser(r.Context(), u), c.Ref); err != nil {
		return err
	}
	sent := s.newSentPage(r, c)
	sent.Follow = s.absoluteURL(r, "/follow/"+secret)
	return s.render(w, http.StatusCreated, "sent", sent)
}

// absoluteURL is path as people reach Ally: under PublicURL, or without
// one under the scheme and host of the request, so that a link shown to
// be copied and kept (the follow link) opens when pasted later.
func (s *Server) absoluteURL(r *http.Request, path string) string {
	if s.PublicURL != "" {
		return strings.TrimRight(s.PublicURL, "/") + path
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

// getFollow signs the browser in to the report its follow link belongs to
// and shows the reporter's page.
func (s *Server) getFollow(w http.ResponseWriter, r *http.Request) error {
	if err := s.checkSignIn(w, r, ""); err != nil {
		return err
	}
	if s.Follow == nil {
		return pageNotFound(w, r)
	}
	u, err := s.Follow.FollowerOf(r.Context(), r.PathValue("token"))
	if ally.ErrorCode(err) == ally.EUNAUTHORIZED {
		return ally.Errorf(ally.ENOTFOUND, "%s", ally.ErrorMessage(err))
	} else if err != nil {
		return err
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	return redirect(w, r, "/")
}

// postRevokeFollow ends a report's follow link.
func (s *Server) postRevokeFollow(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if s.Follow == nil {
		return pageNotFound(w, r)
	}
	if err := s.Follow.RevokeFollow(r.Context(), r.PathValue("ref")); err != nil {
		return err
	}
	return redirect(w, r, "/cases/"+r.PathValue("ref")+"?done=revoked")
}
