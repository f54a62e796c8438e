package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/outbox"
	"github.com/allydesk/ally/outbox/outboxtest"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// TestMain lets the test binary stand in for ally in a child process, so
// that a test can kill -9 a real server.
// TestKilledServerSendsEveryMessage kills ally serve with SIGKILL in the
// middle of delivering a backlog, starts it again, and checks that the
// relay, counting by Message-ID, got every message exactly once. Bytes
// for the same Message-ID come again only for the messages the relay had
// accepted and the killed server had not yet recorded as sent (at most one
// per relay connection): SMTP gives a sender no way to ask whether a
// message it sent before dying was taken, so those must be sent again, and
// their stable Message-ID is what lets a receiver (and this test) see the
// repeat as the same message (docs/design.md, "Mail out").
func TestKilledServerSendsEveryMessage(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) { killDuringDelivery(t, engine) })
	}
}

func killDuringDelivery(t *testing.T, engine string) {
	const n = 200
	dsn := storetest.DSN(t, engine)
	queueAcknowledgements(t, dsn, n)
	relay := outboxtest.Start(t, "127.0.0.1:0", nil, false)
	relay.Delay = 5 * time.Millisecond
	first := startServe(t, dsn, relay.Addr)
	waitFor(t, "the relay to get 50 messages", func() bool { return len(relay.Messages()) >= 50 })
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	// The relay may still be finishing messages whose data reached it before
	// the kill (it waits relay.Delay before accepting each): let it settle.
	for prev := -1; prev != len(relay.Messages()); time.Sleep(200 * time.Millisecond) {
		prev = len(relay.Messages())
	}
	if got := len(relay.Messages()); got >= n {
		t.Fatalf("everything was sent before the kill (%d); the test proves nothing", got)
	}
	unrecorded := acceptedNotRecorded(t, dsn, relay)
	expireLeases(t, engine, dsn) // as if the killed server's leases had run out
	second := startServe(t, dsn, relay.Addr)
	defer func() { _ = second.Process.Kill(); _ = second.Wait() }()
	d, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	waitFor(t, "the outbox to drain", func() bool {
		s, err := d.OutboxStats(ally.NewOperatorContext(context.Background()))
		return err == nil && s.Queued == 0 && s.Sent == n
	})
	byID := map[string][]byte{}
	for _, m := range relay.Messages() {
		id := m.Header.Get("Message-Id")
		if prev, seen := byID[id]; seen && !bytes.Equal(prev, m.Raw) {
			t.Errorf("message %s came twice with different bytes", id)
		}
		byID[id] = m.Raw
	}
	count := map[string]int{}
	for _, m := range relay.Messages() {
		count[m.Header.Get("Message-Id")]++
	}
	var again []string
	for id, k := range count {
		if k > 2 || (k == 2 && !unrecorded[id]) {
			t.Errorf("%s came %d times; only a message accepted but not yet recorded at the kill may come twice", id, k)
		}
		if k == 2 {
			again = append(again, id)
		}
	}
	if len(byID) != n || len(unrecorded) > 4 {
		t.Fatalf("relay got %d distinct messages of %d; %d were accepted but not recorded at the kill "+
			"(at most one per connection, 4)", len(byID), n, len(unrecorded))
	}
	t.Logf("%s: %d messages, each once by Message-ID; %d accepted but unrecorded at the kill, %d of them sent again",
		engine, n, len(unrecorded), len(again))
}

// acceptedNotRecorded lists the Message-IDs the relay has that the outbox
// does not yet record as sent: the messages in flight when the server died.
func acceptedNotRecorded(t *testing.T, dsn string, relay *outboxtest.Relay) map[string]bool {
	t.Helper()
	d, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	page, err := d.FindOutbox(ally.NewOperatorContext(context.Background()),
		ally.OutboxFilter{Status: ally.MailQueued, Limit: ally.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if page.NextCursor != nil {
		t.Fatal("more queued messages than one page holds; make the test's backlog smaller")
	}
	queued := map[string]bool{}
	for _, m := range page.Items {
		queued[outbox.MessageID(m, "example.org")] = true
	}
	out := map[string]bool{}
	for _, m := range relay.Messages() {
		if id := m.Header.Get("Message-Id"); queued[id] {
			out[id] = true
		}
	}
	return out
}

// queueAcknowledgements migrates dsn and reports n cases with mail on.
func queueAcknowledgements(t *testing.T, dsn string, n int) {
	t.Helper()
	ctx := context.Background()
	d, err := store.Open(ctx, dsn, store.Options{Mail: mailtext.Default(), PublicURL: "https://ally.test"})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := d.CreateUser(ally.NewOperatorContext(ctx), &ally.NewUser{Email: "sam@example.org", Name: "Sam", Role: ally.RoleReporter,
		Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		if _, err := d.CreateCase(ally.NewContextWithUser(ctx, u), &ally.NewCase{Kind: ally.KindOther}); err != nil {
			t.Fatal(err)
		}
	}
}

// startServe runs this test binary as "ally serve" with mail on.
func startServe(t *testing.T, dsn, relay string) *exec.Cmd {
	t.Helper()
	return startAlly(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0",
		"--report-address", "report@example.org", "--public-url", "https://ally.test",
		"--smtp-relay", "smtp://"+relay+"?tls=none")
}

// startAlly runs this test binary as "ally args…" in the background; its
// output is shown when the test fails.
func startAlly(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$") // TestMain runs it as ally (crash_test.go)
	cmd.Env = append(os.Environ(), "ALLY_TEST_CHILD="+strings.Join(args, "\n"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("ally serve said:\n%s", out.String())
		}
	})
	return cmd
}

// expireLeases makes every queued message due now.
func expireLeases(t *testing.T, engine, dsn string) {
	t.Helper()
	rawExec(t, engine, dsn, "UPDATE outbox SET next_at = 0 WHERE status = 'queued'")
}

// rawExec runs q on the database directly, as an operator at a database
// prompt would.
func rawExec(t *testing.T, engine, dsn, q string) {
	t.Helper()
	driver := "sqlite"
	if engine == "postgres" {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(q); err != nil {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
