package web

import (
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

// Issue 20 F7: a script filing cases in a loop is refused after the burst,
// with a Retry-After and a plain message.
func TestCaseRateLimitStopsALoop(t *testing.T) {
	w := newAPIWorld(t)
	for i := range ally.CaseRate.Burst + 5 {
		st, body := w.call(t, "reporterA", "POST", "/api/v1/cases", map[string]any{"kind": "lost_device"})
		if st == http.StatusTooManyRequests {
			if i < ally.CaseRate.Burst {
				t.Fatalf("case %d refused; want %d allowed at once", i, ally.CaseRate.Burst)
			}
			if e, _ := body["error"].(map[string]any); e["code"] != ally.ERATELIMITED || e["message"] == "" {
				t.Fatalf("refusal body: %v", body)
			}
			// Another user is not held back by reporterA's loop.
			if st, b := w.call(t, "reporterB", "POST", "/api/v1/cases", map[string]any{"kind": "lost_device"}); st != 201 {
				t.Fatalf("reporterB after reporterA's loop: %d %v", st, b)
			}
			return
		}
		if st != 201 {
			t.Fatalf("case %d: %d %v", i, st, body)
		}
	}
	t.Fatalf("%d cases in a row by one reporter were all accepted", ally.CaseRate.Burst+5)
}

// A person filing a case a minute and writing a message every ten seconds
// for an hour is never refused.
func TestCaseRateLimitSparesPeople(t *testing.T) {
	w := newAPIWorld(t)
	clock := w.clock
	ref := w.newCase(t, false)
	for minute := range 60 {
		if st, b := w.call(t, "reporterA", "POST", "/api/v1/cases", map[string]any{"kind": "lost_device"}); st != 201 {
			t.Fatalf("case at minute %d: %d %v", minute, st, b)
		}
		for s := range 6 {
			st, b := w.call(t, "reporterA", "POST", "/api/v1/cases/"+ref+"/messages",
				map[string]any{"body": "One more detail: it happened again."})
			if st != 201 {
				t.Fatalf("message at minute %d, second %d: %d %v", minute, s*10, st, b)
			}
			clock.set(clock.Now().Add(10 * time.Second))
		}
	}
}

// The Retry-After of a refusal is when the next case is accepted.
func TestCaseRateLimitRetryAfter(t *testing.T) {
	w := newAPIWorld(t)
	clock := w.clock
	for range ally.CaseRate.Burst {
		if st, b := w.call(t, "reporterA", "POST", "/api/v1/cases", map[string]any{"kind": "lost_device"}); st != 201 {
			t.Fatalf("create: %d %v", st, b)
		}
	}
	req, _ := http.NewRequest("POST", w.URL+"/api/v1/cases", nil)
	req.Header.Set("Authorization", "Bearer "+w.tokens["reporterA"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	secs, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if res.StatusCode != http.StatusTooManyRequests || err != nil || secs < 1 {
		t.Fatalf("status %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	clock.set(clock.Now().Add(time.Duration(secs) * time.Second))
	if st, b := w.call(t, "reporterA", "POST", "/api/v1/cases", map[string]any{"kind": "lost_device"}); st != 201 {
		t.Fatalf("create after Retry-After: %d %v", st, b)
	}
}

// slowUpload starts an upload as role whose body stays open until the
// returned writer is closed; the response arrives on the channel.
func (w *apiWorld) slowUpload(t *testing.T, role, ref string) (*io.PipeWriter, <-chan *http.Response) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	req, _ := http.NewRequest("POST", w.URL+"/api/v1/cases/"+ref+"/attachments", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+w.tokens[role])
	done := make(chan *http.Response, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- nil
			return
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		done <- res
	}()
	go func() {
		fw, _ := mw.CreateFormFile("file", "note.txt")
		fw.Write([]byte("the first part of a slow file"))
	}()
	return pw, done
}

// Issue 20 F7: one user may have only ally.AnalysesPerUser uploads in
// progress; the next is refused at once, and other users are not.
func TestConcurrentUploadsPerUserBounded(t *testing.T) {
	w := newAPIWorld(t)
	ref := w.newCase(t, false)
	var open []*io.PipeWriter
	var results []<-chan *http.Response
	for range ally.AnalysesPerUser {
		pw, done := w.slowUpload(t, "reporterA", ref)
		open, results = append(open, pw), append(results, done)
	}
	defer func() {
		for _, pw := range open {
			pw.CloseWithError(io.ErrUnexpectedEOF)
		}
	}()
	id := ally.UserFromContext(asUser(t, w.testServer, "reporterA@example.org")).ID
	for deadline := time.Now().Add(10 * time.Second); w.Srv.analyses.count(id) < ally.AnalysesPerUser; time.Sleep(
		5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the slow uploads never took an analysis slot")
		}
	}
	st, body := w.upload(t, "reporterA", ref, "more.txt", []byte("another file"))
	if e, _ := body["error"].(map[string]any); st != http.StatusTooManyRequests || e["code"] != ally.ERATELIMITED {
		t.Fatalf("upload beyond %d at once: %d %v; want 429", ally.AnalysesPerUser, st, body)
	}
	if st, body := w.call(t, "lead", "POST", "/api/v1/tone/check", map[string]any{"text": "Thanks."}); st != 200 {
		t.Fatalf("another user's tone check while reporterA uploads: %d %v", st, body)
	}
	for i, pw := range open {
		pw.CloseWithError(io.ErrUnexpectedEOF)
		<-results[i]
	}
	open = nil
	// The client hears its upload failed before the server has finished
	// reading the broken body; the slots are free once the server has.
	for deadline := time.Now().Add(10 * time.Second); w.Srv.analyses.count(id) > 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the broken uploads still hold %d analysis slots", w.Srv.analyses.count(id))
		}
	}
	if st, body := w.upload(t, "reporterA", ref, "after.txt", []byte("once the others ended")); st != 201 {
		t.Fatalf("upload after the others ended: %d %v", st, body)
	}
}

// count is how many analyses user has running.
func (s *slots) count(user int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running[user]
}

// The report form is limited like the API, and says in plain words how long
// to wait.
func TestReportFormRateLimited(t *testing.T) {
	ts := newTestServer(t)
	pw := ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	pc := newPageClient(t, ts)
	pc.signIn("rita@example.com", pw)
	pc.get("/report")
	for i := range ally.CaseRate.Burst + 5 {
		code, body, _ := pc.post("/report", url.Values{"kind": {"other"}, "step": {"questions"}, "details": {"Odd pop-up"}})
		if code == http.StatusTooManyRequests {
			if i < ally.CaseRate.Burst || !strings.Contains(body, "Please wait a few seconds") {
				t.Fatalf("report %d refused (%d allowed at once): %s", i, ally.CaseRate.Burst, body)
			}
			return
		}
		if code != http.StatusSeeOther {
			t.Fatalf("report %d: %d %s", i, code, body)
		}
	}
	t.Fatalf("%d reports in a row from the form were all accepted", ally.CaseRate.Burst+5)
}

// Slots bound analyses per user and in all, and come back when released.
func TestSlotsBoundUserAndProcess(t *testing.T) {
	s := newSlots(2, 3)
	for i := range 2 {
		if !s.acquire(1) {
			t.Fatalf("user 1 refused slot %d, within its bound", i+1)
		}
	}
	if s.acquire(1) {
		t.Fatal("user 1 got a third slot")
	}
	if !s.acquire(2) {
		t.Fatal("user 2 refused while the process had room")
	}
	if s.acquire(3) {
		t.Fatal("user 3 got a slot beyond the process bound")
	}
	s.release(1)
	if !s.acquire(3) {
		t.Fatal("user 3 refused after a slot was released")
	}
	s.release(1)
	s.release(2)
	s.release(3)
	if len(s.running) != 0 || len(s.global) != 0 {
		t.Fatalf("after every release: %v running, %d global", s.running, len(s.global))
	}
}
