package web

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/allydesk/ally"
)

// Per-user limits on writes and analyses (issue 20 F7); the numbers are in
// the root package (limits.go). The rates are shared by every instance
// (limits.go); the analysis slots below are per process, as the memory and
// CPU they guard are.

// slots bounds how many analyses run at once: per user and in all.
type slots struct {
	mu      sync.Mutex
	perUser int
	running map[int64]int // user ID → analyses running; no entry at zero
	global  chan struct{}
}

func newSlots(perUser, global int) *slots {
	return &slots{perUser: perUser, running: map[int64]int{}, global: make(chan struct{}, max(1, global))}
}

// acquire takes a slot for user, or reports false when the user or the
// process is at its bound; release gives it back.
func (s *slots) acquire(user int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running[user] >= s.perUser {
		return false
	}
	select {
	case s.global <- struct{}{}:
	default:
		return false
	}
	s.running[user]++
	return true
}

func (s *slots) release(user int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	<-s.global
	if s.running[user]--; s.running[user] <= 0 {
		delete(s.running, user)
	}
}

// rated lets a user through h at most at l's rate; past it, the answer is
// 429 with Retry-After and a message saying how long to wait.
func (s *Server) rated(l limit, h userFunc) userFunc {
	return func(w http.ResponseWriter, r *http.Request, u *ally.User) error {
		wait, err := s.take(r.Context(), l, strconv.FormatInt(u.ID, 10))
		if err != nil {
			return err
		}
		if wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			return ally.Errorf(ally.ERATELIMITED, "You have sent a lot of %s in a short time. "+
				"Please wait %s and try again.", l.rate.What, waitWords(wait))
		}
		return h(w, r, u)
	}
}

// analysing runs h in one of the analysis slots; a user who already has
// ally.AnalysesPerUser running, or a busy server, is asked to retry soon.
func (s *Server) analysing(h userFunc) userFunc {
	return func(w http.ResponseWriter, r *http.Request, u *ally.User) error {
		if !s.analyses.acquire(u.ID) {
			w.Header().Set("Retry-After", "2")
			return ally.Errorf(ally.ERATELIMITED, "Ally is still checking your last few files or messages. "+
				"Please wait a few seconds and try again.")
		}
		defer s.analyses.release(u.ID)
		return h(w, r, u)
	}
}
