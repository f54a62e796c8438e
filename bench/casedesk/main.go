// Command casedesk measures the case desk over real HTTP on this machine:
// durable case creation throughput, and read latencies (queue, one case,
// metrics, pages) on a large database built with "ally demo".
//
//	go run ./bench/casedesk -mode create -seconds 20
//	go run ./cmd/ally demo --cases 1000000 --db bench/out/1m.db
//	go run ./bench/casedesk -mode read -db bench/out/1m.db
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/demo"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/web"
)

func main() {
	mode := flag.String("mode", "create", "create or read")
	dbPath := flag.String("db", "", "database (create: a fresh temporary SQLite file by default)")
	seconds := flag.Int("seconds", 20, "how long the create run lasts")
	clients := flag.Int("clients", 32, "concurrent HTTP clients")
	n := flag.Int("n", 400, "requests per read scenario")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		check(err)
		check(pprof.StartCPUProfile(f))
		defer pprof.StopCPUProfile()
	}
	ctx := ally.NewOperatorContext(context.Background())
	if *dbPath == "" {
		dir, _ := os.MkdirTemp("", "ally-bench")
		defer os.RemoveAll(dir)
		*dbPath = filepath.Join(dir, "bench.db")
	}
	db, err := store.Open(ctx, *dbPath, store.Options{})
	check(err)
	defer db.Close()
	_, err = db.Migrate(ctx)
	check(err)
	_, err = demo.EnsureAccounts(ctx, db)
	check(err)
	srv := web.New(web.Config{Services: web.Services{Cases: db, Users: db, Audit: db, Tasks: db, Metrics: db,
		Attachments: db, Insights: db, Practice: db}, Playbooks: db.Playbooks(), Ready: db.Ping})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	go http.Serve(ln, srv)
	base := "http://" + ln.Addr().String()
	fmt.Printf("database %s, server %s\n", *dbPath, base)
	switch *mode {
	case "create":
		create(ctx, db, base, *clients, time.Duration(*seconds)*time.Second)
	case "read":
		read(ctx, db, base, *n)
	default:
		log.Fatalf("-mode must be create or read")
	}
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// create has every client file cases as a demo reporter for d and reports
// the rate of acknowledged (201) creations and their latency.
func create(ctx context.Context, db *store.DB, base string, clients int, d time.Duration) {
	var tokens []string
	for _, a := range demo.Accounts {
		if a.Role == ally.RoleReporter {
			tok, err := db.CreateToken(ctx, a.Email, "bench")
			check(err)
			tokens = append(tokens, tok)
		}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	body := []byte(`{"kind":"clicked_link","summary":"Clicked a parcel link",` +
		`"details":"It asked me to pay a small fee and I clicked before I thought.",` +
		`"answers":{"typed_password":"no","under_pressure":"yes"}}`)
	var mu sync.Mutex
	var lat []time.Duration
	failures := 0
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			tok := tokens[i%len(tokens)]
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest("POST", base+"/api/v1/cases", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+tok)
				start := time.Now()
				resp, err := client.Do(req)
				took := time.Since(start)
				ok := err == nil && resp.StatusCode == 201
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				mu.Lock()
				if ok {
					lat = append(lat, took)
				} else {
					failures++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	fmt.Printf("create: %d cases in %s with %d clients = %.0f cases/s acknowledged (durable: WAL, synchronous=FULL); "+
		"failures %d\n",
		len(lat), d, clients, float64(len(lat))/d.Seconds(), failures)
	printLatency("create", lat)
}

// read measures queue pages, single cases, metrics and rendered pages.
func read(ctx context.Context, db *store.DB, base string, n int) {
	tok, err := db.CreateToken(ctx, "riley.chen@example.com", "bench")
	check(err)
	leadTok, err := db.CreateToken(ctx, "lee.morgan@example.com", "bench")
	check(err)
	lead, err := db.FindUserByEmail(ctx, "lee.morgan@example.com")
	check(err)
	counts, err := db.CountCases(ally.NewContextWithUser(ctx, lead))
	check(err)
	total := 0
	for _, c := range counts {
		total += c
	}
	fmt.Printf("cases in the database: %d\n", total)
	rng := rand.New(rand.NewPCG(1, 2))
	statuses := []string{"new", "acknowledged", "investigating", "contained", "resolved", "closed"}
	kinds := []string{"suspicious_email", "clicked_link", "entered_credentials", "lost_device", "other", "suspicious_call"}
	sevs := []string{"low", "medium", "high", "critical"}
	queues := map[string]func() string{
		"queue: no filter":      func() string { return "/api/v1/cases?limit=50" },
		"queue: priority, open": func() string { return "/api/v1/cases?limit=50&sort=priority&status=open" },
		"queue: status":         func() string { return "/api/v1/cases?limit=50&status=" + statuses[rng.IntN(6)] },
		"queue: kind":           func() string { return "/api/v1/cases?limit=50&kind=" + kinds[rng.IntN(6)] },
		"queue: severity":       func() string { return "/api/v1/cases?limit=50&severity=" + sevs[rng.IntN(4)] },
		"queue: status+kind+severity": func() string {
			return "/api/v1/cases?limit=50&status=" + statuses[rng.IntN(6)] + "&kind=" + kinds[rng.IntN(6)] +
				"&severity=" + sevs[rng.IntN(4)]
		},
		"queue: page 5 (cursor)": nil,
	}
	names := make([]string, 0, len(queues))
	for k := range queues {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, name := range names {
		path := queues[name]
		if path == nil {
			path = deepPage(base, tok)
		}
		measure(name, n, func() { get(base+path(), tok, nil) })
	}
	// A lead sees every case, so any reference is readable.
	measure("case: one by ref", n, func() {
		get(base+"/api/v1/cases/"+ally.CaseRef(int64(1+rng.IntN(total))), leadTok,
			nil)
	})
	measure("metrics: last 30 days", max(n/8, 20), func() { get(base+"/api/v1/metrics", leadTok, nil) })
	jar := signIn(base)
	measure("page: queue (rendered)", n, func() { get(base+"/queue", "", jar) })
	measure("page: case (rendered)", n, func() { get(base+"/cases/"+ally.CaseRef(int64(1+rng.IntN(total))), "", jar) })
}

// deepPage returns a function giving the path of the fifth page of the
// newest-first list, found by following cursors once.
func deepPage(base, tok string) func() string {
	path := "/api/v1/cases?limit=50"
	for range 4 {
		var page struct {
			NextCursor string `json:"next_cursor"`
		}
		getJSON(base+path, tok, &page)
		path = "/api/v1/cases?limit=50&cursor=" + page.NextCursor
	}
	return func() string { return path }
}

func measure(name string, n int, fn func()) {
	fn() // warm up
	lat := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		fn()
		lat = append(lat, time.Since(start))
	}
	printLatency(name, lat)
}

func printLatency(name string, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(p int) time.Duration { return lat[max((p*len(lat)+99)/100, 1)-1].Round(10 * time.Microsecond) }
	fmt.Printf("%-30s n=%-6d p50=%-10s p95=%-10s p99=%s\n", name, len(lat), at(50), at(95), at(99))
}

func get(u, tok string, jar http.CookieJar) []byte {
	req, _ := http.NewRequest("GET", u, nil)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := (&http.Client{Jar: jar}).Do(req)
	check(err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		log.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return b
}

func getJSON(u, tok string, v any) {
	check(json.Unmarshal(get(u, tok, nil), v))
}

// signIn signs in as the demo lead through the login form and returns the
// cookie jar.
func signIn(base string) http.CookieJar {
	jar, _ := cookiejar.New(nil)
	form := url.Values{"email": {"lee.morgan@example.com"}, "password": {demo.Password}}
	resp, err := (&http.Client{Jar: jar}).Post(base+"/login", "application/x-www-form-urlencoded",
		strings.NewReader(form.Encode()))
	check(err)
	resp.Body.Close()
	return jar
}
