package reliability

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/intake/intaketest"
	"github.com/allydesk/ally/outbox/outboxtest"
	"github.com/allydesk/ally/store/storetest"
)

// clients is how many simulated people write at once.
const clients = 16

func engines(t *testing.T) []string {
	if testing.Short() {
		t.Skip("the reliability suite starts real servers")
	}
	return storetest.Engines()
}

// TestKillUnderLoad kills `ally serve` with SIGKILL while 16 clients file
// cases and write on them, restarts it, and looks for every write that was
// answered 2xx: 10 cycles on SQLite and 10 on PostgreSQL.
func TestKillUnderLoad(t *testing.T) {
	for _, engine := range engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			p := makePeople(t, dsn, clients)
			in := serve(t, dsn)
			l := newLedger()
			totalAcked, totalFound := 0, 0
			for cycle := 1; cycle <= 10; cycle++ {
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				go func() { load(ctx, []string{in.URL}, p.tokens, l); close(done) }()
				start := l.acked.Load()
				time.Sleep(time.Duration(300+rand.IntN(700)) * time.Millisecond)
				for end := time.Now().Add(5 * time.Second); l.acked.Load() == start && time.Now().Before(end); {
					time.Sleep(20 * time.Millisecond) // kill under load, not before it
				}
				in.kill()
				cancel()
				<-done
				in.restart()
				acked, found := l.check(t, in.URL, p.lead)
				fmt.Printf("reliability: kill -9 %s cycle %2d: acknowledged %4d, found %4d\n", engine, cycle, acked, found)
				totalAcked, totalFound = totalAcked+acked, totalFound+found
				if acked == 0 {
					t.Errorf("cycle %d: nothing was acknowledged before the kill", cycle)
				}
				l.reset()
			}
			fmt.Printf("reliability: kill -9 %s, 10 cycles: acknowledged %d, found %d, duplicates %d; %s\n",
				engine, totalAcked, totalFound, l.duplicates(), l.summary())
			if totalFound != totalAcked || l.duplicates() != 0 {
				t.Errorf("acknowledged %d, found %d, %d duplicate refs", totalAcked, totalFound, l.duplicates())
			}
		})
	}
}

// TestSigtermUnderLoad stops `ally serve` with SIGTERM under load: /readyz
// goes 503 before the server stops accepting, and the clients, like a load
// balancer, send nothing new once it does; no request in flight is cut off,
// the process exits 0, and everything acknowledged is there after a restart.
func TestSigtermUnderLoad(t *testing.T) {
	engines(t)
	dsn := storetest.DSN(t, "sqlite")
	p := makePeople(t, dsn, clients)
	in := serve(t, dsn)
	l := newLedger()
	stopLoad, ready := watchedLoad(in, p, l, l)
	code, err := in.term(20 * time.Second)
	if err != nil || code != 0 {
		t.Errorf("after SIGTERM: exit %d, %v\n%s", code, err, in.logTail())
	}
	stopLoad()
	seen := <-ready
	fmt.Printf("reliability: SIGTERM under load: /readyz went %v; %s\n", seen, l.summary())
	if len(seen) < 3 || seen[0] != 200 || seen[1] != 503 || seen[2] != 0 {
		t.Errorf("/readyz went %v; want 200, then 503 while still serving, then no answer", seen)
	}
	if l.cut != 0 {
		t.Errorf("%d requests were cut off mid-way", l.cut)
	}
	in.restart()
	acked, found := l.check(t, in.URL, p.lead)
	fmt.Printf("reliability: SIGTERM under load: acknowledged %d, found %d\n", acked, found)
	if acked == 0 || found != acked {
		t.Errorf("acknowledged %d, found %d", acked, found)
	}
}

// TestTwoInstancesOnePostgres runs two instances, started together, on one
// PostgreSQL database with traffic spread across both: every case gets its
// own reference, nothing is lost, a rate limit used up on one holds on the
// other, and each acknowledgement email is delivered once.
func TestTwoInstancesOnePostgres(t *testing.T) {
	engines(t)
	if os.Getenv("ALLY_TEST_POSTGRES") == "" {
		t.Skip("needs ALLY_TEST_POSTGRES")
	}
	dsn := storetest.DSN(t, "postgres")
	relay := outboxtest.Start(t, "127.0.0.1:0", nil, false)
	mail := []string{"--report-address", "report@corp.example", "--smtp-relay", "smtp://" + relay.Addr + "?tls=none",
		"--public-url", "http://ally.corp.example"}
	watching := false
	if _, err := os.Stat("/usr/sbin/dovecot"); err == nil { // both offer to watch one report mailbox
		c := intaketest.StartDovecot(t)
		mail = append(mail, "--imap", (&url.URL{Scheme: "imap", User: url.UserPassword(c.User, c.Password),
			Host: c.Addr, Path: "/INBOX"}).String())
		watching = true
	}
	// Both start together on the empty database (the setup lock).
	started := make(chan *instance, 2)
	for range 2 {
		go func() { started <- serve(t, dsn, mail...) }()
	}
	a, b := <-started, <-started
	p := makePeople(t, dsn, clients)
	l := newLedger()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	load(ctx, []string{a.URL, b.URL}, p.tokens, l)
	cancel()
	for i, in := range []*instance{a, b} {
		acked, found := l.check(t, in.URL, p.lead)
		fmt.Printf("reliability: two instances: read through instance %d: acknowledged %d, found %d\n",
			i+1, acked, found)
		if acked == 0 || found != acked {
			t.Errorf("through instance %d: acknowledged %d, found %d", i+1, acked, found)
		}
	}
	if d := l.duplicates(); d != 0 {
		t.Errorf("%d references were given to two cases", d)
	}

	// One script's case rate, used on both instances in turn.
	created := 0
	c := &http.Client{Timeout: 10 * time.Second}
	script := p.tokens[0]
	time.Sleep(ally.CaseRate.Every * time.Duration(ally.CaseRate.Burst)) // its allowance is full again
	for i := range 2 * ally.CaseRate.Burst {
		if st, _, _ := call(c, "POST", []string{a.URL, b.URL}[i%2]+"/api/v1/cases", script,
			map[string]any{"kind": "lost_device", "summary": "a script"}); st == 201 {
			created++
		}
	}
	fmt.Printf("reliability: two instances: a script got %d of %d cases through (burst %d)\n", created,
		2*ally.CaseRate.Burst, ally.CaseRate.Burst)
	if created > ally.CaseRate.Burst+1 {
		t.Errorf("spread over two instances, a script filed %d cases at once; the limit is %d", created,
			ally.CaseRate.Burst)
	}

	// Each acknowledgement is delivered once, by one of the two workers.
	l.mu.Lock()
	refs := make([]string, 0, len(l.refs))
	for ref := range l.refs {
		refs = append(refs, ref)
	}
	l.mu.Unlock()
	var counts map[string]int
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		counts = map[string]int{}
		for _, m := range relay.Messages() {
			counts[m.Header.Get("Subject")]++
		}
		missing := 0
		for _, ref := range refs {
			if counts["We got your report ("+ref+")"] == 0 {
				missing++
			}
		}
		if missing == 0 {
			break
		}
	}
	missing, twice := 0, 0
	for _, ref := range refs {
		switch n := counts["We got your report ("+ref+")"]; {
		case n == 0:
			missing++
		case n > 1:
			twice++
		}
	}
	fmt.Printf("reliability: two instances: %d acknowledgements delivered, %d missing, %d delivered twice\n",
		len(refs)-missing, missing, twice)
	if missing != 0 || twice != 0 {
		t.Errorf("acknowledgements: %d missing, %d delivered more than once", missing, twice)
	}
	if !watching {
		fmt.Println("reliability: two instances: Dovecot is not installed, so the IMAP watcher was not tried")
		return
	}
	// The IMAP watcher runs on one instance; killed, the other takes over.
	ins := []*instance{a, b}
	w := watchesIMAP(ins...)
	fmt.Printf("reliability: two instances: instances watching the IMAP mailbox: %d\n", len(w))
	if len(w) != 1 {
		t.Fatalf("%d instances watch the IMAP mailbox; want exactly 1", len(w))
	}
	ins[w[0]].kill()
	other := ins[1-w[0]]
	took := time.Now()
	for time.Since(took) < 30*time.Second && len(watchesIMAP(other)) == 0 {
		time.Sleep(100 * time.Millisecond)
	}
	fmt.Printf("reliability: two instances: the watcher was killed; the other took over: %v (after %s)\n",
		len(watchesIMAP(other)) == 1, time.Since(took).Round(100*time.Millisecond))
	if len(watchesIMAP(other)) == 0 {
		t.Error("no instance took over the IMAP mailbox when its watcher was killed")
	}
}

// watchesIMAP says which of the instances log that they watch the mailbox.
func watchesIMAP(ins ...*instance) []int {
	var out []int
	for i, in := range ins {
		if len(in.lines(`"msg":"imap: watching"`)) > 0 {
			out = append(out, i)
		}
	}
	return out
}

// TestPostgresRestartUnderLoad restarts PostgreSQL itself under load. It
// runs only when ALLY_TEST_PG_RESTART=1 (.ci/run sets it in a step of its
// own, since a restart breaks every other test using the server): the
// instance says not-ready, requests in the gap fail cleanly (503, never
// 500 or 401), it recovers without a restart, and nothing acknowledged is
// lost or half-written.
func TestPostgresRestartUnderLoad(t *testing.T) {
	engines(t)
	if os.Getenv("ALLY_TEST_POSTGRES") == "" || os.Getenv("ALLY_TEST_PG_RESTART") != "1" {
		t.Skip("needs ALLY_TEST_POSTGRES and ALLY_TEST_PG_RESTART=1 (it restarts the PostgreSQL server)")
	}
	dsn := storetest.DSN(t, "postgres")
	version, cluster := clusterOf(t, dsn)
	p := makePeople(t, dsn, clients)
	in := serve(t, dsn)
	l := newLedger()
	stopLoad, ready := watchedLoad(in, p, l, nil) // clients go on: requests in the gap must fail cleanly
	out, err := exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "restart").CombinedOutput()
	if err != nil {
		t.Fatalf("restarting PostgreSQL: %v %s", err, out)
	}
	recovered := false
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if res, err := http.Get(in.URL + "/readyz"); err == nil {
			res.Body.Close()
			if recovered = res.StatusCode == 200; recovered {
				break
			}
		}
	}
	time.Sleep(time.Second) // load after the recovery
	stopLoad()
	seen := <-ready
	fmt.Printf("reliability: PostgreSQL restarted under load: /readyz went %v; %s\n", seen, l.summary())
	if !recovered {
		t.Fatal("the instance did not become ready again after PostgreSQL came back")
	}
	if !strings.Contains(fmt.Sprint(seen), "503") {
		t.Errorf("/readyz never said 503 while PostgreSQL restarted: %v", seen)
	}
	for st := range l.statuses {
		if st != 201 && st != 429 && st != 503 {
			t.Errorf("%d requests answered %d during the restart; want only 201, 429 or 503", l.statuses[st], st)
		}
	}
	acked, found := l.check(t, in.URL, p.lead)
	fmt.Printf("reliability: PostgreSQL restarted under load: acknowledged %d, found %d\n", acked, found)
	if acked == 0 || found != acked {
		t.Errorf("acknowledged %d, found %d", acked, found)
	}
}

// clusterOf finds the local PostgreSQL cluster (version and name, from
// pg_lsclusters) that listens on dsn's port.
func clusterOf(t *testing.T, dsn string) (version, name string) {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	port := cmp.Or(u.Port(), "5432")
	out, err := exec.Command("pg_lsclusters", "--no-header").Output()
	if err != nil {
		t.Skipf("pg_lsclusters: %v (no local cluster to restart)", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[2] == port {
			return f[0], f[1]
		}
	}
	t.Skipf("no local PostgreSQL cluster listens on port %s", port)
	return "", ""
}
