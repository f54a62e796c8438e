package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

// BenchmarkSignalsHTTP sends signals over real HTTP as one integration from
// 32 clients, each with its own dedup key (every one goes through the dedup
// claim), about 20 people with accounts, mail on (each asks by email in the
// same transaction). Every 201 is durable.
//
//	go test ./web -run '^$' -bench SignalsHTTP -benchtime 20000x
func BenchmarkSignalsHTTP(b *testing.B) {
	w := newSignalWorld(b)
	for i := range 20 {
		w.addUser(b, fmt.Sprintf("p%d@example.org", i), fmt.Sprintf("Person %d", i), ally.RoleReporter, "Sales")
	}
	var next atomic.Int64
	var failed atomic.Int64
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	cpu0 := cpuSeconds()
	b.ResetTimer()
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				body, _ := json.Marshal(map[string]any{"source": "okta", "type": "new_place_sign_in",
					"subject_email": fmt.Sprintf("p%d@example.org", i%20), "summary": "a sign-in from Lisbon",
					"dedup_key": fmt.Sprintf("evt-%d", i)})
				req, _ := http.NewRequest(http.MethodPost, w.URL+"/api/v1/signals", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+w.tokens["siem"])
				res, err := client.Do(req)
				if err != nil || res.StatusCode != http.StatusCreated {
					failed.Add(1)
				}
				if err == nil {
					res.Body.Close()
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	cpu := cpuSeconds() - cpu0
	if failed.Load() > 0 {
		b.Fatalf("%d signals were not accepted", failed.Load())
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signals/s")
	// Per CPU-second of this process: the machine is shared, so wall-clock
	// rates say as much about the neighbours as about Ally.
	b.ReportMetric(float64(b.N)/cpu, "signals/cpu-s")
}

// cpuSeconds is the user and system CPU time this process has used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
