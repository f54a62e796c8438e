package store

import (
	"context"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/allydesk/ally"
)

// hashPool bounds how many password hashes (argon2id, 19 MiB each) run at
// once: a worker per CPU and a short queue; anyone past the queue is told
// to come back (ERATELIMITED), so a sign-in flood costs a bounded amount of
// memory. It also remembers how long a check takes, so that a sign-in with
// an unknown email can take as long without computing anything.
type hashPool struct {
	workers chan struct{}
	tickets chan struct{} // workers plus queue places
	typical atomic.Int64  // nanoseconds, a moving average of real checks
}

// hashing is the process-wide pool: memory is a process-wide resource.
var hashing = newHashPool(runtime.NumCPU(), 2*runtime.NumCPU())

func newHashPool(workers, queue int) *hashPool {
	p := &hashPool{workers: make(chan struct{}, workers), tickets: make(chan struct{}, workers+queue)}
	p.typical.Store(int64(50 * time.Millisecond))
	return p
}

// errBusy is returned when the pool and its queue are full.
var errBusy = ally.Errorf(ally.ERATELIMITED, "Ally is busy signing other people in. "+
	"Please wait a few seconds and try again.")

// do runs f on a worker, waiting in the queue if need be; it records f's
// duration when measure is set.
func (p *hashPool) do(ctx context.Context, measure bool, f func()) error {
	select {
	case p.tickets <- struct{}{}:
	default:
		return errBusy
	}
	defer func() { <-p.tickets }()
	select {
	case p.workers <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-p.workers }()
	start := time.Now()
	f()
	if measure {
		took := int64(time.Since(start))
		old := p.typical.Load()
		p.typical.CompareAndSwap(old, old+(took-old)/8)
	}
	return nil
}

// check compares pw with an encoded hash on a worker.
func (p *hashPool) check(ctx context.Context, encoded, pw string) (ok bool, err error) {
	err = p.do(ctx, true, func() { ok = checkPassword(encoded, pw) })
	return ok, err
}

// pretend takes a worker for as long as a typical check, allocating nothing,
// so that an unknown email answers like a known one.
func (p *hashPool) pretend(ctx context.Context) error {
	return p.do(ctx, false, func() {
		t := time.NewTimer(time.Duration(p.typical.Load()))
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
	})
}
