package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/allydesk/ally"
)

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "ally_session"

// sessionTTL is how long a browser session lasts.
const sessionTTL = 12 * time.Hour

type sessionKey struct{}

// sessionFrom returns the browser session of the request, or nil for bearer
// tokens and anonymous requests.
func sessionFrom(ctx context.Context) *ally.Session {
	s, _ := ctx.Value(sessionKey{}).(*ally.Session)
	return s
}

// authenticate resolves the bearer token or session cookie into the
// signed-in user; it reads no body (csrf.go checks writes). A bad bearer
// token is refused outright; a stale cookie is treated as anonymous.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			var u *ally.User
			var err error = errBadBearer
			if ok {
				u, err = s.Users.FindUserByToken(ctx, strings.TrimSpace(token))
			}
			if refused(err) {
				err = errBadBearer
			}
			if err != nil { // a database that cannot answer is a 503, never a bad token
				s.fail(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(ally.NewContextWithUser(ctx, u)))
			return
		}
		if c, err := r.Cookie(SessionCookie); err == nil {
			sess, u, err := s.Users.FindSession(ctx, c.Value)
			switch {
			case err == nil:
				ctx = context.WithValue(ally.NewContextWithUser(ctx, u), sessionKey{}, sess)
			case !refused(err): // not a stale cookie: the database could not tell
				s.fail(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

var errBadBearer = ally.Errorf(ally.EUNAUTHORIZED,
	"The bearer token is not valid. Create one with: ally token create --email YOU")

// refused reports whether err says the credentials are not (or no longer)
// good, as opposed to the database failing to say either way.
func refused(err error) bool {
	code := ally.ErrorCode(err)
	return code == ally.EUNAUTHORIZED || code == ally.ENOTFOUND
}

// signIn checks credentials (rate limited: see limits.go), starts a
// session and sets its cookie.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, email, password string) (*ally.User, error) {
	var u *ally.User
	if err := s.checkCredential(w, r, strings.ToLower(strings.TrimSpace(email)), func() (err error) {
		u, err = s.Users.Authenticate(r.Context(), email, password)
		return err
	}); err != nil {
		return nil, err
	}
	return u, s.startSession(w, r, u)
}

// checkCredential runs check, which checks a password of account, within
// the sign-in limits: checkSignIn first, and its outcome recorded after
// (signedInOr). It returns check's error, or the limits'.
func (s *Server) checkCredential(w http.ResponseWriter, r *http.Request, account string, check func() error) error {
	if err := s.checkSignIn(w, r, account); err != nil {
		return err
	}
	err := check()
	if ally.ErrorCode(err) == ally.ERATELIMITED {
		w.Header().Set("Retry-After", "2") // every password check is busy: a short wait
	}
	return s.signedInOr(r, account, err)
}

// startSession starts a browser session for u and sets its cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	sess, err := s.Users.CreateSession(r.Context(), u.ID, sessionTTL)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: sess.Secret, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode, Expires: sess.ExpiresAt})
	return nil
}

// signOut ends the session and clears its cookie.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := s.Users.DeleteSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1,
		Secure: s.SecureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode})
	return nil
}

// waitWords says a wait in plain words: "a few seconds", "a minute", "5 minutes".
func waitWords(d time.Duration) string {
	switch {
	case d < 30*time.Second:
		return "a few seconds"
	case d <= time.Minute:
		return "a minute"
	}
	return strconv.Itoa(int(d.Round(time.Minute).Minutes())) + " minutes"
}
