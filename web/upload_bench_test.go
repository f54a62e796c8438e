package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

// BenchmarkUploadFlood is issue 20 F7's flood: one reporter sends 8
// concurrent 24 MiB malformed emails to their own case. It reports the
// process's peak resident memory and how many were analysed or refused.
//
//	go test ./web -run '^$' -bench UploadFlood -benchtime 3x
func BenchmarkUploadFlood(b *testing.B) {
	w := &apiWorld{testServer: newTestServer(b), tokens: map[string]string{}, clock: &testClock{now: time.Now()}}
	w.Srv.Now = w.clock.Now
	w.tokens["reporterA"] = w.token(b, "reporterA@example.org", ally.RoleReporter)
	c, err := w.DB.CreateCase(asUser(b, w.testServer, "reporterA@example.org"), &ally.NewCase{Kind: ally.KindOther})
	if err != nil {
		b.Fatal(err)
	}
	ref := c.Ref
	line := append([]byte("X-Junk: "), bytes.Repeat([]byte("a"), 990)...)
	mail := bytes.Repeat(append(line, '\r', '\n'), 24<<20/len(line))
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "flood.eml")
	fw.Write(mail)
	mw.Close()
	var mu sync.Mutex
	codes := map[int]int{}
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // reset the peak (Linux)
	for range b.N {
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				req, _ := http.NewRequest(http.MethodPost, w.URL+"/api/v1/cases/"+ref+"/attachments",
					bytes.NewReader(body.Bytes()))
				req.Header.Set("Content-Type", mw.FormDataContentType())
				req.Header.Set("Authorization", "Bearer "+w.tokens["reporterA"])
				if res, err := http.DefaultClient.Do(req); err == nil {
					res.Body.Close()
					mu.Lock()
					codes[res.StatusCode]++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		w.clock.set(w.clock.Now().Add(time.Minute)) // the rate is not what this measures
	}
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-rss-MiB")
	b.Logf("answers: %v", codes)
}
