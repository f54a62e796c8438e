package outbox_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailaddr"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/outbox"
	"github.com/allydesk/ally/outbox/outboxtest"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// desk is a real database with mail on, a reporter and a responder.
type desk struct {
	db          *store.DB
	alice, rita *ally.User
}

func newDesk(t *testing.T, engine string) *desk {
	t.Helper()
	d := &desk{db: storetest.Open(t, engine, store.Options{Mail: mailtext.Default(), PublicURL: "https://ally.test"})}
	add := func(email, name string, role ally.Role) *ally.User {
		u, err := d.db.CreateUser(ally.NewOperatorContext(context.Background()), &ally.NewUser{Email: email, Name: name, Role: role,
			Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	d.alice = add("alice@example.org", "Alice Reporter", ally.RoleReporter)
	d.rita = add("rita@example.org", "Rita Responder", ally.RoleResponder)
	return d
}

// report opens n cases as Alice; each queues one acknowledgement.
func (d *desk) report(t *testing.T, n int) []*ally.Case {
	t.Helper()
	var out []*ally.Case
	for i := range n {
		c, err := d.db.CreateCase(ally.NewContextWithUser(context.Background(), d.alice),
			&ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: fmt.Sprintf("Odd email %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func (d *desk) stats(t *testing.T) *ally.OutboxStats {
	t.Helper()
	s, err := d.db.OutboxStats(ally.NewOperatorContext(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// worker returns a worker for the relay at addr with short waits.
func worker(t *testing.T, d *desk, addr string) *outbox.Worker {
	t.Helper()
	r, err := outbox.ParseRelay("smtp://" + addr + "?tls=none")
	if err != nil {
		t.Fatal(err)
	}
	w, err := outbox.New(context.Background(), outbox.Config{Queue: d.db, Relay: r, From: "Ally <report@example.org>",
		Timeout: 500 * time.Millisecond, FirstRetry: 20 * time.Millisecond, MaxRetry: 100 * time.Millisecond,
		Lease: 3 * time.Second, Batch: 10, Connections: 2})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// drain runs the worker until nothing is queued, or fails after a while.
func drain(t *testing.T, d *desk, w *outbox.Worker) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for d.stats(t).Queued > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("still queued: %+v", d.stats(t))
		}
		if _, err := w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// onceEach checks the relay got exactly the messages with these ids, once.
func onceEach(t *testing.T, r *outboxtest.Relay, n int) {
	t.Helper()
	seen := map[string]int{}
	for _, m := range r.Messages() {
		seen[m.Header.Get("Message-Id")]++
	}
	if len(seen) != n || len(r.Messages()) != n {
		t.Fatalf("relay got %d messages with %d Message-IDs, want %d once each", len(r.Messages()), len(seen), n)
	}
}

func eachEngine(t *testing.T, fn func(t *testing.T, d *desk)) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			fn(t, newDesk(t, e))
		})
	}
}

func TestDeliversTheAcknowledgement(t *testing.T) {
	eachEngine(t, func(t *testing.T, d *desk) {
		r := outboxtest.Start(t, "127.0.0.1:0", nil, false)
		c := d.report(t, 1)[0]
		drain(t, d, worker(t, d, r.Addr))
		onceEach(t, r, 1)
		got := r.Messages()[0]
		h := got.Header
		if got.From != "report@example.org" || got.To != "alice@example.org" {
			t.Errorf("envelope %s -> %s", got.From, got.To)
		}
		if !strings.Contains(h.Get("Subject"), c.Ref) || h.Get("Auto-Submitted") != "auto-generated" ||
			!strings.HasSuffix(h.Get("Message-Id"), "@example.org>") || h.Get("References") != "<case."+c.Ref+"@example.org>" {
			t.Errorf("headers %v", h)
		}
		key, _ := d.db.MailKey(ally.NewOperatorContext(context.Background()))
		ref, tok, err := mailaddr.Parse(h.Get("Reply-To"))
		if err != nil || ref != c.Ref || !mailaddr.Verify(key, ref, tok) {
			t.Errorf("Reply-To %q: %v", h.Get("Reply-To"), err)
		}
		body := string(got.Raw)
		for _, want := range []string{"Hi Alice,", "https://ally.test/cases/" + c.Ref, "Do not click links"} {
			if !strings.Contains(body, want) {
				t.Errorf("body lacks %q:\n%s", want, body)
			}
		}
		if s := d.stats(t); s.Sent != 1 || s.Queued != 0 || s.Failed != 0 {
			t.Errorf("stats %+v", s)
		}
	})
}

func TestRelayDownThenUpDeliversOnce(t *testing.T) {
	eachEngine(t, func(t *testing.T, d *desk) {
		ln, err := net.Listen("tcp", "127.0.0.1:0") // a port with nobody on it
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		d.report(t, 5)
		w := worker(t, d, addr)
		for range 3 {
			if _, err := w.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			time.Sleep(120 * time.Millisecond)
		}
		s := d.stats(t)
		if s.Queued != 5 || s.Sent != 0 || s.OldestQueued == nil {
			t.Fatalf("relay down: %+v", s)
		}
		page, _ := d.db.FindOutbox(ally.NewOperatorContext(context.Background()), ally.OutboxFilter{})
		if m := page.Items[0]; m.Attempts < 2 || !strings.Contains(m.LastError, "connection refused") {
			t.Fatalf("queued message %+v", m)
		}
		r := outboxtest.Start(t, addr, nil, false)
		drain(t, d, w)
		onceEach(t, r, 5)
	})
}

func TestRefusedMailFailsAndDeferredMailWaits(t *testing.T) {
	eachEngine(t, func(t *testing.T, d *desk) {
		r := outboxtest.Start(t, "127.0.0.1:0", nil, false)
		w := worker(t, d, r.Addr)
		r.Mode.Store(outboxtest.Defer)
		d.report(t, 1)
		if _, err := w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if s := d.stats(t); s.Queued != 1 {
			t.Fatalf("after 451: %+v", s)
		}
		r.Mode.Store(outboxtest.Refuse)
		time.Sleep(50 * time.Millisecond)
		if _, err := w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		page, _ := d.db.FindOutbox(ally.NewOperatorContext(context.Background()), ally.OutboxFilter{Status: ally.MailFailed})
		if len(page.Items) != 1 || !strings.Contains(page.Items[0].LastError, "550") {
			t.Fatalf("after 550: %+v", page.Items)
		}
		r.Mode.Store(outboxtest.Accept)
		if n, err := d.db.RetryMail(ally.NewOperatorContext(context.Background()), 0); err != nil || n != 1 {
			t.Fatalf("retry: %d %v", n, err)
		}
		drain(t, d, w)
		onceEach(t, r, 1)
	})
}

func TestHangingAndVanishingRelays(t *testing.T) {
	for name, mode := range map[string]int32{"hangs": outboxtest.Hang, "goes away": outboxtest.GoAway} {
		t.Run(name, func(t *testing.T) { hangOrVanish(t, mode) })
	}
}

// hangOrVanish checks a relay in mode loses nothing and doubles nothing.
func hangOrVanish(t *testing.T, mode int32) {
	eachEngine(t, func(t *testing.T, d *desk) {
		r := outboxtest.Start(t, "127.0.0.1:0", nil, false)
		r.Mode.Store(mode)
		w := worker(t, d, r.Addr)
		d.report(t, 3)
		start := time.Now()
		if _, err := w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Fatalf("mode %d: one attempt took %v", mode, took)
		}
		if s := d.stats(t); s.Queued != 3 || s.Sent != 0 {
			t.Fatalf("mode %d: %+v", mode, s)
		}
		r.Mode.Store(outboxtest.Accept)
		drain(t, d, w)
		onceEach(t, r, 3)
	})
}

func TestCrashedWorkerLeavesMailForTheNext(t *testing.T) {
	eachEngine(t, func(t *testing.T, d *desk) {
		r := outboxtest.Start(t, "127.0.0.1:0", nil, false)
		d.report(t, 4)
		// A worker claims everything and dies before sending any of it.
		if got, err := d.db.ClaimMail(ally.NewOperatorContext(context.Background()), 10, 300*time.Millisecond); err != nil || len(got) != 4 {
			t.Fatalf("claim: %d %v", len(got), err)
		}
		w := worker(t, d, r.Addr)
		if n, _ := w.RunOnce(context.Background()); n != 0 {
			t.Fatal("leased mail was taken before its lease ended")
		}
		time.Sleep(350 * time.Millisecond)
		drain(t, d, w)
		onceEach(t, r, 4)
	})
}

func TestSameMessageOnEveryAttempt(t *testing.T) {
	eachEngine(t, func(t *testing.T, d *desk) {
		r := outboxtest.Start(t, "127.0.0.1:0", nil, false)
		d.report(t, 1)
		w := worker(t, d, r.Addr)
		drain(t, d, w)
		// Send it again, as after a crash between the relay's answer and the
		// database's record: the receiver sees the very same message.
		if _, err := d.db.ClaimMail(ally.NewOperatorContext(context.Background()), 1, 0); err != nil {
			t.Fatal(err)
		}
		page, _ := d.db.FindOutbox(ally.NewOperatorContext(context.Background()), ally.OutboxFilter{})
		id := page.Items[0].ID
		if err := d.db.MailNotSent(ally.NewOperatorContext(context.Background()), id, "forced", 0); err != nil {
			t.Fatal(err)
		}
		if _, err := d.db.RetryMail(ally.NewOperatorContext(context.Background()), id); err != nil {
			t.Fatal(err)
		}
		drain(t, d, w)
		got := r.Messages()
		if len(got) != 2 || string(got[0].Raw) != string(got[1].Raw) {
			t.Fatalf("two attempts differ:\n%s\n---\n%s", got[0].Raw, got[1].Raw)
		}
	})
}

func TestStoppingWorkerLeavesNothingLeased(t *testing.T) {
	eachEngine(t, func(t *testing.T, d *desk) {
		r := outboxtest.Start(t, "127.0.0.1:0", nil, false)
		r.Delay = 20 * time.Millisecond
		d.report(t, 40)
		w := worker(t, d, r.Addr) // a 3 s lease, 2 connections, batches of 10
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			w.Run(ctx)
		}()
		waitUntil(t, func() bool { return len(r.Messages()) >= 5 })
		stop()
		<-done
		page, err := d.db.FindOutbox(ally.NewOperatorContext(context.Background()), ally.OutboxFilter{Status: ally.MailQueued})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) == 0 || len(page.Items) == 40 {
			t.Fatalf("%d queued after the stop; the test proves nothing", len(page.Items))
		}
		for _, m := range page.Items {
			if time.Until(*m.NextAt) > time.Second {
				t.Fatalf("message %d is still leased after the worker stopped", m.ID)
			}
		}
		drain(t, d, w)
		onceEach(t, r, 40) // everything sent was recorded: nothing twice
	})
}

func waitUntil(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !ok(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("gave up waiting")
		}
	}
}

// TestWorkerSendsDigests: a worker with Digests set gathers Rita's
// assignments into one digest, delivered once, alongside the other mail.
func TestWorkerSendsDigests(t *testing.T) {
	eachEngine(t, func(t *testing.T, d *desk) {
		rctx := ally.NewContextWithUser(context.Background(), d.rita)
		if _, err := d.db.SetNotifySettings(rctx, ally.NotifySettings{ally.NotifyAssigned: ally.NotifyDigest}); err != nil {
			t.Fatal(err)
		}
		lead, err := d.db.CreateUser(ally.NewOperatorContext(context.Background()), &ally.NewUser{Email: "lee@example.org",
			Name: "Lee Lead", Role: ally.RoleLead, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		rita := "rita@example.org"
		for _, c := range d.report(t, 3) {
			if _, err := d.db.UpdateCase(ally.NewContextWithUser(context.Background(), lead), c.Ref,
				ally.CaseUpdate{Assignee: &rita}); err != nil {
				t.Fatal(err)
			}
		}
		r := outboxtest.Start(t, "127.0.0.1:0", nil, false)
		relay, _ := outbox.ParseRelay("smtp://" + r.Addr + "?tls=none")
		w, err := outbox.New(context.Background(), outbox.Config{Queue: d.db, Relay: relay, From: "report@example.org",
			Poll: 10 * time.Millisecond, Digests: d.db, DigestPoll: 10 * time.Millisecond, DigestEvery: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); w.Run(ctx) }()
		deadline := time.Now().Add(20 * time.Second)
		for len(r.Messages()) < 4 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond) // a second digest would come now
		stop()
		<-done
		var digests []string
		for _, m := range r.Messages() {
			if m.To == "rita@example.org" {
				digests = append(digests, string(m.Raw))
			}
		}
		if len(r.Messages()) != 4 || len(digests) != 1 || strings.Count(digests[0], "is now yours") != 3 {
			t.Fatalf("%d messages, Rita's: %q", len(r.Messages()), digests)
		}
	})
}
