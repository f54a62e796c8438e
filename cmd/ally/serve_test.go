package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestServeDebugAddr runs `ally serve --debug-addr`: the debug listener
// serves /metrics without sign-in, the app's port refuses it, and both
// stop when the command is told to.
func TestServeDebugAddr(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", filepath.Join(t.TempDir(), "serve.db"), "--addr", "127.0.0.1:0",
			"--debug-addr", "127.0.0.1:0"}, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	addrOf := regexp.MustCompile(`http://([0-9.:]+)`)
	var debug, app string
	sc := bufio.NewScanner(pr)
	for app == "" && sc.Scan() {
		if m := addrOf.FindStringSubmatch(sc.Text()); m != nil {
			if strings.Contains(sc.Text(), "no sign-in") {
				debug = m[1]
			} else {
				app = m[1]
			}
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
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
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited with %d", code)
	}
	if _, err := http.Get("http://" + debug + "/metrics"); err == nil {
		t.Error("the debug listener still answers after serve stopped")
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
