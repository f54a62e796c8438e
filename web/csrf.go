package web

import (
	"crypto/subtle"
	"errors"
	"mime"
	"net/http"

	"github.com/allydesk/ally"
)

// CSRF is stopped twice, before any handler reads a body:
//
//  1. crossOrigin refuses any write a browser sends from another site (by
//     Sec-Fetch-Site or Origin), from headers alone, before the body is
//     touched; non-browser clients (bearer tokens, curl) send neither header
//     and pass;
//  2. checkCSRFToken asks a cookie-authenticated write for its session's
//     token (the header X-CSRF-Token for scripts, the form field csrf_token
//     for forms), for browsers too old to send those headers. A form's
//     token is read from a body already cut to its route's limit.

// CSRFHeader carries the CSRF token on cookie-authenticated API writes;
// forms send it as the field csrf_token.
const CSRFHeader = "X-CSRF-Token"

// Body limits: maxBody for any write, maxUpload for a file with its form,
// maxForm for routes that take a file (larger than maxUpload, so that an
// oversized file still reaches its handler and gets a clear answer).
const (
	maxBody   = 1 << 20
	maxUpload = 26 << 20
	maxForm   = 4 * maxUpload
)

// crossOrigin wraps next with Go's cross-origin protection; a refusal is
// rendered as our other errors are.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, ally.Errorf(ally.EFORBIDDEN, "This form came from another site, so we did not send it. "+
			"Open Ally directly, then try again."))
	}))
	return p.Handler(next)
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// checkCSRFToken checks the token of a cookie-authenticated write; bearer
// tokens and anonymous requests carry none. A form too large to read is
// reported as such, not as an expired form.
func checkCSRFToken(r *http.Request, limit int64) error {
	sess := sessionFrom(r.Context())
	if sess == nil {
		return nil
	}
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		var large *http.MaxBytesError
		if err := parseForm(r); errors.As(err, &large) {
			if limit < maxForm {
				return ally.Errorf(ally.ETOOLARGE, "That is too much to send at once (the limit is %d MB). "+
					"Go back, shorten it and try again.", limit>>20)
			}
			return ally.Errorf(ally.ETOOLARGE, "That file is too big to send (the limit is %d MB). "+
				"Go back and send it without the file, or with a smaller one.", ally.MaxAttachment>>20)
		}
		got = r.PostFormValue("csrf_token")
	}
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) != 1 {
		if wantsJSON(r) { // a script using the browser's cookie has no form to reload
			return ally.Errorf(ally.EFORBIDDEN, "%s: is missing or not this session's. A write signed in with the "+
				"session cookie must send the session's CSRF token in %s; scripts can use a bearer token instead "+
				"(ally token create).", CSRFHeader, CSRFHeader)
		}
		return ally.Errorf(ally.EFORBIDDEN, "This form has expired. Go back, reload the page and try again.")
	}
	return nil
}

// parseForm reads a urlencoded or multipart form body (files beyond 32 MB
// of memory go to temporary files).
func parseForm(r *http.Request) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		return r.ParseMultipartForm(32 << 20)
	}
	return r.ParseForm()
}
