package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

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
	p := errorPage{chrome: chromeFor(r, "Something went wrong"), Status: status, Message: plainMessage(msg)}
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

// fieldName is how a domain message names its field first ("email: …",
// "rules[2].days: …"), the API's form: lower case, no spaces.
var fieldName = regexp.MustCompile(`^[a-z][a-z0-9_.\[\]]*$`)

// fieldWords name a field in a page's message shown away from the field:
// "password: must be …" reads "The password must be …". Other fields are
// "This".
var fieldWords = map[string]string{
	"password": "The password", "current": "Your current password", "email": "The email address",
	"name": "The name", "title": "The title", "body": "The message", "summary": "The summary",
	"details": "The details", "outcome": "The outcome", "comment": "The comment", "rating": "The rating",
	"department": "The department", "role": "The role", "url": "The address", "expires": "The expiry",
	"file": "The file", "ref": "The case reference", "kind": "The kind", "severity": "The severity",
	"status": "The status", "q": "The search", "query": "The web address", "cursor": "The link",
	"from": "The first day", "to": "The last day", "occurred_at": "The time it happened",
}

// splitField splits a domain message "field: problem" into its field and
// problem; ok is false for a message that does not start with a field name.
func splitField(msg string) (field, problem string, ok bool) {
	field, problem, ok = strings.Cut(msg, ": ")
	if !ok || problem == "" || !fieldName.MatchString(field) {
		return "", "", false
	}
	return field, problem, true
}

// saidOf makes a field's problem a sentence: one that goes on from the
// field ("is required", "must be …", "has …") gets subject before it,
// any other starts with a capital letter.
func saidOf(subject, problem string) string {
	for _, verb := range []string{"is ", "must ", "has "} {
		if strings.HasPrefix(problem, verb) {
			return subject + " " + problem
		}
	}
	return capital(problem)
}

// capital returns s with a capital first letter.
func capital(s string) string {
	if s == "" {
		return s
	}
	first, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(first)) + s[n:]
}

// plainMessage is a domain message as people read it on a page: the
// field's name the API starts it with (docs/api.md) becomes words or goes,
// so "email: an account for a@example.com already exists." reads "An
// account for a@example.com already exists." and "password: must be at
// least 12 characters." reads "The password must be at least 12
// characters." Any other message is as it is.
func plainMessage(msg string) string {
	field, problem, ok := splitField(msg)
	if !ok {
		return msg
	}
	subject, known := fieldWords[field]
	if !known {
		subject = "This"
	}
	return saidOf(subject, problem)
}

// pageMessage is err's message for a page (plainMessage).
func pageMessage(err error) string { return plainMessage(ally.ErrorMessage(err)) }
