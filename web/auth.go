package web

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
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

// signIn checks credentials (rate limited per client address and email),
// starts a session and sets its cookie.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, email, password string) (*ally.User, error) {
	key := clientIP(r) + "|" + strings.ToLower(strings.TrimSpace(email))
	if !s.logins.allow(key, s.Now()) {
		return nil, ally.Errorf(ally.ERATELIMITED, "Too many sign-in attempts. Please wait a minute and try again.")
	}
	u, err := s.Users.Authenticate(r.Context(), email, password)
	if err != nil {
		return nil, err
	}
	sess, err := s.Users.CreateSession(r.Context(), u.ID, sessionTTL)
	if err != nil {
		return nil, err
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: sess.Secret, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode, Expires: sess.ExpiresAt})
	return u, nil
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

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// limiter allows at most n events per key in each window.
type limiter struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	seen   map[string][]time.Time
}

func newLimiter(n int, window time.Duration) *limiter {
	return &limiter{n: n, window: window, seen: map[string][]time.Time{}}
}

func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.seen) > 10000 { // bound memory under a spray of keys
		clear(l.seen)
	}
	recent := l.seen[key][:0]
	for _, t := range l.seen[key] {
		if now.Sub(t) < l.window {
			recent = append(recent, t)
		}
	}
	if len(recent) >= l.n {
		l.seen[key] = recent
		return false
	}
	l.seen[key] = append(recent, now)
	return true
}
