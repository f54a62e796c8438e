package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"mime"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/allydesk/ally"
)

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "ally_session"

// CSRFHeader carries the CSRF token on cookie-authenticated API writes;
// forms send it as the field csrf_token.
const CSRFHeader = "X-CSRF-Token"

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
// signed-in user and enforces CSRF on cookie-authenticated writes. A bad
// bearer token is refused outright; a stale cookie is treated as anonymous.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			u, err := s.Users.FindUserByToken(ctx, strings.TrimSpace(token))
			if !ok || err != nil {
				s.fail(w, r, ally.Errorf(ally.EUNAUTHORIZED, "The bearer token is not valid. Create one with: ally token create --email YOU"))
				return
			}
			next.ServeHTTP(w, r.WithContext(ally.NewContextWithUser(ctx, u)))
			return
		}
		if c, err := r.Cookie(SessionCookie); err == nil {
			if sess, u, err := s.Users.FindSession(ctx, c.Value); err == nil {
				if unsafeMethod(r.Method) {
					if err := checkCSRF(r, sess.CSRF); err != nil {
						s.fail(w, r, err)
						return
					}
				}
				ctx = context.WithValue(ally.NewContextWithUser(ctx, u), sessionKey{}, sess)
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// checkCSRF checks the CSRF token of a cookie-authenticated write: the
// header for scripts, the form field csrf_token for forms. A form too large
// to read is reported as such, not as an expired form.
func checkCSRF(r *http.Request, want string) error {
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		r.Body = http.MaxBytesReader(nil, r.Body, maxForm)
		var large *http.MaxBytesError
		if err := parseForm(r); errors.As(err, &large) {
			return ally.Errorf(ally.ETOOLARGE, "That file is too big to send (the limit is %d MB). "+
				"Go back and send it without the file, or with a smaller one.", ally.MaxAttachment>>20)
		}
		got = r.PostFormValue("csrf_token")
	}
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
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

// maxUpload bounds an upload's multipart body (the file plus the form);
// maxForm bounds what the CSRF check reads, larger so that an oversized file
// reaches its handler and gets a clear "too large" answer.
const (
	maxUpload = 26 << 20
	maxForm   = 4 * maxUpload
)

// currentUser returns the signed-in user or EUNAUTHORIZED.
func currentUser(r *http.Request) (*ally.User, error) {
	if u := ally.UserFromContext(r.Context()); u != nil {
		return u, nil
	}
	return nil, ally.Errorf(ally.EUNAUTHORIZED, "Sign in first: send a bearer token or use the sign-in page.")
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
