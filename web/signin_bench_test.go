package web

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

// BenchmarkSignInFlood is issue 20 F1's flood: 128 concurrent sign-in
// attempts (wrong passwords, a fresh client address each, through a trusted
// proxy) while one signed-in client reads its case list. It reports the
// process's peak resident memory during the flood and the reads' p95.
//
//	go test ./web -run '^$' -bench SignInFlood -benchtime 3x
func BenchmarkSignInFlood(b *testing.B) {
	ts := newTestServer(b)
	ts.Srv.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
	tok := ts.token(b, "lead@example.org", ally.RoleLead)
	ts.addUser(b, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	var reads []time.Duration
	var mu sync.Mutex
	codes := map[int]int{}
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // reset the peak (Linux)
	for n := range b.N {
		var wg sync.WaitGroup
		for i := range 128 {
			wg.Go(func() {
				form := url.Values{"email": {fmt.Sprintf("user%d-%d@example.com", n, i)}, "password": {"wrong password here"}}
				req, _ := http.NewRequest(http.MethodPost, ts.URL+"/login", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Origin", ts.URL)
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.1", n%250, i))
				if res, err := client.Do(req); err == nil {
					res.Body.Close()
					mu.Lock()
					codes[res.StatusCode]++
					mu.Unlock()
				}
			})
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		for waiting := true; waiting; {
			req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/v1/cases?limit=20", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			start := time.Now()
			if res, err := client.Do(req); err == nil {
				res.Body.Close()
			}
			reads = append(reads, time.Since(start))
			select {
			case <-done:
				waiting = false
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	slices.Sort(reads)
	b.ReportMetric(float64(reads[len(reads)*95/100].Microseconds())/1000, "read-p95-ms")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-rss-MiB")
	b.Logf("answers: %v", codes)
}

// peakRSS reads the process's resident high-water mark (Linux), in bytes.
func peakRSS() int64 {
	raw, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
