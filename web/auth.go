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
			u, err := s.Users.FindUserByToken(ctx, strings.TrimSpace(token))
			if !ok || err != nil {
				s.fail(w, r, ally.Errorf(ally.EUNAUTHORIZED,
					"The bearer token is not valid. Create one with: ally token create --email YOU"))
				return
			}
			next.ServeHTTP(w, r.WithContext(ally.NewContextWithUser(ctx, u)))
			return
		}
		if c, err := r.Cookie(SessionCookie); err == nil {
			if sess, u, err := s.Users.FindSession(ctx, c.Value); err == nil {
				ctx = context.WithValue(ally.NewContextWithUser(ctx, u), sessionKey{}, sess)
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// signIn checks credentials (rate limited: see limits.go), starts a
// session and sets its cookie.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, email, password string) (*ally.User, error) {
	account, now := strings.ToLower(strings.TrimSpace(email)), s.Now()
	nw := network(s.clientAddr(r))
	if err := s.limitCredentials(w, r, account, s.accounts.wait(account, nw, now)); err != nil {
		return nil, err
	}
	u, err := s.Users.Authenticate(r.Context(), email, password)
	switch ally.ErrorCode(err) {
	case "":
		s.accounts.succeeded(account, nw)
	case ally.EUNAUTHORIZED:
		s.accounts.failed(account, now)
		return nil, err
	case ally.ERATELIMITED:
		w.Header().Set("Retry-After", "2") // every password check is busy: a short wait
		return nil, err
	default:
		return nil, err
	}
	return u, s.startSession(w, r, u)
}

// limitCredentials applies the sign-in limits (limits.go) to a request that
// presents or asks for a credential: per address and account (account may
// be empty: then only the network's), per network, and the account's own
// backoff wait.
func (s *Server) limitCredentials(w http.ResponseWriter, r *http.Request, account string, backoff time.Duration) error {
	addr, now := s.clientAddr(r), s.Now()
	wait := max(s.networks.allow(network(addr), now), backoff)
	if account != "" {
		wait = max(wait, s.logins.allow(addr.String()+"|"+account, now))
	}
	if wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		return ally.Errorf(ally.ERATELIMITED, "Too many sign-in attempts. Please wait %s and try again.",
			waitWords(wait))
	}
	return nil
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
