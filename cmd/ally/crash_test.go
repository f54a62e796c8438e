package main

import (
	"context"
	"fmt"
	"net"
	"net/smtp"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailin"
)

// TestMain lets a test run this binary as "ally" itself (ALLY_TEST_CHILD
// holds the arguments, one per line), so that it can be killed with -9.
func TestMain(m *testing.M) {
	if args := os.Getenv("ALLY_TEST_CHILD"); args != "" {
		os.Exit(run(context.Background(), strings.Split(args, "\n"), os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// startChild runs "ally args…" in a child process and waits until addr
// accepts connections.
func startChild(t *testing.T, addr string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ALLY_TEST_CHILD="+strings.Join(args, "\n"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return cmd
		}
		if time.Now().After(deadline) {
			t.Fatalf("ally serve did not start listening on %s", addr)
		}
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestKillDuringIntake kills the server with SIGKILL while relays are
// sending reports, restarts it and lets the relays send everything again:
// every report acknowledged with 250 has its case, and no report has two.
func TestKillDuringIntake(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "crash.db")
	smtpAddr := freeAddr(t)
	args := []string{"serve", "--db", dsn, "--addr", freeAddr(t), "--smtp-addr", smtpAddr,
		"--report-domains", "corp.example"}
	const total = 300
	message := func(i int) string {
		return fmt.Sprintf("From: p%d@corp.example\r\nSubject: odd %d\r\nMessage-ID: <k%d@corp.example>\r\n"+
			"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n"+
			"From: x@evil.test\r\nSubject: pay %d\r\n\r\nPay now at https://evil.test/%d\r\n--b--\r\n", i%7, i, i, i, i)
	}
	var accepted sync.Map
	sendAll := func(stopAfter int64, kill func()) {
		var next, ok atomic.Int64
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() {
				for i := int(next.Add(1)); i <= total; i = int(next.Add(1)) {
					from := fmt.Sprintf("p%d@corp.example", i%7)
					if smtp.SendMail(smtpAddr, nil, from, []string{"report@corp.example"}, []byte(message(i))) == nil {
						accepted.Store(i, true)
						if ok.Add(1) == stopAfter {
							kill()
						}
					}
				}
			})
		}
		wg.Wait()
	}

	child := startChild(t, smtpAddr, args...)
	sendAll(total/3, func() { _ = child.Process.Kill() })
	_ = child.Process.Kill() // in case too few were accepted to kill it mid-stream (checked below)
	_ = child.Wait()
	before := 0
	accepted.Range(func(_, _ any) bool { before++; return true })
	if before < total/3 || before == total {
		t.Fatalf("%d of %d accepted before the kill; the kill did not land mid-stream", before, total)
	}

	cases := func() int64 {
		d, err := (&dbFlags{dsn: dsn}).open(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		counters, err := d.Counters(ally.NewOperatorContext(context.Background()))
		if err != nil {
			t.Fatal(err)
		}
		return counters.MailByOutcome[string(ally.MailOpened)]
	}
	if n := cases(); n < int64(before) { // a 250 is said only after the commit
		t.Fatalf("%d reports were acknowledged before the kill but only %d cases survived it", before, n)
	}

	child = startChild(t, smtpAddr, args...)
	sendAll(-1, func() {}) // the relays send everything again
	_ = child.Process.Kill()
	_ = child.Wait()

	d, err := (&dbFlags{dsn: dsn}).open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	// Every message is now stored exactly once: reading any of them again is a duplicate.
	for i := 1; i <= total; i++ {
		m, err := mailin.Parse([]byte(message(i)), mailin.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rc, err := d.ReceiveMail(ally.NewOperatorContext(context.Background()), ally.MailIn{Key: ally.MailKeyMessageID(m.From, m.MessageID),
			Message: m, Domains: []string{"corp.example"}})
		if err != nil || !rc.Duplicate {
			t.Fatalf("report %d (accepted before the kill: %v) was not stored: %v %+v", i, isAccepted(&accepted, i), err, rc)
		}
	}
	counters, err := d.Counters(ally.NewOperatorContext(context.Background()))
	if err != nil || counters.MailByOutcome[string(ally.MailOpened)] != total ||
		counters.ReportedByKind[ally.KindSuspiciousEmail] != total {
		t.Fatalf("after the crash: %v, %+v; want %d cases", err, counters, total)
	}
}

func isAccepted(m *sync.Map, i int) bool { _, ok := m.Load(i); return ok }
