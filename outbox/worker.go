// Package outbox delivers the mail the store queues (see store/outbox.go)
// through an SMTP relay: it claims due messages, sends each once per
// attempt with a stable Message-ID, and records the outcome. A relay that
// is down or slow only delays mail: each failed attempt is retried with a
// growing wait, and a message is given up only when the relay refuses it
// for good (5xx) or after MaxAttempts.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"sync"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailaddr"
	"github.com/emersion/go-smtp"
)

// Config configures a Worker. Zero durations and counts take the defaults.
type Config struct {
	Queue ally.MailQueue
	Relay *Relay
	// From is the report address, e.g. "Ally <report@example.org>": the
	// From of every message, and the mailbox whose plus-addresses carry
	// replies back into their case.
	From string
	Log  *slog.Logger
	// Digests, when set, has Run queue the responders' digests too: looked
	// for every DigestPoll (default 1 minute), sent when the first event
	// gathered is DigestEvery old (default ally.DigestEvery).
	Digests     ally.DigestQueue
	DigestPoll  time.Duration
	DigestEvery time.Duration

	Batch       int           // messages claimed at once (default 100)
	Connections int           // deliveries in parallel, one relay connection each (default 4)
	Poll        time.Duration // wait between claims when nothing is due (default 2s)
	Timeout     time.Duration // longest wait for the relay per step and per message (default 1m)
	// Lease is how long a claim holds a message; it must outlast a
	// delivery (default 10 × Timeout).
	Lease       time.Duration
	FirstRetry  time.Duration // wait after the first failed attempt, doubling to MaxRetry (default 30s)
	MaxRetry    time.Duration // longest wait between attempts (default 1h)
	MaxAttempts int           // attempts before giving up (default 48: about two days at MaxRetry)
}

// Worker delivers the outbox. Any number of workers, in any number of
// processes, may share one database.
type Worker struct {
	cfg  Config
	from *mail.Address
	key  []byte
}

// New checks cfg and fetches the reply-signing key.
func New(ctx context.Context, cfg Config) (*Worker, error) {
	from, err := mail.ParseAddress(cfg.From)
	if err != nil || mailaddr.Domain(from.Address) == "" {
		return nil, fmt.Errorf("the report address %q is not an email address; use one like report@example.org", cfg.From)
	}
	if cfg.Relay == nil || cfg.Queue == nil {
		return nil, errors.New("outbox: a relay and a queue are needed")
	}
	defaults(&cfg)
	key, err := cfg.Queue.MailKey(ally.NewOperatorContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("reading the mail signing key: %w", err)
	}
	return &Worker{cfg: cfg, from: from, key: key}, nil
}

func defaults(c *Config) {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&c.Poll, 2*time.Second)
	set(&c.DigestPoll, time.Minute)
	set(&c.DigestEvery, ally.DigestEvery)
	set(&c.Timeout, time.Minute)
	set(&c.Lease, 10*c.Timeout)
	set(&c.FirstRetry, 30*time.Second)
	set(&c.MaxRetry, time.Hour)
	if c.Batch <= 0 {
		c.Batch = 100
	}
	if c.Connections <= 0 {
		c.Connections = 4
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 48
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
}

// Run delivers until ctx ends. Errors reaching the database are logged and
// retried after Poll.
func (w *Worker) Run(ctx context.Context) {
	if w.cfg.Digests != nil {
		done := make(chan struct{})
		defer func() { <-done }()
		go func() { defer close(done); w.runDigests(ctx) }()
	}
	for {
		n, err := w.RunOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			w.cfg.Log.Error("outbox", "err", err)
		}
		if n < w.cfg.Batch || err != nil {
			select {
			case <-ctx.Done():
				return
			case <-time.After(w.cfg.Poll):
			}
		}
	}
}

// RunOnce claims one batch of due messages and tries each once. It returns
// how many it claimed. When ctx ends it finishes the messages being sent,
// records them, and gives back the rest of the batch, due at once, so a
// stopping server leaves nothing leased.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	ctx = ally.NewOperatorContext(ctx) // the server's own worker acts as the operator
	batch, err := w.cfg.Queue.ClaimMail(ctx, w.cfg.Batch, w.cfg.Lease)
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	record := context.WithoutCancel(ctx) // what was sent is recorded even when stopping
	work := make(chan *ally.Mail)
	marks := newMarker(record, w.cfg.Queue)
	var wg sync.WaitGroup
	errs := make([]error, min(w.cfg.Connections, len(batch))+1)
	for i := range len(errs) - 1 {
		wg.Go(func() { errs[i] = w.deliverAll(ctx, record, work, marks) })
	}
	for i, m := range batch {
		select {
		case work <- m:
			continue
		case <-ctx.Done():
		}
		for _, rest := range batch[i:] {
			errs[len(errs)-1] = errors.Join(errs[len(errs)-1],
				w.cfg.Queue.MailNotSent(record, rest.ID, "not tried: Ally was stopping", time.Millisecond))
		}
		break
	}
	close(work)
	wg.Wait()
	marks.close()
	return len(batch), errors.Join(errs...)
}

// marker records deliveries as sent as soon as each is made, merging those
// that finish together into one write.
type marker struct {
	reqs chan markReq
	done chan struct{}
}

type markReq struct {
	id  int64
	err chan error
}

func newMarker(ctx context.Context, q ally.MailQueue) *marker {
	m := &marker{reqs: make(chan markReq), done: make(chan struct{})}
	go func() {
		defer close(m.done)
		for first := range m.reqs {
			group := []markReq{first}
		more:
			for {
				select {
				case r, ok := <-m.reqs:
					if !ok {
						break more
					}
					group = append(group, r)
				default:
					break more
				}
			}
			ids := make([]int64, len(group))
			for i, r := range group {
				ids[i] = r.id
			}
			err := q.MailSent(ctx, ids)
			for _, r := range group {
				r.err <- err
			}
		}
	}()
	return m
}

// sent records id as sent and waits until it is stored.
func (m *marker) sent(id int64) error {
	r := markReq{id: id, err: make(chan error, 1)}
	m.reqs <- r
	return <-r.err
}

func (m *marker) close() {
	close(m.reqs)
	<-m.done
}

// deliverAll sends what arrives on work over one relay connection, opened
// (within ctx) when first needed and again after a failure; outcomes are
// recorded within record. Its error is a database one.
func (w *Worker) deliverAll(ctx, record context.Context, work <-chan *ally.Mail, marks *marker) error {
	var c *conn
	defer func() { c.close() }()
	var dbErr error
	for m := range work {
		if dbErr != nil {
			continue // leave it leased; it is tried again when the lease ends
		}
		var err error
		if c == nil {
			c, err = w.dial(ctx)
		}
		if err == nil {
			err = w.send(c, m)
		}
		if err == nil {
			dbErr = marks.sent(m.ID)
			continue
		}
		if !isRefusal(err) { // the connection is unusable: start a new one
			c.close()
			c = nil
		}
		dbErr = w.notSent(record, m, err)
	}
	return dbErr
}

// notSent records a failed attempt: retried later unless the relay refused
// the message for good or it is out of attempts.
func (w *Worker) notSent(ctx context.Context, m *ally.Mail, err error) error {
	retry := w.backoff(m.Attempts)
	if permanent(err) || m.Attempts >= w.cfg.MaxAttempts {
		retry = 0
	}
	w.cfg.Log.Warn("outbox: not sent", "id", m.ID, "attempt", m.Attempts, "retry_in", retry.String(), "err", err)
	return w.cfg.Queue.MailNotSent(ctx, m.ID, err.Error(), retry)
}

// backoff is the wait after the attempt-th failed attempt.
func (w *Worker) backoff(attempt int) time.Duration {
	d := w.cfg.FirstRetry
	for i := 1; i < attempt && d < w.cfg.MaxRetry; i++ {
		d *= 2
	}
	return min(d, w.cfg.MaxRetry)
}

// permanent reports whether the relay refused for good (a 5xx reply), or
// the message itself cannot be sent.
func permanent(err error) bool {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code/100 == 5
	}
	var bad *badMessage
	return errors.As(err, &bad)
}

// isRefusal reports whether the relay answered (so the connection is still
// good for the next message).
func isRefusal(err error) bool {
	var se *smtp.SMTPError
	var bad *badMessage
	return errors.As(err, &se) || errors.As(err, &bad)
}

// badMessage is a message that cannot be sent to anyone (a bad address).
type badMessage struct{ err error }

func (b *badMessage) Error() string { return b.err.Error() }
