package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
	"github.com/allydesk/ally/webhook"
)

// receiver is a real HTTP server that checks deliveries as a receiver
// would, by the Standard Webhooks verification algorithm (written here
// from the spec, not with our signer): the timestamp within 5 minutes,
// then any "v1," signature of "id.timestamp.body" under the secret. It
// drops repeats by webhook-id.
type receiver struct {
	*httptest.Server
	secrets []string
	answer  func(n int) int // status for the n-th request (from 1)

	mu       sync.Mutex
	requests int
	bodies   map[string][]byte // by webhook-id
	repeats  int
	refused  []string
}

func newReceiver(t *testing.T, secret string, answer func(n int) int) *receiver {
	r := &receiver{secrets: []string{secret}, answer: answer, bodies: map[string][]byte{}}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.requests++
	n := r.requests
	secrets := r.secrets
	r.mu.Unlock()
	if err := verify(secrets, req.Header, body, time.Now()); err != nil {
		r.mu.Lock()
		r.refused = append(r.refused, err.Error())
		r.mu.Unlock()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	status := r.answer(n)
	if status/100 == 2 {
		r.mu.Lock()
		id := req.Header.Get("webhook-id")
		if _, seen := r.bodies[id]; seen {
			r.repeats++
		}
		r.bodies[id] = body
		r.mu.Unlock()
	}
	w.WriteHeader(status)
}

// got is how many distinct deliveries the receiver took.
func (r *receiver) got() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.bodies)
}

var errSignature = errors.New("no signature matches")

// verify is the Standard Webhooks receiver's check.
func verify(secrets []string, h http.Header, body []byte, now time.Time) error {
	id, ts, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || ts == "" || sigs == "" {
		return errors.New("missing webhook headers")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("bad timestamp")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return errors.New("timestamp outside the tolerance")
	}
	for _, secret := range secrets {
		key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(id + "." + ts + "." + string(body)))
		want := mac.Sum(nil)
		for _, s := range strings.Fields(sigs) {
			v, sig, _ := strings.Cut(s, ",")
			got, _ := base64.StdEncoding.DecodeString(sig)
			if v == "v1" && hmac.Equal(got, want) {
				return nil
			}
		}
	}
	return errSignature
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type world struct {
	db    *store.DB
	clock *clock
	op    context.Context
}

func each(t *testing.T, fn func(t *testing.T, w *world)) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			c := &clock{t: time.Now().Truncate(time.Millisecond)}
			fn(t, &world{db: storetest.Open(t, e, store.Options{Now: c.now, PublicURL: "https://ally.test"}), clock: c,
				op: ally.NewOperatorContext(context.Background())})
		})
	}
}

func (w *world) hook(t *testing.T, url string, events ...string) *ally.Webhook {
	t.Helper()
	if len(events) == 0 {
		events = []string{ally.EventCaseCreated}
	}
	h, err := w.db.CreateWebhook(w.op, &ally.NewWebhook{URL: url, Events: events})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// queue queues n test deliveries for h.
func (w *world) queue(t *testing.T, h *ally.Webhook, n int) {
	t.Helper()
	for range n {
		if _, err := w.db.TestWebhook(w.op, h.ID); err != nil {
			t.Fatal(err)
		}
	}
}

// worker is a worker with short waits, for tests.
func (w *world) worker(t *testing.T, q ally.WebhookQueue) *webhook.Worker {
	t.Helper()
	wk, err := webhook.New(webhook.Config{Queue: q, PerWebhook: 4, Workers: 12,
		Timing: webhook.Timing{Timeout: 500 * time.Millisecond, Poll: 20 * time.Millisecond, Lease: time.Minute,
			FirstRetry: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	return wk
}

// drain runs a worker until cond holds (or fails the test after a while).
func drain(t *testing.T, wk *webhook.Worker, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { wk.Run(ctx); close(done) }()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatal("the worker did not get there")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
}

func deliveries(t *testing.T, w *world, h *ally.Webhook) []*ally.WebhookDelivery {
	t.Helper()
	ds, err := w.db.WebhookDeliveries(w.op, h.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func countStatus(ds []*ally.WebhookDelivery, status string) int {
	n := 0
	for _, d := range ds {
		if d.Status == status {
			n++
		}
	}
	return n
}

// TestDeliveriesSignedAndRetried: deliveries reach a receiver that checks
// signatures; one that answers 500 for a while gets everything once it
// recovers; a hanging one does not hold the others up; a 410 turns its
// subscription off; a receiver down for an hour loses nothing.
func TestDeliveriesSignedAndRetried(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		good := newReceiver(t, "", func(int) int { return 204 })
		hGood := w.hook(t, good.URL)
		good.secrets = []string{hGood.Secret}
		flaky := newReceiver(t, "", func(n int) int {
			if n <= 3 {
				return 500
			}
			return 200
		})
		hFlaky := w.hook(t, flaky.URL)
		flaky.secrets = []string{hFlaky.Secret}
		release := make(chan struct{})
		hanging := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer hanging.Close()
		defer close(release)
		hHang := w.hook(t, hanging.URL)
		gone := newReceiver(t, "", func(int) int { return 410 })
		hGone := w.hook(t, gone.URL)
		gone.secrets = []string{hGone.Secret}
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		downAddr := ln.Addr().String()
		ln.Close()
		hDown := w.hook(t, "http://"+downAddr+"/in")

		// A real event, to every subscription; then more to the hanging one
		// than its slots, and a few to the good one.
		reporter, err := w.db.CreateUser(w.op, &ally.NewUser{Email: "sam@example.org", Name: "Sam Lee",
			Role: ally.RoleReporter, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		c, err := w.db.CreateCase(ally.NewContextWithUser(context.Background(), reporter),
			&ally.NewCase{Kind: ally.KindClickedLink, Summary: "Clicked a parcel link"})
		if err != nil {
			t.Fatal(err)
		}
		w.queue(t, hHang, 6)
		w.queue(t, hGood, 5)
		w.queue(t, hFlaky, 2)

		wk := w.worker(t, w.db)
		// The good receiver gets all of its deliveries while the hanging one
		// still holds every request it was sent.
		drain(t, wk, func() bool { return good.got() == 6 })
		var payload struct {
			Type string
			Data map[string]any
		}
		for _, b := range good.bodies {
			if json.Unmarshal(b, &payload) == nil && payload.Type == ally.EventCaseCreated {
				break
			}
		}
		if payload.Data["case"] != c.Ref || payload.Data["link"] != "https://ally.test/cases/"+c.Ref ||
			payload.Data["reporter_name"] != nil || payload.Data["summary"] != nil {
			t.Fatalf("case.created payload %v", payload)
		}
		if len(good.refused) > 0 {
			t.Fatalf("signatures refused: %v", good.refused)
		}
		// 410: the subscription is off, and says why.
		hooks, _ := w.db.FindWebhooks(w.op)
		for _, h := range hooks {
			if h.ID == hGone.ID && !strings.Contains(h.Disabled, "410") {
				t.Fatalf("after 410: %+v", h)
			}
		}
		if ds := deliveries(t, w, hGone); countStatus(ds, ally.DeliveryFailed) != 1 {
			t.Fatalf("gone deliveries %+v", ds)
		}
		// The failed attempts wait; the backlog is visible.
		st, err := w.db.WebhookStats(w.op)
		if err != nil || st.Queued == 0 || st.OldestQueued == nil {
			t.Fatalf("stats: %+v, %v", st, err)
		}
		// An hour later the down receiver is up and the flaky one recovers:
		// everything arrives, nothing is lost.
		downLn, err := net.Listen("tcp", downAddr)
		if err != nil {
			t.Skipf("cannot listen on %s again: %v", downAddr, err)
		}
		down := &receiver{secrets: []string{hDown.Secret}, answer: func(int) int { return 200 },
			bodies: map[string][]byte{}}
		down.Server = httptest.NewUnstartedServer(http.HandlerFunc(down.serve))
		down.Listener.Close()
		down.Listener = downLn
		down.Start()
		defer down.Close()
		for range 8 {
			w.clock.advance(time.Hour)
			drain(t, wk, func() bool {
				return countStatus(deliveries(t, w, hFlaky), ally.DeliveryQueued) == 0 ||
					flaky.got() == 3 && down.got() == 1
			})
			if flaky.got() == 3 && down.got() == 1 {
				break
			}
		}
		if flaky.got() != 3 || down.got() != 1 {
			t.Fatalf("after recovery: flaky got %d of 3, down got %d of 1", flaky.got(), down.got())
		}
		if ds := deliveries(t, w, hFlaky); countStatus(ds, ally.DeliveryDelivered) != 3 || ds[0].Attempts < 2 {
			t.Fatalf("flaky log %+v", ds)
		}
	})
}

// failingSettle is the real store whose records of outcomes are lost, as
// when Ally is killed between a delivery and its record.
type failingSettle struct{ *store.DB }

func (f failingSettle) SettleDeliveries(context.Context, []ally.Outcome) error {
	return errors.New("killed")
}

// TestDeliveryAtLeastOnce: a worker killed after delivering but before
// recording leaves the deliveries leased; once the lease ends another
// worker sends them again with the same webhook-id, so the receiver drops
// the repeats and nothing is lost.
func TestDeliveryAtLeastOnce(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		rcv := newReceiver(t, "", func(int) int { return 200 })
		h := w.hook(t, rcv.URL)
		rcv.secrets = []string{h.Secret}
		w.queue(t, h, 3)
		drain(t, w.worker(t, failingSettle{w.db}), func() bool { return rcv.got() == 3 })
		if n := countStatus(deliveries(t, w, h), ally.DeliveryQueued); n != 3 {
			t.Fatalf("queued after the crash: %d", n)
		}
		w.clock.advance(2 * time.Minute) // the lease ends
		drain(t, w.worker(t, w.db), func() bool {
			return countStatus(deliveries(t, w, h), ally.DeliveryDelivered) == 3
		})
		if rcv.got() != 3 || rcv.repeats != 3 {
			t.Fatalf("receiver got %d distinct, %d repeats", rcv.got(), rcv.repeats)
		}
	})
}

// TestRotationOverlap: after a rotation, deliveries carry both signatures
// for the overlap, so a receiver with either secret accepts them.
func TestRotationOverlap(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		rcv := newReceiver(t, "", func(int) int { return 200 })
		h := w.hook(t, rcv.URL)
		rot, err := w.db.RotateWebhookSecret(w.op, h.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		rcv.secrets = []string{h.Secret} // a receiver not yet switched
		w.queue(t, h, 1)
		wk := w.worker(t, w.db)
		drain(t, wk, func() bool { return rcv.got() == 1 })
		rcv.mu.Lock()
		rcv.secrets = []string{rot.Secret}
		rcv.mu.Unlock()
		w.queue(t, h, 1)
		drain(t, wk, func() bool { return rcv.got() == 2 })
		// After the overlap only the new secret signs.
		w.clock.advance(2 * time.Hour)
		rcv.mu.Lock()
		rcv.secrets = []string{h.Secret}
		rcv.mu.Unlock()
		w.queue(t, h, 1)
		drain(t, wk, func() bool {
			rcv.mu.Lock()
			defer rcv.mu.Unlock()
			return len(rcv.refused) > 0
		})
		if rcv.refused[0] != errSignature.Error() {
			t.Fatalf("refused: %v", rcv.refused)
		}
	})
}

// TestReplayedTimestampRefused: the receiver's check refuses a delivery
// replayed more than 5 minutes after it was signed.
func TestReplayedTimestampRefused(t *testing.T) {
	secret := "whsec_" + base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123"))
	body := []byte(`{"type":"case.created"}`)
	old := time.Now().Add(-6 * time.Minute).Unix()
	h := http.Header{}
	h.Set("webhook-id", "msg_ally1")
	h.Set("webhook-timestamp", strconv.FormatInt(old, 10))
	h.Set("webhook-signature", webhook.Signature([]string{secret}, "msg_ally1", old, body))
	if err := verify([]string{secret}, h, body, time.Now()); err == nil || !strings.Contains(err.Error(), "tolerance") {
		t.Fatalf("replay accepted: %v", err)
	}
	if err := verify([]string{secret}, h, body, time.Unix(old, 0).Add(time.Minute)); err != nil {
		t.Fatalf("in time: %v", err)
	}
	if err := verify([]string{secret}, h, []byte(`{"type":"case.resolved"}`), time.Unix(old, 0)); err == nil {
		t.Fatal("a changed body was accepted")
	}
}

// TestChatFormats: Slack and Teams subscriptions get one short line with a
// link, no signature needed, and a new case only when it is critical.
func TestChatFormats(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		var mu sync.Mutex
		var got []map[string]any
		chat := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			var m map[string]any
			_ = json.NewDecoder(r.Body).Decode(&m)
			mu.Lock()
			got = append(got, m)
			mu.Unlock()
		}))
		defer chat.Close()
		for _, f := range []string{ally.FormatSlack, ally.FormatTeams} {
			if _, err := w.db.CreateWebhook(w.op, &ally.NewWebhook{URL: chat.URL + "/" + f, Format: f,
				Events: []string{ally.EventCaseCreated}, IncludePersonal: true}); err != nil {
				t.Fatal(err)
			}
		}
		reporter, _ := w.db.CreateUser(w.op, &ally.NewUser{Email: "sam@example.org", Name: "Sam Lee",
			Role: ally.RoleReporter, Password: "correct horse battery"})
		ctx := ally.NewContextWithUser(context.Background(), reporter)
		// A medium case is not posted to chat; a critical one is.
		if _, err := w.db.CreateCase(ctx, &ally.NewCase{Kind: ally.KindOther, Summary: "Odd"}); err != nil {
			t.Fatal(err)
		}
		c, err := w.db.CreateCase(ctx, &ally.NewCase{Kind: ally.KindOther, Summary: "Secret plans",
			Severity: ally.SeverityCritical})
		if err != nil {
			t.Fatal(err)
		}
		drain(t, w.worker(t, w.db), func() bool {
			mu.Lock()
			defer mu.Unlock()
			return len(got) == 2
		})
		line := "New critical case " + c.Ref + ": https://ally.test/cases/" + c.Ref
		for _, m := range got {
			text, _ := m["text"].(string)
			if text != line || strings.Contains(text, "Secret plans") || strings.Contains(text, "Sam") {
				t.Errorf("chat message %v, want %q", m, line)
			}
		}
	})
}

// TestTwoWorkersShareTheQueue: two workers (as two servers would) drain one
// queue together and no delivery is sent twice.
func TestTwoWorkersShareTheQueue(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		rcv := newReceiver(t, "", func(int) int { return 200 })
		var hooks []*ally.Webhook
		for range 3 {
			h := w.hook(t, rcv.URL)
			hooks = append(hooks, h)
			rcv.secrets = append(rcv.secrets, h.Secret)
		}
		for _, h := range hooks {
			w.queue(t, h, 40)
		}
		var wg sync.WaitGroup
		for range 2 {
			wk := w.worker(t, w.db)
			wg.Go(func() { drain(t, wk, func() bool { return rcv.got() == 120 }) })
		}
		wg.Wait()
		if rcv.repeats != 0 || len(rcv.refused) != 0 {
			t.Fatalf("%d sent twice, %d refused", rcv.repeats, len(rcv.refused))
		}
	})
}
