// Package reliability runs real `ally serve` processes, built from this tree,
// against real databases and breaks them: two instances on one PostgreSQL
// database, kill -9 under load, SIGTERM under load, and (when
// ALLY_TEST_PG_RESTART=1) PostgreSQL restarted under load. Every test
// counts what the server acknowledged and looks for each of it afterwards.
package reliability

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
)

// allyBin is the ally binary built for this run.
var allyBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ally-reliability")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	allyBin = filepath.Join(dir, "ally")
	build := exec.Command("go", "build", "-o", allyBin, "github.com/allydesk/ally/cmd/ally")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building ally:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// instance is one running `ally serve`.
type instance struct {
	t       *testing.T
	cmd     *exec.Cmd
	URL     string
	args    []string
	logPath string
	exited  chan struct{} // closed when the process has ended
	err     error         // how it ended
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serve starts `ally serve` on dsn and waits until /readyz answers 200.
func serve(t *testing.T, dsn string, extra ...string) *instance {
	t.Helper()
	addr := freeAddr(t)
	in := &instance{t: t, URL: "http://" + addr, args: append([]string{"serve", "--db", dsn, "--addr", addr,
		"--drain-delay", "500ms"}, extra...)}
	in.logPath = filepath.Join(t.TempDir(), "serve.log")
	in.start()
	t.Cleanup(func() { in.kill() })
	return in
}

func (in *instance) start() {
	in.t.Helper()
	logs, err := os.OpenFile(in.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		in.t.Fatal(err)
	}
	in.cmd = exec.Command(allyBin, in.args...)
	in.cmd.Stdout, in.cmd.Stderr = io.Discard, logs
	if err := in.cmd.Start(); err != nil {
		in.t.Fatal(err)
	}
	exited := make(chan struct{})
	in.exited = exited
	go func() {
		in.err = in.cmd.Wait()
		logs.Close()
		close(exited)
	}()
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(in.URL + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		select {
		case <-exited:
			in.t.Fatalf("ally serve exited while starting (%v):\n%s", in.err, in.logTail())
		default:
		}
		if time.Now().After(deadline) {
			in.t.Fatalf("ally serve was not ready within a minute:\n%s", in.logTail())
		}
	}
}

// kill ends the process with SIGKILL (if it still runs) and waits for it.
func (in *instance) kill() {
	_ = in.cmd.Process.Signal(syscall.SIGKILL)
	<-in.exited
}

// term sends SIGTERM and waits up to limit for the process to end; it
// returns the exit status.
func (in *instance) term(limit time.Duration) (int, error) {
	if err := in.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return -1, err
	}
	select {
	case <-in.exited:
		return in.cmd.ProcessState.ExitCode(), nil
	case <-time.After(limit):
		return -1, fmt.Errorf("still running %s after SIGTERM", limit)
	}
}

func (in *instance) logTail() string {
	b, _ := os.ReadFile(in.logPath)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// restart starts the same command again.
func (in *instance) restart() { in.start() }

// people is a set of accounts with bearer tokens, made through the store.
type people struct {
	tokens []string // reporters, one per client
	lead   string   // reads every case
}

func makePeople(t *testing.T, dsn string, n int) *people {
	t.Helper()
	ctx := ally.NewOperatorContext(context.Background())
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var ns []*ally.NewUser
	for i := range n {
		ns = append(ns, &ally.NewUser{Email: fmt.Sprintf("r%d@corp.example", i), Name: fmt.Sprintf("Reporter %d", i),
			Role: ally.RoleReporter, Department: "Ops", Password: "reliable horse battery"})
	}
	ns = append(ns, &ally.NewUser{Email: "lead@corp.example", Name: "Lee Lead", Role: ally.RoleLead,
		Password: "reliable horse battery"})
	if _, err := db.CreateUsers(ctx, ns); err != nil {
		t.Fatal(err)
	}
	p := &people{}
	for _, u := range ns {
		tok, err := db.CreateToken(ctx, u.Email, "reliability")
		if err != nil {
			t.Fatal(err)
		}
		if u.Role == ally.RoleLead {
			p.lead = tok
		} else {
			p.tokens = append(p.tokens, tok)
		}
	}
	return p
}

// ledger is what the servers acknowledged (2xx), and every other outcome.
type ledger struct {
	mu       sync.Mutex
	cases    map[string]string   // ref → summary
	messages map[string][]string // ref → message bodies
	refs     map[string]int      // ref → times a create answered it (a duplicate is > 1)
	own      map[int][]string    // client → the refs of its cases, across cycles
	statuses map[int]int
	cut      int      // requests sent and cut off without an answer (not refused connections)
	cutErrs  []string // the first few of them
	acked    atomic.Int64
	// paused is set, as a load balancer would, while the instance's /readyz
	// does not answer 200 (see readyWatch): clients send nothing new.
	paused atomic.Bool
}

func newLedger() *ledger {
	return &ledger{cases: map[string]string{}, messages: map[string][]string{}, refs: map[string]int{},
		statuses: map[int]int{}, own: map[int][]string{}}
}

func (l *ledger) status(code int) {
	l.mu.Lock()
	l.statuses[code]++
	l.mu.Unlock()
}

// call sends a JSON request; it returns the status (0 when there was no
// answer) and the decoded body.
func call(c *http.Client, method, url, token string, body any) (int, map[string]any, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out, nil
}

// refused reports whether err is a connection that was never made: the
// server was not listening. Anything else without an answer was cut off.
func refused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED)
}

// load runs one client per token until ctx ends: each files cases and
// writes on them, on the instances in turn, and records every answer.
func load(ctx context.Context, urls []string, tokens []string, l *ledger) {
	var wg sync.WaitGroup
	for i, tok := range tokens {
		wg.Go(func() {
			c := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
			l.mu.Lock()
			mine := l.own[i]
			l.mu.Unlock()
			defer func() {
				l.mu.Lock()
				l.own[i] = mine
				l.mu.Unlock()
			}()
			for n := 0; ctx.Err() == nil; n++ {
				if l.paused.Load() {
					time.Sleep(10 * time.Millisecond)
					continue
				}
				url := urls[n%len(urls)]
				if len(mine) == 0 || rand.IntN(4) == 0 {
					summary := fmt.Sprintf("reliability case %d-%d-%d", i, n, rand.Int64())
					st, body, err := call(c, "POST", url+"/api/v1/cases", tok,
						map[string]any{"kind": "lost_device", "summary": summary})
					l.record(st, err)
					if st == 201 {
						ref, _ := body["ref"].(string)
						mine = append(mine, ref)
						l.mu.Lock()
						l.cases[ref] = summary
						l.refs[ref]++
						l.mu.Unlock()
						l.acked.Add(1)
					}
				} else {
					ref := mine[rand.IntN(len(mine))]
					text := fmt.Sprintf("One more detail, number %d-%d-%d.", i, n, rand.Int64())
					st, _, err := call(c, "POST", url+"/api/v1/cases/"+ref+"/messages", tok, map[string]any{"body": text})
					l.record(st, err)
					if st == 201 {
						l.mu.Lock()
						l.messages[ref] = append(l.messages[ref], text)
						l.mu.Unlock()
						l.acked.Add(1)
					}
				}
			}
		})
	}
	wg.Wait()
}

func (l *ledger) record(st int, err error) {
	if st == 0 || st == 429 || st == 503 { // no answer, or asked to wait: do not spin
		time.Sleep(time.Duration(10+rand.IntN(20)) * time.Millisecond)
	}
	if st != 0 {
		l.status(st)
	} else if err != nil && !refused(err) {
		l.mu.Lock()
		l.cut++
		if l.cut <= 3 {
			l.cutErrs = append(l.cutErrs, err.Error())
		}
		l.mu.Unlock()
	}
}

// check looks for every acknowledged case and message through url, as the
// lead, and returns how many of the acknowledged writes it found intact.
func (l *ledger) check(t *testing.T, url, lead string) (acked, found int) {
	t.Helper()
	c := &http.Client{Timeout: 30 * time.Second}
	l.mu.Lock()
	defer l.mu.Unlock()
	for ref, summary := range l.cases {
		acked++
		st, body, err := call(c, "GET", url+"/api/v1/cases/"+ref, lead, nil)
		if err != nil || st != 200 {
			t.Errorf("acknowledged case %s: %d %v", ref, st, err)
			continue
		}
		if body["summary"] == summary {
			found++
		} else {
			t.Errorf("case %s: summary %q, want %q", ref, body["summary"], summary)
		}
	}
	for ref, texts := range l.messages {
		acked += len(texts)
		bodies := map[string]int{}
		for cursor := ""; ; {
			st, body, err := call(c, "GET", url+"/api/v1/cases/"+ref+"/timeline?cursor="+cursor, lead, nil)
			if err != nil || st != 200 {
				t.Errorf("timeline of %s: %d %v", ref, st, err)
				break
			}
			items, _ := body["items"].([]any)
			for _, it := range items {
				e, _ := it.(map[string]any)
				if b, ok := e["body"].(string); ok {
					bodies[b]++
				}
			}
			next, _ := body["next_cursor"].(string)
			if next == "" {
				break
			}
			cursor = next
		}
		for _, text := range texts {
			if bodies[text] == 1 {
				found++
			} else {
				t.Errorf("message %q on %s found %d times, want once", text, ref, bodies[text])
			}
		}
	}
	return acked, found
}

// reset forgets what was checked, keeping the statuses.
func (l *ledger) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.cases)
	clear(l.messages)
}

func (l *ledger) duplicates() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, c := range l.refs {
		n += c - 1
	}
	return n
}

func (l *ledger) summary() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "statuses %v, cut off %d %q", l.statuses, l.cut, l.cutErrs)
	return b.String()
}

// readyWatch polls url's /readyz until ctx ends, and once more then, and reports the statuses
// seen, in order, without repeats. With a ledger, it pauses the clients
// while the answer is not 200, as a load balancer takes an instance out.
func readyWatch(ctx context.Context, url string, l *ledger) <-chan []int {
	out := make(chan []int, 1)
	go func() {
		var seen []int
		c := &http.Client{Timeout: 3 * time.Second}
		look := func() int {
			st := 0
			if res, err := c.Get(url + "/readyz"); err == nil {
				st = res.StatusCode
				res.Body.Close()
			}
			if len(seen) == 0 || seen[len(seen)-1] != st {
				seen = append(seen, st)
			}
			return st
		}
		for ctx.Err() == nil {
			st := look()
			if l != nil {
				l.paused.Store(st != 200)
			}
			time.Sleep(20 * time.Millisecond)
		}
		// One last look once stopped: on a busy machine the watch may not
		// have run between the process's exit and the stop.
		look()
		out <- seen
	}()
	return out
}

// lines returns the log lines of in that contain s.
func (in *instance) lines(s string) []string {
	b, _ := os.ReadFile(in.logPath)
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if strings.Contains(sc.Text(), s) {
			out = append(out, sc.Text())
		}
	}
	return out
}

// watchedLoad runs the clients against in and watches its /readyz (given
// pause, the clients pause while it is not 200); it returns after a second
// of load. stop ends the load and the watch; then ready gives the /readyz
// statuses seen.
func watchedLoad(in *instance, p *people, l, pause *ledger) (stop func(), ready <-chan []int) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { load(ctx, []string{in.URL}, p.tokens, l); close(done) }()
	watchCtx, stopWatch := context.WithCancel(context.Background())
	ready = readyWatch(watchCtx, in.URL, pause)
	time.Sleep(time.Second)
	return func() { cancel(); <-done; stopWatch() }, ready
}
