package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
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

// crowdLive lets every person act until ctx ends. They share one HTTP
// transport that keeps a connection open per person, as browsers and API
// clients do.
func crowdLive(ctx context.Context, crowd []*person, servers []*server, think time.Duration, r *results) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 0, len(crowd)
	defer tr.CloseIdleConnections()
	c := &http.Client{Timeout: 30 * time.Second, Transport: tr}
	var wg sync.WaitGroup
	for i, p := range crowd {
		wg.Go(func() { p.live(ctx, c, servers, i, think, r) })
	}
	wg.Wait()
}

// live acts as one person until ctx ends, on the instances in turn.
func (p *person) live(ctx context.Context, c *http.Client, servers []*server, i int, think time.Duration,
	r *results) {
	for n := i; ctx.Err() == nil; n++ {
		base := servers[n%len(servers)].url
		p.act(ctx, c, base, r)
		if think > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(time.Duration(mrand.Int64N(int64(2 * think)))):
			}
		}
	}
}

// act does one thing a person of p's role does, by weight.
func (p *person) act(ctx context.Context, c *http.Client, base string, r *results) {
	roll := mrand.IntN(100)
	ref := ""
	if len(p.mine) > 0 {
		ref = p.mine[mrand.IntN(len(p.mine))]
	}
	switch p.role {
	case ally.RoleReporter:
		switch {
		case ref == "" || roll >= 90:
			p.report(ctx, c, base, r)
		case roll < 40:
			r.do(ctx, c, "page", "GET", base+"/", p, nil)
		case roll < 65:
			r.do(ctx, c, "api read", "GET", base+"/api/v1/cases", p, nil)
		case roll < 80:
			r.do(ctx, c, "api read", "GET", base+"/api/v1/cases/"+ref, p, nil)
		default:
			r.do(ctx, c, "write", "POST", base+"/api/v1/cases/"+ref+"/messages", p,
				map[string]any{"body": "One more detail: the message came again this morning."})
		}
	case ally.RoleResponder:
		switch {
		case roll < 30:
			r.do(ctx, c, "page", "GET", base+"/queue", p, nil)
		case roll < 50:
			r.do(ctx, c, "page", "GET", base+"/cases/"+ref, p, nil)
		case roll < 75:
			r.do(ctx, c, "api read", "GET", base+"/api/v1/cases?status=open", p, nil)
		case roll < 85:
			r.do(ctx, c, "api read", "GET", base+"/api/v1/cases?kind=clicked_link&status=open", p, nil)
		default:
			r.do(ctx, c, "write", "POST", base+"/api/v1/cases/"+ref+"/messages", p,
				map[string]any{"body": "Thank you for telling us. We are looking at it now and will write back soon."})
		}
	default:
		switch {
		case roll < 50:
			r.do(ctx, c, "page", "GET", base+"/dashboard", p, nil)
		case roll < 80:
			r.do(ctx, c, "api read", "GET", base+"/api/v1/metrics", p, nil)
		default:
			r.do(ctx, c, "page", "GET", base+"/queue", p, nil)
		}
	}
}

func (p *person) report(ctx context.Context, c *http.Client, base string, r *results) {
	body := r.do(ctx, c, "write", "POST", base+"/api/v1/cases", p,
		map[string]any{"kind": "clicked_link", "summary": "An odd email asking me to sign in"})
	var created struct{ Ref string }
	if json.Unmarshal(body, &created) == nil && created.Ref != "" {
		p.mine = append(p.mine, created.Ref)
	}
}

// results collects latencies by kind and answers by status while recording
// is on (not during the warm-up).
type results struct {
	recording atomic.Bool
	mu        sync.Mutex
	lat       map[string][]time.Duration
	status    map[string]int // "kind status"
	first     []string       // the first answer of each kind that was not 2xx
}

func newResults() *results {
	return &results{lat: map[string][]time.Duration{}, status: map[string]int{}}
}

// do sends one request (pages with the session cookie, the API with the
// token) and records it; it returns the body of a 2xx answer. A request cut
// off because the run ended is not counted.
func (r *results) do(ctx context.Context, c *http.Client, kind, method, u string, p *person, body any) []byte {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequestWithContext(ctx, method, u, rd)
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
		out, err = io.ReadAll(res.Body)
		res.Body.Close()
		st = strconv.Itoa(res.StatusCode)
	}
	took := time.Since(start)
	ok := err == nil && res.StatusCode < 300
	if ctx.Err() == nil && r.recording.Load() {
		r.record(kind, st, u, out, err, ok, took)
	}
	if ok {
		return out
	}
	return nil
}

func (r *results) record(kind, st, u string, out []byte, err error, ok bool, took time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.status[kind+" "+st]++; r.status[kind+" "+st] == 1 && !ok {
		why := strings.TrimSpace(string(out))
		if err != nil {
			why = err.Error()
		}
		r.first = append(r.first, fmt.Sprintf("%s %s %s: %.200s", kind, st, u, why))
	}
	if ok {
		r.lat[kind] = append(r.lat[kind], took)
	}
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
