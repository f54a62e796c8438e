package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestDebugHandler: the debug listener serves metrics and profiles without
// sign-in, while the app's own port refuses /metrics to anonymous callers.
func TestDebugHandler(t *testing.T) {
	ts := newTestServer(t)
	debug := httptest.NewServer(ts.Srv.DebugHandler())
	t.Cleanup(debug.Close)
	for path, want := range map[string]string{"/metrics": "go_goroutines", "/debug/pprof/": "goroutine",
		"/debug/pprof/goroutine?debug=1": "goroutine profile"} {
		res, err := http.Get(debug.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(raw), want) {
			t.Errorf("debug %s: %d, lacks %q", path, res.StatusCode, want)
		}
	}
	res, err := http.Get(ts.URL + "/debug/pprof/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode == 200 {
		t.Error("the app's port serves pprof")
	}
	res, err = http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the app's /metrics without a token: %d", res.StatusCode)
	}
}
