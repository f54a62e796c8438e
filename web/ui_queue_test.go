package web

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// queueWorld is a server with a reporter's cases and a responder signed in
// to the queue.
func queueWorld(t *testing.T, n int) (*testServer, *pageClient, []string) {
	t.Helper()
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	rita := asUser(t, ts, "rita@example.com")
	var refs []string
	for i := range n {
		c, err := ts.DB.CreateCase(rita, &ally.NewCase{Kind: ally.KindSuspiciousEmail,
			Summary: "Parcel note " + string(rune('A'+i)), Details: "Courier asked for a customs fee."})
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, c.Ref)
	}
	pc := newPageClient(t, ts)
	pc.signIn("sam@example.com", ts.addUser(t, "sam@example.com", "Sam Okafor", ally.RoleResponder, "Security"))
	return ts, pc, refs
}

// TestQueueWithoutJavaScript: everything the queue does works as plain
// HTML forms and links: search, sort by a column, saved views, one-click
// acknowledge and assign, and assigning ten cases at once.
func TestQueueWithoutJavaScript(t *testing.T) {
	ts, pc, refs := queueWorld(t, 12)
	rita := asUser(t, ts, "rita@example.com")
	odd, err := ts.DB.CreateCase(rita, &ally.NewCase{Kind: ally.KindLostDevice, Summary: "Phone gone",
		Details: "I left it in a taxi near the harbour."})
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := pc.get("/queue?q=harbour")
	if n := strings.Count(body, `class="qlink"`); n != 1 || !strings.Contains(body, odd.Ref) {
		t.Errorf("search for a word of the report shows %d cases", n)
	}
	if _, body, _ = pc.get("/queue?q=nothingmatches"); !strings.Contains(body, "No case matches") {
		t.Error("an empty search does not say so")
	}
	_, body, _ = pc.get("/queue")
	for _, want := range []string{`href="/queue?sort=due"`, `href="/queue?sort=-severity"`, `aria-sort="ascending"`,
		"My open cases", "Unassigned critical", "Reporter wrote", `name="q"`, "Keyboard shortcuts"} {
		if !strings.Contains(body, want) {
			t.Errorf("the queue has no %s", want)
		}
	}
	_, body, _ = pc.get("/queue?sort=-created")
	if i, j := strings.Index(body, odd.Ref), strings.Index(body, refs[0]); i < 0 || j < 0 || i > j {
		t.Error("newest first does not put the newest case first")
	}
	if !strings.Contains(body, `aria-sort="descending"`) || !strings.Contains(body, `href="/queue?sort=created"`) {
		t.Error("the sorted column neither says so nor offers the reverse")
	}
	// One click: acknowledge, then assign to me; back to the same view.
	code, _, loc := pc.post("/queue/bulk", url.Values{"act": {"ack:" + refs[0]}, "back": {"/queue?sort=due"}})
	if code != http.StatusSeeOther || loc != "/queue?sort=due&done=bulk" {
		t.Fatalf("acknowledge: %d to %q", code, loc)
	}
	pc.post("/queue/bulk", url.Values{"act": {"mine:" + refs[0]}, "back": {"https://evil.example/queue"}})
	sam := asUser(t, ts, "sam@example.com")
	c, _ := ts.DB.FindCase(sam, refs[0])
	if c.Status != ally.StatusAcknowledged || c.Assignee == nil || c.Assignee.Email != "sam@example.com" {
		t.Errorf("after the row buttons: %s %v", c.Status, c.Assignee)
	}
	// Ten at once.
	form := url.Values{"assignee": {"me"}, "severity": {"high"}, "back": {"/queue"}}
	for _, ref := range refs[2:12] {
		form.Add("ref", ref)
	}
	if code, _, loc := pc.post("/queue/bulk", form); code != http.StatusSeeOther || loc != "/queue?done=bulk" {
		t.Fatalf("bulk: %d %q", code, loc)
	}
	mine, _ := ts.DB.FindCases(sam, ally.CaseFilter{Assignee: "me", Severity: ally.SeverityHigh})
	if len(mine.Items) != 10 {
		t.Errorf("%d cases assigned in bulk, want 10", len(mine.Items))
	}
	_, body, _ = pc.get("/queue?assignee=me")
	if n := strings.Count(body, `class="qlink"`); n != 11 {
		t.Errorf("My open cases shows %d, want 11", n)
	}
	// Nothing ticked, nothing chosen, a case that cannot change: said, the rest kept.
	// Only cases that could not change are listed under "Some cases were not changed:".
	for _, tc := range []struct {
		form     url.Values
		say      string
		someCase bool
	}{
		{url.Values{"assignee": {"me"}}, "Tick at least one case, then choose what to change.", false},
		{url.Values{"ref": {refs[1]}}, "Choose a status, a severity or an assignee to change.", false},
		{url.Values{"ref": {refs[1], "AL-99999"}, "status": {"investigating"}}, "AL-99999: ", true},
	} {
		code, body, _ := pc.post("/queue/bulk", tc.form)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "bulk-problems") || !strings.Contains(body, tc.say) {
			t.Errorf("%v: %d, want %q", tc.form, code, tc.say)
		}
		if some := strings.Contains(body, "Some cases were not changed:"); some != tc.someCase {
			t.Errorf("%v: says \"Some cases were not changed:\" %v, want %v", tc.form, some, tc.someCase)
		}
	}
	if c, _ := ts.DB.FindCase(sam, refs[1]); c.Status != ally.StatusInvestigating {
		t.Errorf("the good case of a partly refused bulk change was not changed: %s", c.Status)
	}
}

// TestQueueLinkDuplicatesWithoutJavaScript: the queue's form marks the
// ticked cases duplicates of one, as plain HTML: by default the oldest
// ticked case is kept; a case to keep typed and Enter (the first button)
// does the same; a wrong reference or a mixed request comes back with what
// was typed and ticked, and changes nothing; a case that cannot join is
// listed, still ticked.
func TestQueueLinkDuplicatesWithoutJavaScript(t *testing.T) {
	ts, pc, refs := queueWorld(t, 6)
	sam := asUser(t, ts, "sam@example.com")
	_, body, _ := pc.get("/queue")
	for _, want := range []string{`name="duplicate_of"`, `name="link" value="duplicate"`, "Mark as duplicates",
		"Leave it empty to keep the oldest ticked case"} {
		if !strings.Contains(body, want) {
			t.Errorf("the queue has no %s", want)
		}
	}
	ticked := func(body, ref string) bool {
		return strings.Contains(body, `id="t-`+ref+`" aria-label="Tick `+ref+`" checked>`)
	}
	for name, f := range map[string]url.Values{
		"unknown case to keep": {"ref": {refs[1], refs[2]}, "duplicate_of": {"AL-99999"}, "link": {"duplicate"}},
		"change and link":      {"ref": {refs[1], refs[2]}, "severity": {"high"}, "link": {"duplicate"}},
	} {
		code, body, _ := pc.post("/queue/bulk", f)
		if code != http.StatusUnprocessableEntity || !ticked(body, refs[1]) || !ticked(body, refs[2]) ||
			ticked(body, refs[0]) {
			t.Errorf("%s: %d, or the ticks were not kept", name, code)
		}
		if name == "unknown case to keep" && (!strings.Contains(body, `value="AL-99999"`) ||
			!strings.Contains(body, `id="b-duplicate-error" role="alert">No case AL-99999 was found`)) {
			t.Errorf("%s: the reference typed or the problem by the field is missing", name)
		}
		if name == "change and link" && !strings.Contains(body, `<option value="high" selected>`) {
			t.Errorf("%s: the severity chosen was not kept", name)
		}
	}
	if links, _ := ts.DB.Links(sam, refs[1]); len(links) != 0 {
		t.Fatalf("a refused form linked cases: %+v", links)
	}
	// Nothing typed: the oldest ticked case is kept, wherever it is ticked.
	code, _, loc := pc.post("/queue/bulk", url.Values{"ref": {refs[2], refs[0], refs[1]}, "link": {"duplicate"},
		"duplicate_of": {""}, "back": {"/queue?sort=due"}})
	if code != http.StatusSeeOther || loc != "/queue?sort=due&done=duplicates" {
		t.Fatalf("mark as duplicates: %d to %q", code, loc)
	}
	if links, _ := ts.DB.Links(sam, refs[0]); len(links) != 2 || links[0].Role != ally.RoleDuplicate {
		t.Errorf("the oldest ticked case's links: %+v", links)
	}
	if _, body, _ = pc.get(loc); !strings.Contains(body, "Each reporter was told") {
		t.Error("no word that it was done")
	}
	// A case to keep typed, then Enter: the first button, no change chosen.
	if code, _, loc := pc.post("/queue/bulk", url.Values{"ref": {refs[4], refs[3]}, "bulk": {"1"},
		"duplicate_of": {strings.ToLower(refs[3])}}); code != http.StatusSeeOther || !strings.Contains(loc, "duplicates") {
		t.Fatalf("Enter in Case to keep: %d to %q", code, loc)
	}
	if links, _ := ts.DB.Links(sam, refs[4]); len(links) != 1 || links[0].Ref != refs[3] {
		t.Errorf("the typed case to keep: %+v", links)
	}
	// A case already a duplicate is listed and stays ticked; the other joins.
	code, body, _ = pc.post("/queue/bulk", url.Values{"ref": {refs[1], refs[5]}, "duplicate_of": {refs[0]},
		"link": {"duplicate"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, refs[1]+": "+refs[1]+" and "+refs[0]+
		" are already linked.") || !ticked(body, refs[1]) || ticked(body, refs[5]) {
		t.Errorf("partly refused: %d", code)
	}
	if links, _ := ts.DB.Links(sam, refs[5]); len(links) != 1 || links[0].Ref != refs[0] {
		t.Errorf("the case that could join did not: %+v", links)
	}
}

// TestQueueUnreadMarkers: the reporter's message shows "Reporter wrote" in
// the queue and on the case until the responder opens it; the responder's
// reply shows "New reply" in My reports.
func TestQueueUnreadMarkers(t *testing.T) {
	ts, pc, refs := queueWorld(t, 2)
	rita := newPageClient(t, ts)
	rita.signIn("rita@example.com", testPassword)
	rita.get("/cases/" + refs[0])
	if code, _, _ := rita.post("/cases/"+refs[0]+"/messages", url.Values{"body": {"One more thing: it came twice."}}); code != http.StatusSeeOther {
		t.Fatalf("reporter message: %d", code)
	}
	_, body, _ := pc.get("/queue?unread=true")
	if strings.Count(body, `class="qlink"`) != 1 || !strings.Contains(body, "Reporter wrote") {
		t.Error("the Reporter wrote view does not show the case")
	}
	if _, body, _ = pc.get("/cases/" + refs[0]); !strings.Contains(body, "Reporter wrote") {
		t.Error("the case does not say the reporter wrote")
	}
	if _, body, _ = pc.get("/queue"); strings.Contains(body, `tag unread`) {
		t.Error("still unread after opening the case")
	}
	pc.post("/cases/"+refs[0]+"/messages", url.Values{"body": {"Thank you, that helps us."}})
	if _, body, _ = rita.get("/"); !strings.Contains(body, "New reply") {
		t.Error("My reports does not show the new reply")
	}
}

// TestLiveEventsStream: the event stream is SSE that a plain proxy passes
// on (no buffering, heartbeats), and a new case reaches the responder, not
// another reporter.
func TestLiveEventsStream(t *testing.T) {
	ts, pc, _ := queueWorld(t, 0)
	ts.Srv.heartbeat = 100 * time.Millisecond
	open := func(c *pageClient) (*bufio.Reader, *http.Response) {
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/events", nil)
		res, err := c.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return bufio.NewReader(res.Body), res
	}
	resp, res := open(pc)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" ||
		res.Header.Get("X-Accel-Buffering") != "no" {
		t.Fatalf("%d %v", res.StatusCode, res.Header)
	}
	ts.addUser(t, "otto@example.com", "Otto Other", ally.RoleReporter, "Sales")
	otto := newPageClient(t, ts)
	otto.signIn("otto@example.com", testPassword)
	other, _ := open(otto)
	readUntil := func(r *bufio.Reader, want string) string {
		t.Helper()
		got := make(chan string, 1)
		go func() {
			var seen strings.Builder
			for {
				line, err := r.ReadString('\n')
				seen.WriteString(line)
				if err != nil || strings.Contains(line, want) {
					got <- seen.String()
					return
				}
			}
		}()
		select {
		case s := <-got:
			return s
		case <-time.After(5 * time.Second):
			t.Fatalf("no %q", want)
			return ""
		}
	}
	readUntil(resp, ": heartbeat")
	c, err := ts.DB.CreateCase(asUser(t, ts, "rita@example.com"), &ally.NewCase{Kind: ally.KindOther})
	if err != nil {
		t.Fatal(err)
	}
	if s := readUntil(resp, "data:"); !strings.Contains(s, `event: case`) ||
		!strings.Contains(s, `{"ref":"`+c.Ref+`","change":"created"}`) {
		t.Errorf("responder stream: %q", s)
	}
	if s := readUntil(other, ": heartbeat"); strings.Contains(s, c.Ref) {
		t.Errorf("another reporter heard of the case: %q", s)
	}
	anon, err := http.Get(ts.URL + "/events")
	if err != nil {
		t.Fatal(err)
	}
	anon.Body.Close()
	if anon.StatusCode == 200 && anon.Header.Get("Content-Type") == "text/event-stream" {
		t.Error("a stream without signing in")
	}
}

// TestLiveAcrossInstances: two servers on one PostgreSQL database; a case
// reported through one reaches a responder's stream on the other.
func TestLiveAcrossInstances(t *testing.T) {
	if os.Getenv("ALLY_TEST_POSTGRES") == "" {
		t.Skip("needs ALLY_TEST_POSTGRES")
	}
	dsn := storetest.DSN(t, "postgres")
	serve := func() *testServer {
		db, err := store.Open(context.Background(), dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		srv := New(Config{Services: Services{Cases: db, Users: db, Audit: db, Tasks: db, Live: db},
			Playbooks: db.Playbooks()})
		hs := httptest.NewServer(srv)
		t.Cleanup(hs.Close)
		return &testServer{URL: hs.URL, DB: db, Srv: srv}
	}
	a, b := serve(), serve()
	rep := a.token(t, "rita@example.com", ally.RoleReporter)
	resp := a.token(t, "sam@example.com", ally.RoleResponder)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", b.URL+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+resp)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("stream on b: %v %v", err, res)
	}
	defer res.Body.Close()
	got := make(chan string, 1)
	go func() {
		r := bufio.NewReader(res.Body)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if strings.HasPrefix(line, "data:") {
				got <- line
				return
			}
		}
	}()
	post, _ := http.NewRequest("POST", a.URL+"/api/v1/cases", strings.NewReader(`{"kind":"other"}`))
	post.Header.Set("Authorization", "Bearer "+rep)
	post.Header.Set("Content-Type", "application/json")
	pr, err := http.DefaultClient.Do(post)
	if err != nil || pr.StatusCode != 201 {
		t.Fatalf("report on a: %v %v", err, pr)
	}
	pr.Body.Close()
	select {
	case line := <-got:
		if !strings.Contains(line, `"change":"created"`) {
			t.Errorf("b heard %q", line)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("b heard nothing of the case reported on a")
	}
}

// TestLiveStreamsEndOnCloseStreams: a server shutting down ends its event
// streams (the browser reconnects elsewhere) instead of holding them open
// for their lifetime; a stream opened after that ends at once.
func TestLiveStreamsEndOnCloseStreams(t *testing.T) {
	ts, _, _ := queueWorld(t, 0)
	tok := ts.token(t, "sam2@example.com", ally.RoleResponder)
	open := func() *http.Response {
		req, _ := http.NewRequest("GET", ts.URL+"/events", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("stream: %v %v", err, res)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	ended := func(res *http.Response) bool {
		done := make(chan struct{})
		go func() {
			_, _ = io.Copy(io.Discard, res.Body)
			close(done)
		}()
		select {
		case <-done:
			return true
		case <-time.After(5 * time.Second): // the stream lives liveLifetime (5 minutes) otherwise
			return false
		}
	}
	res := open()
	ts.Srv.CloseStreams()
	if !ended(res) {
		t.Fatal("an open stream outlived CloseStreams")
	}
	if !ended(open()) {
		t.Fatal("a stream opened after CloseStreams stayed open")
	}
}
