package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally/store/storetest"
)

// TestServeDebugAddr runs `ally serve --debug-addr`: the debug listener
// serves /metrics without sign-in, the app's port refuses it, and both
// stop when the command is told to.
func TestServeDebugAddr(t *testing.T) {
	addrs, stop := serveInProcess(t, "--db", filepath.Join(t.TempDir(), "serve.db"), "--debug-addr", "127.0.0.1:0")
	debug, app := addrs["debug"], addrs["app"]
	if debug == "" || app == "" {
		t.Fatalf("serve did not print both addresses (debug %q, app %q)", debug, app)
	}
	for url, want := range map[string]int{"http://" + debug + "/metrics": 200, "http://" + debug + "/debug/pprof/": 200,
		"http://" + app + "/metrics": 401} {
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("%s: %d, want %d", url, res.StatusCode, want)
		}
	}
	stop()
	if _, err := http.Get("http://" + debug + "/metrics"); err == nil {
		t.Error("the debug listener still answers after serve stopped")
	}
}

// serveInProcess runs `ally serve` on a free port with args until stop, which
// checks that it exits cleanly; it returns the addresses it printed, "app"
// and, with --debug-addr, "debug".
func serveInProcess(t *testing.T, args ...string) (addrs map[string]string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	addrOf := regexp.MustCompile(`http://([0-9.:]+)`)
	addrs = map[string]string{}
	sc := bufio.NewScanner(pr)
	for addrs["app"] == "" && sc.Scan() {
		if m := addrOf.FindStringSubmatch(sc.Text()); m != nil {
			if strings.Contains(sc.Text(), "no sign-in") {
				addrs["debug"] = m[1]
			} else {
				addrs["app"] = m[1]
			}
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return addrs, func() {
		t.Helper()
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited with %d", code)
		}
	}
}

// migratedWithUser makes a migrated SQLite database with one user of role
// and returns its path.
func migratedWithUser(t *testing.T, email, role string) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "cli.db")
	if code, _, errs := runCmd(t, "", "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate: %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, "", "user", "add", "--db", db, "--email", email, "--name", "Sam",
		"--role", role); code != 0 {
		t.Fatalf("user add: %d %s", code, errs)
	}
	return db
}

// TestServeReloadsToneExamples: examples taught with `ally tone learn`
// while the server runs reach its tone check without a restart (the
// server looks for changed examples on its --tone-refresh timer).
func TestServeReloadsToneExamples(t *testing.T) {
	t.Setenv("ALLY_DB", "")
	db := migratedWithUser(t, "lee@example.com", "responder")
	code, token, _ := runCmd(t, "", "token", "create", "--db", db, "--email", "lee@example.com")
	if code != 0 {
		t.Fatalf("token create: %d", code)
	}
	addrs, stop := serveInProcess(t, "--db", db, "--tone-refresh", "50ms")
	defer stop()
	idiom := "Full pineapple on the invoice today."
	blames := func() bool {
		body, _ := json.Marshal(map[string]string{"text": idiom})
		req, _ := http.NewRequest("POST", "http://"+addrs["app"]+"/api/v1/tone/check", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(token))
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out struct{ Blame bool }
		if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&out) != nil {
			t.Fatalf("tone check: %d", res.StatusCode)
		}
		return out.Blame
	}
	if blames() {
		t.Fatalf("before any example, %q should go through", idiom)
	}
	examples := writeFile(t, "org.jsonl", `{"text":"Dana went full pineapple on that invoice.","blame":true}`+"\n")
	if code, out, errOut := runCmd(t, "", "tone", "learn", examples, "--db", db); code != 0 {
		t.Fatalf("learn: %d %s %s", code, out, errOut)
	}
	for deadline := time.Now().Add(10 * time.Second); !blames(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the running server never used the example taught with ally tone learn")
		}
	}
}

func TestServeToneRefreshRefusesBadDurations(t *testing.T) {
	for _, bad := range []string{"soon", "0s", "-1m"} {
		code, _, errs := runCmd(t, "", "serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--addr", "127.0.0.1:0",
			"--tone-refresh", bad)
		if code != 2 || !strings.Contains(errs, "--tone-refresh") {
			t.Errorf("--tone-refresh %s: %d %s", bad, code, errs)
		}
	}
}

// TestServeRefusesBadPublicURLAndDrainDelay: a --public-url that is not an
// absolute web address (it starts every link in mail and the sign-on
// redirect) and a negative --drain-delay are bad usage; both were taken
// and the server started. A good one still starts (and stops with ctx).
func TestServeRefusesBadPublicURLAndDrainDelay(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	for _, tc := range []struct{ flag, value, want string }{
		{"--public-url", "ally.example.org", `--public-url: "ally.example.org" is not a web address`},
		{"--public-url", "ftp://ally.example.org", "is not a web address"},
		{"--public-url", "https://ops:hunter2@ally.example.org", "https://ops:xxxxx@ally.example.org"},
		{"--public-url", "https://ally.example.org/?x=1", "is not a web address"},
		{"--drain-delay", "-5s", "--drain-delay: -5s is below zero"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		var out, errb bytes.Buffer
		code := run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0", tc.flag, tc.value},
			strings.NewReader(""), &out, &errb)
		cancel()
		if code != 2 || !strings.Contains(errb.String(), tc.want) || strings.Contains(errb.String(), "hunter2") {
			t.Errorf("%s %s: exit %d, %q", tc.flag, tc.value, code, errb.String())
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a refused serve created the database")
	}
	if err := (&mailFlags{publicURL: "https://ally.example.org/desk/"}).checkPublicURL(); err != nil {
		t.Errorf("a good --public-url: %v", err)
	}
}

// TestServeDigestEveryRefusesBadValues: --digest-every (or
// ALLY_DIGEST_EVERY) outside a minute to a week, or not a duration, is
// refused before anything starts, saying what to give; so is a duration
// variable of the environment that is not one, which used to fall back to
// its default without a word.
func TestServeDigestEveryRefusesBadValues(t *testing.T) {
	serve := func(args ...string) (int, string) {
		code, _, errs := runCmd(t, "", append([]string{"serve", "--db", filepath.Join(t.TempDir(), "x.db"),
			"--addr", "127.0.0.1:0"}, args...)...)
		return code, errs
	}
	for bad, want := range map[string]string{"soon": "--digest-every", "0s": "from 1m to 168h",
		"30s": "from 1m to 168h", "90s": "whole number of minutes", "200h": "such as 30m, 4h or 24h"} {
		if code, errs := serve("--digest-every", bad); code != 2 || !strings.Contains(errs, want) {
			t.Errorf("--digest-every %s: %d %s", bad, code, errs)
		}
	}
	t.Setenv("ALLY_DIGEST_EVERY", "hourly")
	if code, errs := serve(); code != 2 || !strings.Contains(errs, `ALLY_DIGEST_EVERY: "hourly" is not a duration`) {
		t.Errorf("ALLY_DIGEST_EVERY=hourly: %d %s", code, errs)
	}
	t.Setenv("ALLY_DIGEST_EVERY", "10s")
	if code, errs := serve(); code != 2 || !strings.Contains(errs, "--digest-every: 10s is not") {
		t.Errorf("ALLY_DIGEST_EVERY=10s: %d %s", code, errs)
	}
	t.Setenv("ALLY_DIGEST_EVERY", "")
	t.Setenv("ALLY_TONE_REFRESH", "often")
	if code, errs := serve(); code != 2 || !strings.Contains(errs, `ALLY_TONE_REFRESH: "often"`) {
		t.Errorf("ALLY_TONE_REFRESH=often: %d %s", code, errs)
	}
}

func TestServeDebugAddrRefused(t *testing.T) {
	code, _, errs := runCmd(t, "", "serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--addr", "127.0.0.1:0",
		"--debug-addr", "nowhere:-1")
	if code != 2 || !strings.Contains(errs, "--debug-addr") {
		t.Fatalf("bad --debug-addr: %d %s", code, errs)
	}
}

func TestServeTrustedProxiesRefusesBadNetworks(t *testing.T) {
	code, _, errs := runCmd(t, "", "serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--addr", "127.0.0.1:0",
		"--trusted-proxies", "10.0.0.0/8,proxy.example")
	if code != 2 || !strings.Contains(errs, `--trusted-proxies: "proxy.example" is not a network`) {
		t.Fatalf("bad --trusted-proxies: %d %s", code, errs)
	}
}

// TestServeRefusesBlamingPlaybooks: `ally serve --playbooks DIR` checks the
// folder's words to reporters with the tone engine before it serves them; a
// blaming playbook message is refused with the place and a way to fix it.
func TestServeRefusesBlamingPlaybooks(t *testing.T) {
	t.Setenv("ALLY_DB", "")
	dir := filepath.Join(t.TempDir(), "playbooks")
	if code, _, errOut := runCmd(t, "", "playbook", "init", dir); code != 0 {
		t.Fatalf("init: %d %s", code, errOut)
	}
	db := filepath.Join(t.TempDir(), "serve.db")
	_, stop := serveInProcess(t, "--db", db, "--playbooks", dir)
	stop()
	file := filepath.Join(dir, "clicked_link.yaml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	blaming := strings.Replace(string(b), "Thank you for telling us so fast.", "Why did you click it?", 1)
	if blaming == string(b) {
		t.Fatal("the playbook's message has changed; update the test")
	}
	if err := os.WriteFile(file, []byte(blaming), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCmd(t, "", "serve", "--db", db, "--addr", "127.0.0.1:0", "--playbooks", dir)
	if code != 2 || !strings.Contains(errs, "clicked_link.yaml") || !strings.Contains(errs, "ally playbook lint") {
		t.Fatalf("serve with a blaming playbook: exit %d\n%s", code, errs)
	}
}

// Issue 19 (attack sweep): two instances started together on an empty
// PostgreSQL database both come up: one migrates it and creates the first
// admin, the other waits for it and carries on.
func TestServeTogetherOnEmptyPostgres(t *testing.T) {
	if os.Getenv("ALLY_TEST_POSTGRES") == "" {
		t.Skip("needs ALLY_TEST_POSTGRES")
	}
	dsn := storetest.DSN(t, "postgres")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		code int
		out  string
	}
	const n = 3
	started, done := make(chan string, n), make(chan result, n)
	for range n {
		go func() {
			pr, pw := io.Pipe()
			var out strings.Builder
			go func() {
				sc := bufio.NewScanner(pr)
				for sc.Scan() {
					out.WriteString(sc.Text() + "\n")
					if strings.HasPrefix(sc.Text(), "Ally is running") {
						started <- sc.Text()
					}
				}
			}()
			code := run(ctx, []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0"}, strings.NewReader(""), pw,
				io.Discard)
			pw.Close()
			done <- result{code, out.String()}
		}()
	}
	for i := 0; i < n; i++ {
		select {
		case <-started:
		case r := <-done:
			t.Fatalf("an instance stopped with %d:\n%s", r.code, r.out)
		case <-time.After(time.Minute):
			t.Fatal("the instances did not all start within a minute")
		}
	}
	cancel()
	admins := 0
	for range n {
		r := <-done
		if r.code != 0 {
			t.Errorf("an instance exited with %d:\n%s", r.code, r.out)
		}
		admins += strings.Count(r.out, "Created the first admin account")
	}
	if admins != 1 {
		t.Errorf("%d instances created a first admin; want exactly 1", admins)
	}
}

// Issue 19: told to stop, serve answers /readyz 503 first while it still
// serves, finishes the request in flight, then exits cleanly.
func TestServeStopsGracefully(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", filepath.Join(t.TempDir(), "serve.db"), "--addr", "127.0.0.1:0",
			"--drain-delay", "1500ms"}, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	addrOf := regexp.MustCompile(`Ally is running at http://([0-9.:]+)`)
	var app string
	sc := bufio.NewScanner(pr)
	for app == "" && sc.Scan() {
		if m := addrOf.FindStringSubmatch(sc.Text()); m != nil {
			app = "http://" + m[1]
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if app == "" {
		t.Fatal("serve did not start")
	}
	// A request whose body is still coming when the stop arrives.
	body, bodyW := io.Pipe()
	req, _ := http.NewRequest("POST", app+"/login", body)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	answered := make(chan int, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- 0
			return
		}
		res.Body.Close()
		answered <- res.StatusCode
	}()
	_, _ = bodyW.Write([]byte("email=someone%40example.org&"))
	time.Sleep(200 * time.Millisecond)
	cancel()
	time.Sleep(200 * time.Millisecond)
	res, err := http.Get(app + "/readyz")
	if err != nil {
		t.Fatalf("while draining, /readyz was not answered: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("while draining, /readyz answered %d; want 503", res.StatusCode)
	}
	time.Sleep(1500 * time.Millisecond) // past the drain delay: no new connections now
	_, _ = bodyW.Write([]byte("password=not-the-password"))
	bodyW.Close()
	if st := <-answered; st == 0 {
		t.Error("the request in flight was cut off")
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited with %d", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not exit")
	}
	if _, err := http.Get(app + "/healthz"); err == nil {
		t.Error("serve still answers after it stopped")
	}
}
