// Package webhook delivers the webhook and chat deliveries the store queues
// (store/webhooks.go): it claims due deliveries, posts each with a
// Standard Webhooks signature, and records the outcome. A receiver that
// fails or hangs only delays its own deliveries: each subscription has a
// few slots of its own, and failed attempts are retried with a growing wait
// for up to MaxAge, then marked failed. Any number of workers, in any number
// of processes, may share one database.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/allydesk/ally"
)

// Config configures a Worker. Zero values take the defaults.
type Config struct {
	Queue ally.WebhookQueue
	// Client posts deliveries; by default one with Timeout that follows
	// no redirects.
	Client *http.Client
	Log    *slog.Logger

	Workers    int // deliveries in flight in all (default 32)
	PerWebhook int // deliveries in flight per subscription (default 4)
	Timing
}

// Timing is when a worker claims, how long it waits for an answer, and
// when it tries again. Zero values take the defaults.
type Timing struct {
	Poll    time.Duration // wait between claims when nothing is due (default 1s)
	Timeout time.Duration // longest wait for an answer (default 10s)
	// Lease is how long a claim holds a delivery; it must outlast one
	// (default 6 × Timeout).
	Lease      time.Duration
	FirstRetry time.Duration // wait after the first failure, doubling to MaxRetry (default 10s)
	MaxRetry   time.Duration // longest wait between attempts (default 1h)
	MaxAge     time.Duration // how long a delivery is retried before it fails (default 24h)
	Now        func() time.Time
}

// defaults fills in the zero values, and log and client when nil.
func (t *Timing) defaults(log **slog.Logger, client **http.Client) {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&t.Poll, time.Second)
	set(&t.Timeout, 10*time.Second)
	set(&t.Lease, 6*t.Timeout)
	set(&t.FirstRetry, 10*time.Second)
	set(&t.MaxRetry, time.Hour)
	set(&t.MaxAge, 24*time.Hour)
	if t.Now == nil {
		t.Now = time.Now
	}
	if *log == nil {
		*log = slog.New(slog.DiscardHandler)
	}
	if *client == nil {
		*client = &http.Client{Timeout: t.Timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
}

// Worker delivers webhooks.
type Worker struct {
	cfg  Config
	mu   sync.Mutex
	busy map[int64]int // deliveries in flight per subscription
	n    int           // deliveries in flight in all
	free chan struct{} // a slot was freed
}

// New checks cfg and fills in the defaults.
func New(cfg Config) (*Worker, error) {
	if cfg.Queue == nil {
		return nil, errors.New("webhook: a queue is needed")
	}
	cfg.defaults(&cfg.Log, &cfg.Client)
	if cfg.Workers <= 0 {
		cfg.Workers = 32
	}
	if cfg.PerWebhook <= 0 {
		cfg.PerWebhook = 4
	}
	return &Worker{cfg: cfg, busy: map[int64]int{}, free: make(chan struct{}, 1)}, nil
}

// Run delivers until ctx ends, then lets the deliveries in flight finish
// (each within Timeout) and records them.
func (w *Worker) Run(ctx context.Context) {
	op := ally.NewOperatorContext(ctx) // the server's own worker acts as the operator
	record := context.WithoutCancel(op)
	settle := newSettler(record, w.cfg.Queue, w.cfg.Log)
	var wg sync.WaitGroup
	defer func() {
		wg.Wait()
		settle.close()
	}()
	for ctx.Err() == nil {
		n, err := w.claim(op, record, settle, &wg)
		if err != nil {
			w.cfg.Log.Error("webhook: claim", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
		case <-w.free:
		case <-time.After(w.cfg.Poll):
		}
	}
}

// claim leases what the free slots can take and starts each delivery; it
// returns how many it started.
func (w *Worker) claim(ctx, record context.Context, settle *settler, wg *sync.WaitGroup) (int, error) {
	w.mu.Lock()
	room := w.cfg.Workers - w.n
	var full []int64
	for id, n := range w.busy {
		if n >= w.cfg.PerWebhook {
			full = append(full, id)
		}
	}
	w.mu.Unlock()
	if room <= 0 {
		return 0, nil
	}
	batch, err := w.cfg.Queue.ClaimDeliveries(ctx, room, w.cfg.Lease, full)
	if err != nil {
		return 0, err
	}
	started := 0
	for _, d := range batch {
		if !w.take(d.WebhookID) {
			settle.add(ally.Outcome{ID: d.ID, Release: true})
			continue
		}
		started++
		wg.Go(func() {
			defer w.give(d.WebhookID)
			settle.add(w.Deliver(record, d))
		})
	}
	return started, nil
}

func (w *Worker) take(hook int64) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.busy[hook] >= w.cfg.PerWebhook || w.n >= w.cfg.Workers {
		return false
	}
	w.busy[hook]++
	w.n++
	return true
}

func (w *Worker) give(hook int64) {
	w.mu.Lock()
	if w.busy[hook]--; w.busy[hook] == 0 {
		delete(w.busy, hook)
	}
	w.n--
	w.mu.Unlock()
	select {
	case w.free <- struct{}{}:
	default:
	}
}

// Deliver makes one attempt at d and returns its outcome: delivered on any
// 2xx; the subscription turned off on 410 Gone; otherwise retried with a
// growing wait until MaxAge has passed since the event.
func (w *Worker) Deliver(ctx context.Context, d *ally.Outgoing) ally.Outcome {
	ctx, cancel := context.WithTimeout(ctx, w.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		return ally.Outcome{ID: d.ID, Error: "the URL cannot be used: " + err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Ally-Webhooks/1")
	if d.Format == ally.FormatStandard {
		id, ts := MessageID(d.ID), w.cfg.Now().Unix()
		req.Header.Set("webhook-id", id)
		req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
		req.Header.Set("webhook-signature", Signature(d.Secrets, id, ts, d.Body))
	}
	resp, err := w.cfg.Client.Do(req)
	out := ally.Outcome{ID: d.ID}
	if err != nil {
		out.Error = "no answer: " + err.Error()
	} else {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		out.HTTPStatus = resp.StatusCode
		switch {
		case resp.StatusCode >= 200 && resp.StatusCode < 300:
			out.Delivered = true
			return out
		case resp.StatusCode == http.StatusGone:
			out.Gone, out.Error = true, "the receiver answered 410 Gone: the subscription was turned off"
			return out
		}
		out.Error = fmt.Sprintf("the receiver answered %d", resp.StatusCode)
	}
	return w.cfg.retry(out, 0, d.Attempts, d.CreatedAt)
}

// retry sets out to be tried again after wait (0: the growing wait after
// the attempts-th failure: FirstRetry, doubling up to MaxRetry), or gives
// it up when that would be more than MaxAge after created.
func (t *Timing) retry(out ally.Outcome, wait time.Duration, attempts int, created time.Time) ally.Outcome {
	if wait <= 0 {
		wait = t.FirstRetry
		for i := 1; i < attempts && wait < t.MaxRetry; i++ {
			wait *= 2
		}
		wait = min(wait, t.MaxRetry)
	}
	if t.Now().Add(wait).Sub(created) > t.MaxAge {
		out.Error += fmt.Sprintf("; given up after %d attempts", attempts)
		return out
	}
	out.RetryIn = wait
	return out
}

// MessageID is the webhook-id of delivery id: the same on every attempt,
// so receivers can drop repeats.
func MessageID(id int64) string { return "msg_ally" + strconv.FormatInt(id, 10) }

// Signature is the webhook-signature header (Standard Webhooks): "v1,"
// and the base64 HMAC-SHA256 of "id.timestamp.body" under each secret,
// separated by spaces; a secret is "whsec_" and its base64 key.
func Signature(secrets []string, id string, ts int64, body []byte) string {
	sigs := make([]string, 0, len(secrets))
	for _, s := range secrets {
		key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, "whsec_"))
		if err != nil {
			continue
		}
		m := hmac.New(sha256.New, key)
		m.Write([]byte(id + "." + strconv.FormatInt(ts, 10) + "."))
		m.Write(body)
		sigs = append(sigs, "v1,"+base64.StdEncoding.EncodeToString(m.Sum(nil)))
	}
	return strings.Join(sigs, " ")
}

// settler records outcomes as they come, merging those that finish
// together into one write.
type settler struct {
	in   chan settle
	done chan struct{}
}

type settle struct {
	o        ally.Outcome
	recorded chan struct{}
}

func newSettler(ctx context.Context, q ally.WebhookQueue, log *slog.Logger) *settler {
	s := &settler{in: make(chan settle, 256), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for first := range s.in {
			group := []settle{first}
		more:
			for {
				select {
				case x, ok := <-s.in:
					if !ok {
						break more
					}
					group = append(group, x)
				default:
					break more
				}
			}
			outcomes := make([]ally.Outcome, len(group))
			for i, x := range group {
				outcomes[i] = x.o
			}
			// A failure leaves the deliveries leased: they are tried again
			// when the lease ends (at least once).
			if err := q.SettleDeliveries(ctx, outcomes); err != nil {
				log.Error("webhook: recording outcomes", "n", len(group), "err", err)
			}
			for _, x := range group {
				close(x.recorded)
			}
		}
	}()
	return s
}

// add records o and waits until it is written, so that a slot is free
// again only once its delivery is recorded: a crash can repeat at most the
// deliveries in flight.
func (s *settler) add(o ally.Outcome) {
	x := settle{o: o, recorded: make(chan struct{})}
	s.in <- x
	<-x.recorded
}

func (s *settler) close() {
	close(s.in)
	<-s.done
}
