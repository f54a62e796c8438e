// Command load runs a mixed workload of simulated people against real
// `ally serve` processes built from this tree: reporters reporting,
// replying and checking their cases, responders reading the queue, filtering
// it, opening cases and replying, leads opening the dashboard. It prints the
// p95 of pages, API reads and writes, errors, throughput, each instance's
// peak resident memory, and the CPU used by the instances, PostgreSQL and
// the load generator itself (to say which resource is the bottleneck).
//
//	go run ./bench/load -instances 1                       # SQLite
//	go run ./bench/load -db postgres://postgres@127.0.0.1:5432/test -instances 2
//	go run ./bench/load -think 0 -people 32                # saturation: throughput
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/demo"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/web"
)

func main() {
	dsn := flag.String("db", "", "postgres:// URL (a fresh schema is made in it), or empty for a fresh SQLite file")
	instances := flag.Int("instances", 1, "how many ally serve processes share the database")
	people := flag.Int("people", 200, "simulated people at once")
	think := flag.Duration("think", time.Second, "mean pause between one person's actions (0: none, to saturate)")
	duration := flag.Duration("duration", 30*time.Second, "how long to measure")
	cases := flag.Int("cases", 2000, "cases in the database before the run")
	pgProcs := flag.String("pg-procs", "", "count only PostgreSQL processes whose title has this (e.g. 15/main)")
	flag.Parse()
	dir, err := os.MkdirTemp("", "ally-load")
	check(err)
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "ally")
	build := exec.Command("go", "build", "-o", bin, "github.com/allydesk/ally/cmd/ally")
	build.Stderr = os.Stderr
	check(build.Run())

	db := *dsn
	if db == "" {
		db = filepath.Join(dir, "load.db")
	} else {
		var drop func()
		db, drop = freshSchema(db)
		defer drop()
	}
	crowd := prepare(db, *people, *cases)
	var servers []*server
	for range *instances {
		servers = append(servers, startServer(bin, db, dir))
	}
	defer func() {
		for _, s := range servers {
			_ = s.cmd.Process.Kill()
			_, _ = s.cmd.Process.Wait()
		}
	}()

	r := &results{lat: map[string][]time.Duration{}, status: map[string]int{}}
	ctx, cancel := context.WithTimeout(context.Background(), *duration)
	defer cancel()
	cpu0 := cpuNow(servers, *pgProcs)
	start := time.Now()
	var wg sync.WaitGroup
	go sampleRSS(ctx, servers)
	for i, p := range crowd {
		wg.Go(func() { p.live(ctx, servers, i, *think, r) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu1 := cpuNow(servers, *pgProcs)
	report(r, servers, elapsed, cpu0, cpu1, *instances, *people, *think, store.IsPostgres(db))
}

// person is one simulated person with a bearer token and a browser session.
type person struct {
	role   ally.Role
	token  string
	cookie string
	mine   []string // refs of cases this person can open
}

// prepare fills the database with demo cases and the people's accounts.
func prepare(dsn string, n, cases int) []*person {
	ctx := ally.NewOperatorContext(context.Background())
	db, err := store.Open(ctx, dsn, store.Options{})
	check(err)
	defer db.Close()
	_, err = db.Migrate(ctx)
	check(err)
	check(demo.Load(ctx, db, demo.Options{Cases: cases, Now: time.Now(), Span: 60 * 24 * time.Hour, Seed: 1}))
	var ns []*ally.NewUser
	for i := range n {
		role := ally.RoleReporter
		switch {
		case i%20 == 0:
			role = ally.RoleLead
		case i%4 == 1:
			role = ally.RoleResponder
		}
		ns = append(ns, &ally.NewUser{Email: fmt.Sprintf("p%d@load.example", i), Name: fmt.Sprintf("Person %d", i),
			Role: role, Department: "Ops", Password: "load test horse battery"})
	}
	users, err := db.CreateUsers(ctx, ns)
	check(err)
	page, err := db.FindCases(ally.NewContextWithUser(ctx, users[0]), ally.CaseFilter{Limit: 100}) // a lead
	check(err)
	var refs []string
	for _, c := range page.Items {
		refs = append(refs, c.Ref)
	}
	var crowd []*person
	for _, u := range users {
		tok, err := db.CreateToken(ctx, u.Email, "load")
		check(err)
		sess, err := db.CreateSession(ctx, u.ID, 12*time.Hour)
		check(err)
		p := &person{role: u.Role, token: tok, cookie: web.SessionCookie + "=" + sess.Secret}
		if u.Role != ally.RoleReporter {
			p.mine = refs
		}
		crowd = append(crowd, p)
	}
	return crowd
}

// live acts as one person until ctx ends, on the instances in turn.
func (p *person) live(ctx context.Context, servers []*server, i int, think time.Duration, r *results) {
	c := &http.Client{Timeout: 30 * time.Second}
	for n := i; ctx.Err() == nil; n++ {
		base := servers[n%len(servers)].url
		p.act(c, base, r)
		if think > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(time.Duration(mrand.Int64N(int64(2 * think)))):
			}
		}
	}
}

// act does one thing a person of p's role does, by weight.
func (p *person) act(c *http.Client, base string, r *results) {
	roll := mrand.IntN(100)
	ref := ""
	if len(p.mine) > 0 {
		ref = p.mine[mrand.IntN(len(p.mine))]
	}
	switch p.role {
	case ally.RoleReporter:
		switch {
		case ref == "" || roll >= 90:
			p.report(c, base, r)
		case roll < 40:
			r.do(c, "page", "GET", base+"/", p, nil)
		case roll < 65:
			r.do(c, "api read", "GET", base+"/api/v1/cases", p, nil)
		case roll < 80:
			r.do(c, "api read", "GET", base+"/api/v1/cases/"+ref, p, nil)
		default:
			r.do(c, "write", "POST", base+"/api/v1/cases/"+ref+"/messages", p,
				map[string]any{"body": "One more detail: the message came again this morning."})
		}
	case ally.RoleResponder:
		switch {
		case roll < 30:
			r.do(c, "page", "GET", base+"/queue", p, nil)
		case roll < 50:
			r.do(c, "page", "GET", base+"/cases/"+ref, p, nil)
		case roll < 75:
			r.do(c, "api read", "GET", base+"/api/v1/cases?status=open", p, nil)
		case roll < 85:
			r.do(c, "api read", "GET", base+"/api/v1/cases?kind=clicked_link&status=open", p, nil)
		default:
			r.do(c, "write", "POST", base+"/api/v1/cases/"+ref+"/messages", p,
				map[string]any{"body": "Thank you for telling us. We are looking at it now and will write back soon."})
		}
	default:
		switch {
		case roll < 50:
			r.do(c, "page", "GET", base+"/dashboard", p, nil)
		case roll < 80:
			r.do(c, "api read", "GET", base+"/api/v1/metrics", p, nil)
		default:
			r.do(c, "page", "GET", base+"/queue", p, nil)
		}
	}
}

func (p *person) report(c *http.Client, base string, r *results) {
	body := r.do(c, "write", "POST", base+"/api/v1/cases", p,
		map[string]any{"kind": "clicked_link", "summary": "An odd email asking me to sign in"})
	var created struct{ Ref string }
	if json.Unmarshal(body, &created) == nil && created.Ref != "" {
		p.mine = append(p.mine, created.Ref)
	}
}

// results collects latencies by kind and answers by status.
type results struct {
	mu     sync.Mutex
	lat    map[string][]time.Duration
	status map[string]int // "kind status"
	first  []string       // the first answer of each kind that was not 2xx
}

// do sends one request (pages with the session cookie, the API with the
// token) and records it; it returns the body of a 2xx answer.
func (r *results) do(c *http.Client, kind, method, u string, p *person, body any) []byte {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, u, rd)
	if strings.Contains(u, "/api/") {
		req.Header.Set("Authorization", "Bearer "+p.token)
		req.Header.Set("Content-Type", "application/json")
	} else {
		req.Header.Set("Cookie", p.cookie)
	}
	start := time.Now()
	res, err := c.Do(req)
	st := "error"
	var out []byte
	if err == nil {
		out, _ = io.ReadAll(res.Body)
		res.Body.Close()
		st = strconv.Itoa(res.StatusCode)
	}
	took := time.Since(start)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.status[kind+" "+st]++; r.status[kind+" "+st] == 1 && st != "error" && (out == nil || st[0] != '2') {
		r.first = append(r.first, fmt.Sprintf("%s %s %s: %.200s", kind, st, u, out))
	}
	if err == nil && res.StatusCode < 300 {
		r.lat[kind] = append(r.lat[kind], took)
		return out
	}
	return nil
}

// server is one running ally serve.
type server struct {
	cmd    *exec.Cmd
	url    string
	maxRSS atomic.Int64 // KiB
}

func startServer(bin, dsn, dir string) *server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	addr := ln.Addr().String()
	ln.Close()
	logs, err := os.Create(filepath.Join(dir, "serve-"+strings.ReplaceAll(addr, ":", "_")+".log"))
	check(err)
	s := &server{url: "http://" + addr,
		cmd: exec.Command(bin, "serve", "--db", dsn, "--addr", addr, "--log-level", "warn")}
	s.cmd.Stdout, s.cmd.Stderr = io.Discard, logs
	check(s.cmd.Start())
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(s.url + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return s
			}
		}
	}
	log.Fatalf("ally serve at %s did not become ready", addr)
	return nil
}

func sampleRSS(ctx context.Context, servers []*server) {
	for ctx.Err() == nil {
		for _, s := range servers {
			if kb := statusField(s.cmd.Process.Pid, "VmRSS:"); kb > s.maxRSS.Load() {
				s.maxRSS.Store(kb)
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// statusField reads a kB figure from /proc/PID/status.
func statusField(pid int, name string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == name {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}

// cpu is CPU time used so far, in clock ticks: by the instances, by
// PostgreSQL's processes, by this program, and by the whole machine (busy
// and all).
type cpu struct{ ally, postgres, self, busy, total int64 }

func cpuNow(servers []*server, pgProcs string) cpu {
	var c cpu
	for _, s := range servers {
		c.ally += procTicks(strconv.Itoa(s.cmd.Process.Pid))
	}
	c.self = procTicks("self")
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		comm, _ := os.ReadFile("/proc/" + e.Name() + "/comm")
		title, _ := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if strings.TrimSpace(string(comm)) == "postgres" && strings.Contains(string(title), pgProcs) {
			c.postgres += procTicks(e.Name())
		}
	}
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		f := strings.Fields(strings.SplitN(string(b), "\n", 2)[0])
		for i, v := range f[1:] {
			n, _ := strconv.ParseInt(v, 10, 64)
			c.total += n
			if i != 3 && i != 4 { // idle and iowait
				c.busy += n
			}
		}
	}
	return c
}

// procTicks is a process's user and system time (children included).
func procTicks(pid string) int64 {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	var t int64
	for _, i := range []int{11, 12, 13, 14} { // utime stime cutime cstime
		n, _ := strconv.ParseInt(f[i], 10, 64)
		t += n
	}
	return t
}

func report(r *results, servers []*server, elapsed time.Duration, c0, c1 cpu, instances, people int,
	think time.Duration, pg bool) {
	engine := "SQLite"
	if pg {
		engine = "PostgreSQL"
	}
	total, ok := 0, 0
	for k, n := range r.status {
		total += n
		if st := k[strings.LastIndexByte(k, ' ')+1:]; st >= "200" && st < "300" {
			ok += n
		}
	}
	fmt.Printf("%s, %d instance(s), %d people, think %s, %s: %d requests, %.0f/s, %d answered 2xx\n",
		engine, instances, people, think, elapsed.Round(time.Second), total, float64(total)/elapsed.Seconds(), ok)
	for _, kind := range []string{"page", "api read", "write"} {
		l := r.lat[kind]
		slices.Sort(l)
		if len(l) == 0 {
			continue
		}
		q := func(p float64) time.Duration {
			return l[min(len(l)-1, int(p*float64(len(l))))].Round(100 * time.Microsecond)
		}
		fmt.Printf("  %-8s n=%-6d p50 %-8s p95 %-8s p99 %s\n", kind, len(l), q(0.50), q(0.95), q(0.99))
	}
	var other []string
	for k, n := range r.status {
		if st := k[strings.LastIndexByte(k, ' ')+1:]; !(st >= "200" && st < "300") {
			other = append(other, fmt.Sprintf("%s: %d", k, n))
		}
	}
	slices.Sort(other)
	fmt.Printf("  not 2xx: %v\n", other)
	for _, f := range r.first {
		fmt.Printf("    e.g. %s\n", f)
	}
	for i, s := range servers {
		fmt.Printf("  instance %d peak RSS %.0f MiB\n", i+1, float64(s.maxRSS.Load())/1024)
	}
	busy, all := float64(c1.busy-c0.busy), float64(c1.total-c0.total)
	share := func(t int64) float64 { return 100 * float64(t) / all }
	fmt.Printf("  CPU of the machine's 2 cores: %.0f%% busy — ally %.0f%%, postgres %.0f%%, load generator %.0f%%, "+
		"other %.0f%%\n", 100*busy/all, share(c1.ally-c0.ally), share(c1.postgres-c0.postgres), share(c1.self-c0.self),
		100*busy/all-share(c1.ally-c0.ally)-share(c1.postgres-c0.postgres)-share(c1.self-c0.self))
}

// freshSchema makes an empty schema in the PostgreSQL database at base and
// returns a DSN that uses it, and a function that drops it.
func freshSchema(base string) (string, func()) {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	schema := "load_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	check(err)
	_, err = admin.Exec("CREATE SCHEMA " + schema)
	check(err)
	u, err := url.Parse(base)
	check(err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	}
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
