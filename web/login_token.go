package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"

	"github.com/allydesk/ally"
)

// loginCookie holds the sign-in form's token (a double-submit token: the
// form carries the same value as csrf_token). Nobody is signed in yet, so
// there is no session token to ask for.
const loginCookie = "ally_login"

// loginToken returns the sign-in form token, setting its cookie if the
// browser has none.
func (s *Server) loginToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(loginCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	tok := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: tok, Path: "/login", HttpOnly: true,
		Secure: s.SecureCookies || r.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: 12 * 3600})
	r.AddCookie(&http.Cookie{Name: loginCookie, Value: tok}) // the same token for the rest of this request
	return tok
}

// checkLoginOrigin refuses a sign-in whose origin is unknown (no Origin, or
// "null" from a sandboxed frame or a data: page) unless it carries the
// form's token; crossOrigin has already refused other sites.
func checkLoginOrigin(r *http.Request) error {
	if o := r.Header.Get("Origin"); (o != "" && o != "null") || r.Header.Get("Sec-Fetch-Site") == "same-origin" ||
		sessionFrom(r.Context()) != nil { // checkCSRFToken has checked the session's token
		return nil
	}
	c, err := r.Cookie(loginCookie)
	got := r.PostFormValue("csrf_token")
	if err != nil || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(c.Value)) != 1 {
		return ally.Errorf(ally.EFORBIDDEN, "This sign-in form has expired. Please sign in again.")
	}
	return nil
}
