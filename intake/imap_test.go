package intake_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/intake"
	"github.com/allydesk/ally/intake/intaketest"
)

// eventually waits up to ten seconds for ok.
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestIMAPOpensCasesAndFilesMessages(t *testing.T) {
	each(t, func(t *testing.T, engine string) {
		c := intaketest.StartDovecot(t)
		r := newRig(t, engine)
		box := intaketest.OpenMailbox(t, c)
		box.Deliver("INBOX", report("Sam Lee <sam@example.org>", "i1-"+engine+"@example.org", phish))
		sim := strings.Replace(phish, "Date:", "X-Gophish-Contact: sam@example.org\r\nDate:", 1)
		box.Deliver("INBOX", report("sam@example.org", "i2-"+engine+"@example.org", sim))
		box.Deliver("INBOX", report("eve@elsewhere.test", "i3-"+engine+"@example.org", phish))

		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		cfg := c
		cfg.IdleRestart = 300 * time.Millisecond // re-issued many times during the test
		go func() { r.in.WatchIMAP(ctx, cfg); close(done) }()
		defer func() { cancel(); <-done }()

		eventually(t, "three messages filed", func() bool { return box.Count("Processed") == 3 })
		if n := box.Count("INBOX"); n != 0 {
			t.Errorf("%d messages left in INBOX", n)
		}
		cases := r.cases(t)
		if len(cases) != 1 || cases[0].Source != ally.SourceEmail {
			t.Fatalf("cases: %d", len(cases))
		}
		time.Sleep(time.Second) // several IDLE restarts: new mail is still seen
		box.Deliver("INBOX", report("sam@example.org", "i4-"+engine+"@example.org", phish))
		eventually(t, "a case from mail that arrived while idling", func() bool { return len(r.cases(t)) == 2 })
		eventually(t, "the fourth message filed", func() bool { return box.Count("Processed") == 4 })

		// The same message delivered again (a reconnect, a second copy) opens no second case.
		box.Deliver("INBOX", report("sam@example.org", "i4-"+engine+"@example.org", phish))
		eventually(t, "the copy filed", func() bool { return box.Count("Processed") == 5 })
		if n := len(r.cases(t)); n != 2 {
			t.Fatalf("a message read twice opened %d cases", n)
		}
		a := strings.Join(r.ans.all(), "\n")
		if !strings.Contains(a, ally.PracticeReply) || !strings.Contains(a, "eve@elsewhere.test") {
			t.Errorf("answers: %s", a)
		}
	})
}

// cutter forwards connections to an IMAP server and cuts the first one in
// the middle of a message being fetched.
type cutter struct {
	ln   net.Listener
	to   string
	cuts atomic.Int32
}

func newCutter(t *testing.T, to string) *cutter {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &cutter{ln: ln, to: to}
	t.Cleanup(func() { ln.Close() })
	go c.serve()
	return c
}

func (c *cutter) serve() {
	for first := true; ; first = false {
		down, err := c.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", c.to)
		if err != nil {
			down.Close()
			continue
		}
		go func() { _, _ = io.Copy(up, down); up.Close() }()
		go func(cut bool) {
			defer down.Close()
			buf := make([]byte, 4096)
			for {
				n, err := up.Read(buf)
				if n > 0 {
					chunk := buf[:n]
					if i := bytes.Index(chunk, []byte("BODY[] {")); cut && i >= 0 {
						_, _ = down.Write(chunk[:i+20]) // part of the literal, then the line goes dead
						c.cuts.Add(1)
						up.Close()
						return
					}
					if _, werr := down.Write(chunk); werr != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		}(first)
	}
}

func TestIMAPConnectionDroppedMidFetch(t *testing.T) {
	c := intaketest.StartDovecot(t)
	r := newRig(t, "sqlite")
	box := intaketest.OpenMailbox(t, c)
	box.Deliver("INBOX", report("sam@example.org", "cut1@example.org", phish))
	box.Deliver("INBOX", report("sam@example.org", "cut2@example.org", phish))
	cut := newCutter(t, c.Addr)
	cfg := c
	cfg.Addr = cut.ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.in.WatchIMAP(ctx, cfg); close(done) }()
	defer func() { cancel(); <-done }()
	eventually(t, "both messages filed after the reconnect", func() bool { return box.Count("Processed") == 2 })
	if cut.cuts.Load() != 1 {
		t.Fatalf("the connection was cut %d times, want 1", cut.cuts.Load())
	}
	if n := len(r.cases(t)); n != 2 {
		t.Fatalf("%d cases after a dropped fetch, want 2 (none lost, none doubled)", n)
	}
}

func TestIMAPFlagModeAndPolling(t *testing.T) {
	// A server without IDLE: the watcher polls.
	c := intaketest.StartDovecotWith(t, "protocol imap {\n  imap_capability = IMAP4rev1 LITERAL+ UIDPLUS MOVE\n}")
	if msg, err := intake.CheckIMAP(c); err != nil || !strings.Contains(msg, "polling") {
		t.Fatalf("check: %v %q", err, msg)
	}
	r := newRig(t, "sqlite")
	box := intaketest.OpenMailbox(t, c)
	box.Deliver("INBOX", report("sam@example.org", "f1@example.org", phish))
	cfg := c
	cfg.Flag, cfg.Poll = true, 200*time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.in.WatchIMAP(ctx, cfg); close(done) }()
	defer func() { cancel(); <-done }()
	eventually(t, "a case from the first message", func() bool { return len(r.cases(t)) == 1 })
	box.Deliver("INBOX", report("sam@example.org", "f2@example.org", phish))
	eventually(t, "a case from a message found by polling", func() bool { return len(r.cases(t)) == 2 })
	time.Sleep(600 * time.Millisecond) // a few more polls: flagged messages are not read again
	if n := box.Count("INBOX"); n != 2 || box.Count("Processed") != 0 {
		t.Errorf("flag mode moved messages: INBOX %d, Processed %d", n, box.Count("Processed"))
	}
	if n := box.Flagged("INBOX", intake.ProcessedKeyword); n != 2 {
		t.Errorf("%d messages flagged %s, want 2", n, intake.ProcessedKeyword)
	}
	if n := len(r.cases(t)); n != 2 {
		t.Errorf("%d cases, want 2", n)
	}
}

func TestIMAPTooLarge(t *testing.T) {
	c := intaketest.StartDovecot(t)
	r := newRig(t, "sqlite")
	box := intaketest.OpenMailbox(t, c)
	box.Deliver("INBOX", report("sam@example.org", "large@example.org", phish+strings.Repeat("z\r\n", 2000)))
	box.Deliver("INBOX", report("sam@example.org", "small@example.org", phish))
	cfg := c
	cfg.MaxBytes = 3000
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.in.WatchIMAP(ctx, cfg); close(done) }()
	defer func() { cancel(); <-done }()
	eventually(t, "both messages filed", func() bool { return box.Count("Processed") == 2 })
	if n := len(r.cases(t)); n != 1 {
		t.Fatalf("%d cases, want 1 (the small report only)", n)
	}
	if a := strings.Join(r.ans.all(), "\n"); !strings.Contains(a, "sam@example.org||The message is larger than") {
		t.Errorf("answers: %s", a)
	}
}
