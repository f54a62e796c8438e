package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
	"github.com/allydesk/ally/webhook"
)

// TestKilledServerDeliversEveryWebhook kills ally serve with SIGKILL in
// the middle of delivering a webhook backlog, starts it again, and checks
// that the receiver got every delivery, each signed, and that only those in
// flight at the kill came twice, with the same webhook-id and body.
func TestKilledServerDeliversEveryWebhook(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) { killDuringWebhooks(t, engine) })
	}
}

func killDuringWebhooks(t *testing.T, engine string) {
	const n = 200
	dsn := storetest.DSN(t, engine)
	var mu sync.Mutex
	bodies := map[string][]byte{}
	got, bad := 0, 0
	var secret string
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(5 * time.Millisecond)
		body, _ := io.ReadAll(r.Body)
		id, ts := r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp")
		mu.Lock()
		defer mu.Unlock()
		var sec int64
		for _, c := range ts {
			sec = sec*10 + int64(c-'0')
		}
		if r.Header.Get("webhook-signature") != webhook.Signature([]string{secret}, id, sec, body) {
			bad++
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if prev, seen := bodies[id]; seen && !bytes.Equal(prev, body) {
			t.Errorf("delivery %s came twice with different bodies", id)
		}
		bodies[id] = body
		got++
	}))
	defer rcv.Close()
	ctx := context.Background()
	op := ally.NewOperatorContext(ctx)
	d, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	h, err := d.CreateWebhook(op, &ally.NewWebhook{URL: rcv.URL, Events: []string{ally.EventCaseCreated}})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	secret = h.Secret
	mu.Unlock()
	for range n {
		if _, err := d.TestWebhook(op, h.ID); err != nil {
			t.Fatal(err)
		}
	}
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return got
	}
	first := startAlly(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	waitFor(t, "the receiver to get 50 deliveries", func() bool { return count() >= 50 })
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	if count() >= n {
		t.Fatalf("everything was delivered before the kill (%d); the test proves nothing", count())
	}
	rawExec(t, engine, dsn, "UPDATE webhook_deliveries SET next_at = 0 WHERE status = 'queued'") // the leases ran out
	second := startAlly(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	defer func() { _ = second.Process.Kill(); _ = second.Wait() }()
	waitFor(t, "every delivery to be recorded", func() bool {
		st, err := d.WebhookStats(op)
		return err == nil && st.Delivered == n
	})
	mu.Lock()
	defer mu.Unlock()
	twice := got - len(bodies)
	if len(bodies) != n || bad > 0 || twice > 4 {
		t.Fatalf("receiver got %d distinct of %d, %d twice (at most the 4 in flight), %d badly signed",
			len(bodies), n, twice, bad)
	}
	t.Logf("%s: %d deliveries, %d sent again after the kill", engine, n, twice)
}
