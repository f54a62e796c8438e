package web

import (
	"container/list"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Sign-in limits. An address may try one email 10 times a minute and any
// emails 60 times a minute from its network (/24 or /64); an account that
// keeps failing waits longer each time (1 s doubling to 5 min) except from a
// network it has signed in from before, so that no one can lock a person out.
const (
	pairLimit      = 10
	networkLimit   = 60
	limitWindow    = time.Minute
	freeFailures   = 5
	maxBackoff     = 5 * time.Minute
	limiterEntries = 100000
)

// lru is a bounded map that forgets the least recently used key when full,
// so a spray of keys evicts old entries one at a time, never the whole map.
type lru[V any] struct {
	max   int
	order *list.List // front: most recently used
	items map[string]*list.Element
}

type lruEntry[V any] struct {
	key string
	val V
}

func newLRU[V any](max int) *lru[V] {
	return &lru[V]{max: max, order: list.New(), items: map[string]*list.Element{}}
}

// get returns the value for key, creating it if absent.
func (c *lru[V]) get(key string) *V {
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		return &e.Value.(*lruEntry[V]).val
	}
	if c.order.Len() >= c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.items, old.Value.(*lruEntry[V]).key)
	}
	e := &lruEntry[V]{key: key}
	c.items[key] = c.order.PushFront(e)
	return &e.val
}

func (c *lru[V]) remove(key string) {
	if e, ok := c.items[key]; ok {
		c.order.Remove(e)
		delete(c.items, key)
	}
}

// limiter allows at most n events per key in each window.
type limiter struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	seen   *lru[[]time.Time]
}

func newLimiter(n int, window time.Duration) *limiter {
	return &limiter{n: n, window: window, seen: newLRU[[]time.Time](limiterEntries)}
}

// allow records an event for key, or says how long to wait.
func (l *limiter) allow(key string, now time.Time) (wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	times := l.seen.get(key)
	recent := (*times)[:0]
	for _, t := range *times {
		if now.Sub(t) < l.window {
			recent = append(recent, t)
		}
	}
	*times = recent
	if len(recent) >= l.n {
		return recent[0].Add(l.window).Sub(now)
	}
	*times = append(recent, now)
	return 0
}

// backoff makes an account that keeps failing wait longer each time, unless
// the attempt comes from a network that has signed in to it before.
type backoff struct {
	mu    sync.Mutex
	fails *lru[failures]
	known *lru[struct{}] // account|network pairs that signed in
}

type failures struct {
	n     int
	until time.Time
}

func newBackoff() *backoff {
	return &backoff{fails: newLRU[failures](limiterEntries), known: newLRU[struct{}](limiterEntries)}
}

// wait says how long account must wait before trying from network.
func (b *backoff) wait(account, network string, now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.known.items[account+"|"+network]; ok {
		return 0
	}
	if f, ok := b.fails.items[account]; ok {
		return max(0, f.Value.(*lruEntry[failures]).val.until.Sub(now))
	}
	return 0
}

// failed records a failed attempt; succeeded forgets them and remembers the
// network.
func (b *backoff) failed(account string, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f := b.fails.get(account)
	f.n++
	if f.n >= freeFailures {
		f.until = now.Add(min(maxBackoff, time.Second<<min(f.n-freeFailures, 20)))
	}
}

func (b *backoff) succeeded(account, network string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fails.remove(account)
	b.known.get(account + "|" + network)
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
