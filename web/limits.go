package web

import (
	"cmp"
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/allydesk/ally"
)

// Rate limits (sign-in and per user) are kept by Services.Limits in the
// database, so that every instance counts together (issue 19); the numbers
// are in the root package (limits.go). Concurrency slots (userlimits.go)
// stay per process.

// limit is one shared rate under its own name.
type limit struct {
	name string
	rate ally.Rate
}

var errNoLimits = errors.New("web: no LimitService configured")

// take spends one of key's allowance under l, or says how long to wait.
func (s *Server) take(ctx context.Context, l limit, key string) (time.Duration, error) {
	if s.Limits == nil {
		return 0, errNoLimits
	}
	return s.Limits.TakeRate(ctx, l.name+"|"+key, l.rate, s.Now())
}

// checkSignIn is asked before any credential is checked for account (a
// password, and any other kind of sign-in): it spends the attempt from the
// client's address and network and refuses, with Retry-After, when either
// is used up or the account must wait after failing. A database that cannot
// answer refuses too (fail closed).
func (s *Server) checkSignIn(w http.ResponseWriter, r *http.Request, account string) error {
	if s.Limits == nil {
		return errNoLimits
	}
	addr, ctx := s.clientAddr(r), r.Context()
	nw := network(addr)
	pair, err := s.take(ctx, s.logins, addr.String()+"|"+account)
	if err != nil {
		return err
	}
	wide, err := s.take(ctx, s.networks, nw)
	if err != nil {
		return err
	}
	backoff, err := s.Limits.SignInWait(ctx, account, nw, s.Now())
	if err != nil {
		return err
	}
	if wait := max(pair, wide, backoff); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		return ally.Errorf(ally.ERATELIMITED, "Too many sign-in attempts. Please wait %s and try again.",
			waitWords(wait))
	}
	return nil
}

// signedInOr records how a credential check for account ended (checkErr):
// a failure makes the account wait longer, a success forgets its failures
// and trusts the network. It returns checkErr, or the error recording it.
func (s *Server) signedInOr(r *http.Request, account string, checkErr error) error {
	var err error
	switch ally.ErrorCode(checkErr) {
	case "":
		err = s.Limits.SignInSucceeded(r.Context(), account, network(s.clientAddr(r)), s.Now())
	case ally.EUNAUTHORIZED:
		err = s.Limits.SignInFailed(r.Context(), account, s.Now())
	}
	return cmp.Or(checkErr, err)
}

// clientAddr is the address the request came from: the peer, or, when the
// peer is a trusted proxy, the nearest untrusted address in X-Forwarded-For.
func (s *Server) clientAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	addr = addr.Unmap()
	if !s.trusted(addr) {
		return addr
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return addr
		}
		if addr = a.Unmap(); !s.trusted(addr) {
			return addr
		}
	}
	return addr
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// network is the /24 (IPv4) or /64 (IPv6) holding a.
func network(a netip.Addr) string {
	bits := 64
	if a.Is4() {
		bits = 24
	}
	p, err := a.Prefix(bits)
	if err != nil {
		return a.String()
	}
	return p.String()
}
