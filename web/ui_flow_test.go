package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/tone"
)

// pageClient is a browser without JavaScript: a cookie jar that does not
// follow redirects, so tests can see each POST/redirect/GET step.
type pageClient struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

func newPageClient(t *testing.T, ts *testServer) *pageClient {
	jar, _ := cookiejar.New(nil)
	return &pageClient{t: t, base: ts.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)

// get fetches a page and remembers its CSRF token.
func (pc *pageClient) get(path string) (int, string, http.Header) {
	pc.t.Helper()
	res, err := pc.c.Get(pc.base + path)
	if err != nil {
		pc.t.Fatal(err)
	}
	body := readAll(pc.t, res)
	if m := csrfMeta.FindStringSubmatch(body); m != nil {
		pc.csrf = m[1]
	}
	return res.StatusCode, body, res.Header
}

// post sends a form with the remembered CSRF token.
func (pc *pageClient) post(path string, form url.Values) (int, string, string) {
	pc.t.Helper()
	if form.Get("csrf_token") == "" && pc.csrf != "" {
		form.Set("csrf_token", pc.csrf)
	}
	res, err := pc.c.PostForm(pc.base+path, form)
	if err != nil {
		pc.t.Fatal(err)
	}
	return res.StatusCode, readAll(pc.t, res), res.Header.Get("Location")
}

func readAll(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (pc *pageClient) signIn(email, password string) {
	pc.t.Helper()
	pc.get("/login")
	code, body, loc := pc.post("/login", url.Values{"email": {email}, "password": {password}})
	if code != http.StatusSeeOther {
		pc.t.Fatalf("sign in as %s: %d %s", email, code, body)
	}
	pc.get(loc)
}

func TestSignInAndOut(t *testing.T) {
	ts := newTestServer(t)
	pw := ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	pc := newPageClient(t, ts)
	if code, _, h := pc.get("/report"); code != http.StatusSeeOther || h.Get("Location") != "/login?next=%2Freport" {
		t.Fatalf("anonymous /report: %d to %q", code, h.Get("Location"))
	}
	pc.get("/login")
	code, body, _ := pc.post("/login", url.Values{"email": {"rita@example.com"}, "password": {"wrong password!"}})
	if code != http.StatusUnauthorized || !strings.Contains(body, "do not match") {
		t.Errorf("bad password: %d", code)
	}
	code, _, loc := pc.post("/login", url.Values{"email": {"rita@example.com"}, "password": {pw}, "next": {"/report"}})
	if code != http.StatusSeeOther || loc != "/report" {
		t.Fatalf("sign in: %d to %q", code, loc)
	}
	if code, body, _ := pc.get("/"); code != http.StatusOK || !strings.Contains(body, "Report a concern") || !strings.Contains(body, "My reports") {
		t.Errorf("home: %d", code)
	}
	if code, _, loc := pc.post("/logout", url.Values{}); code != http.StatusSeeOther || loc != "/login?done=signout" {
		t.Errorf("sign out: %d to %q", code, loc)
	}
	if code, _, _ := pc.get("/"); code != http.StatusSeeOther {
		t.Errorf("after signing out, / answers %d", code)
	}
	if code, body, _ := pc.post("/report", url.Values{"kind": {"other"}}); code != http.StatusUnauthorized || !strings.Contains(body, "Please sign in again") {
		t.Errorf("posting after signing out: %d", code)
	}
}

func TestLoginRefusesOtherOrigins(t *testing.T) {
	ts := newTestServer(t)
	pw := ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/login", strings.NewReader(url.Values{"email": {"rita@example.com"}, "password": {pw}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site sign-in answered %d", res.StatusCode)
	}
}

// Issue 20 F13: a sign-in from an unknown origin (none, or "null") needs the
// sign-in form's token.
func TestLoginUnknownOriginNeedsFormToken(t *testing.T) {
	ts := newTestServer(t)
	pw := ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	for _, origin := range []string{"", "null"} {
		pc := newPageClient(t, ts)
		form := url.Values{"email": {"rita@example.com"}, "password": {pw}}
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		res, err := pc.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, res)
		if res.StatusCode != http.StatusForbidden || strings.Contains(body, "Sign out") {
			t.Errorf("Origin %q without the form token: %d", origin, res.StatusCode)
		}
		pc.get("/login")
		if code, _, loc := pc.post("/login", form); code != http.StatusSeeOther || loc != "/" {
			t.Errorf("Origin %q with the form token: %d to %q", origin, code, loc)
		}
	}
}

func TestFormsNeedCSRF(t *testing.T) {
	ts := newTestServer(t)
	pc := newPageClient(t, ts)
	pc.signIn("rita@example.com", ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance"))
	code, body, _ := pc.post("/report", url.Values{"kind": {"other"}, "csrf_token": {"forged"}})
	if code != http.StatusForbidden || !strings.Contains(body, "expired") {
		t.Errorf("forged token: %d", code)
	}
}

// TestReportWithoutJavaScript posts the report form as a browser without
// JavaScript does: the kind's questions come on a second step.
func TestReportWithoutJavaScript(t *testing.T) {
	ts := newTestServer(t)
	pc := newPageClient(t, ts)
	pc.signIn("rita@example.com", ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance"))
	pc.get("/report")

	code, body, _ := pc.post("/report", url.Values{"when": {"now"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "Please choose what happened") {
		t.Errorf("no choice: %d", code)
	}
	first := url.Values{"kind": {"clicked_link"}, "when": {"minutes"}, "details": {"A link in a text."}}
	code, body, _ = pc.post("/report", first)
	if code != http.StatusOK || !strings.Contains(body, `name="step" value="questions"`) {
		t.Fatalf("first step: %d, want the questions", code)
	}
	pb, _ := ts.Srv.Playbooks.Get("clicked_link")
	q := pb.Questions[0]
	if !strings.Contains(body, q.Text) && !strings.Contains(body, htmlEscape(q.Text)) {
		t.Errorf("the second step does not ask %q", q.Text)
	}
	second := url.Values{"step": {"questions"}, "q.clicked_link." + q.ID: {"yes"}}
	for k, v := range first {
		second[k] = v
	}
	code, _, loc := pc.post("/report", second)
	if code != http.StatusSeeOther || !strings.HasSuffix(loc, "/sent") {
		t.Fatalf("second step: %d to %q", code, loc)
	}
	_, body, _ = pc.get(loc)
	if !strings.Contains(body, "You did the right thing") || !strings.Contains(body, ally.RefPrefix) {
		t.Errorf("confirmation page lacks the reassurance or the reference")
	}
	ref := strings.TrimSuffix(strings.TrimPrefix(loc, "/cases/"), "/sent")
	c, err := ts.DB.FindCase(asUser(t, ts, "rita@example.com"), ref)
	if err != nil {
		t.Fatal(err)
	}
	if c.Answers[q.ID] != "yes" || c.Details != "A link in a text." || c.OccurredAt == nil ||
		!strings.HasPrefix(c.Summary, "I clicked a link: A link") {
		t.Errorf("case = %+v", c)
	}
}

func htmlEscape(s string) string { return strings.ReplaceAll(s, "'", "&#39;") }

// TestReplyHeldForTone checks the server-side tone gate without JavaScript.
func TestReplyHeldForTone(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	c, err := ts.DB.CreateCase(asUser(t, ts, "rita@example.com"), &ally.NewCase{Kind: ally.KindClickedLink, Summary: "A link"})
	if err != nil {
		t.Fatal(err)
	}
	pc := newPageClient(t, ts)
	pc.signIn("sam@example.com", ts.addUser(t, "sam@example.com", "Sam Okafor", ally.RoleResponder, "Security"))
	pc.get("/cases/" + c.Ref)
	if res := ts.Srv.Tone.Check(blamingReply, tone.AudienceReporter); res.HasError() {
		code, body, _ := pc.post("/cases/"+c.Ref+"/messages", url.Values{"body": {blamingReply}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Before you send") || !strings.Contains(body, "Send anyway") {
			t.Fatalf("blaming reply: %d, want it held with the findings", code)
		}
		if es, _ := ts.DB.Timeline(asUser(t, ts, "sam@example.com"), c.Ref, 0, 100); countMessages(es) != 0 {
			t.Fatal("a held reply was stored")
		}
		code, _, loc := pc.post("/cases/"+c.Ref+"/messages", url.Values{"body": {blamingReply}, "confirmed": {"1"}})
		if code != http.StatusSeeOther || !strings.Contains(loc, "done=reply") {
			t.Fatalf("send anyway: %d to %q", code, loc)
		}
	}
	code, _, loc := pc.post("/cases/"+c.Ref+"/messages", url.Values{"body": {"Thanks for telling us, Rita. I am on it."}})
	if code != http.StatusSeeOther || !strings.Contains(loc, "done=reply") {
		t.Fatalf("kind reply: %d to %q", code, loc)
	}
	pc.post("/cases/"+c.Ref+"/messages", url.Values{"body": {"Checked the proxy logs."}, "internal": {"1"}})

	rep := newPageClient(t, ts)
	rep.signIn("rita@example.com", testPassword)
	_, body, _ := rep.get("/cases/" + c.Ref)
	if !strings.Contains(body, "I am on it") {
		t.Error("the reporter does not see the reply")
	}
	if strings.Contains(body, "proxy logs") {
		t.Error("the reporter sees an internal note")
	}
}

func countMessages(es []*ally.Entry) int {
	n := 0
	for _, e := range es {
		if e.Type == ally.EntryMessage {
			n++
		}
	}
	return n
}

// TestCaseControls changes status, severity and assignee, ticks tasks, and
// lets the reporter rate once.
func TestCaseControls(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	c, err := ts.DB.CreateCase(asUser(t, ts, "rita@example.com"), &ally.NewCase{Kind: ally.KindClickedLink, Summary: "A link"})
	if err != nil {
		t.Fatal(err)
	}
	pc := newPageClient(t, ts)
	pc.signIn("sam@example.com", ts.addUser(t, "sam@example.com", "Sam Okafor", ally.RoleResponder, "Security"))
	if _, body, _ := pc.get("/cases/" + c.Ref + "?template=acknowledge"); !strings.Contains(body, "Hi Rita") || !strings.Contains(body, c.Ref) {
		t.Error("?template=acknowledge does not fill the reply box for the reporter")
	}
	code, _, _ := pc.post("/cases/"+c.Ref+"/update", url.Values{"status": {"investigating"}, "severity": {"critical"}, "assign_me": {"1"}, "assignee": {""}})
	if code != http.StatusSeeOther {
		t.Fatalf("update: %d", code)
	}
	got, _ := ts.DB.FindCase(asUser(t, ts, "sam@example.com"), c.Ref)
	if got.Status != ally.StatusInvestigating || got.Severity != ally.SeverityCritical || got.Assignee == nil || got.Assignee.Email != "sam@example.com" {
		t.Errorf("after update: status %s severity %s assignee %v", got.Status, got.Severity, got.Assignee)
	}
	tasks, _ := ts.DB.Tasks(asUser(t, ts, "sam@example.com"), c.Ref)
	if len(tasks) == 0 {
		t.Fatal("no tasks")
	}
	pc.post("/cases/"+c.Ref+"/tasks", url.Values{"done": {tasks[0].ID}})
	tasks, _ = ts.DB.Tasks(asUser(t, ts, "sam@example.com"), c.Ref)
	if !tasks[0].Done {
		t.Error("the ticked task is not done")
	}
	pc.post("/cases/"+c.Ref+"/resolve", url.Values{"outcome": {"All sorted, Rita. Thank you."}, "anyway": {"1"}})

	rep := newPageClient(t, ts)
	rep.signIn("rita@example.com", testPassword)
	_, body, _ := rep.get("/cases/" + c.Ref)
	if !strings.Contains(body, "How did we do?") {
		t.Fatal("a resolved case does not ask for a rating")
	}
	if code, _, _ := rep.post("/cases/"+c.Ref+"/feedback", url.Values{"rating": {"5"}, "comment": {"Kind and quick."}}); code != http.StatusSeeOther {
		t.Fatalf("rating: %d", code)
	}
	if _, body, _ := rep.get("/cases/" + c.Ref); strings.Contains(body, "How did we do?") {
		t.Error("the rating is asked again")
	}
	if code, _, _ := rep.post("/cases/"+c.Ref+"/feedback", url.Values{"rating": {"4"}}); code != http.StatusConflict {
		t.Errorf("a second rating answered %d", code)
	}
}

func TestQueuePage(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	rita := asUser(t, ts, "rita@example.com")
	var refs []string
	for i := range queueLimit + 2 {
		k := ally.KindSuspiciousEmail
		if i == 3 {
			k = ally.KindEnteredCredentials
		}
		c, err := ts.DB.CreateCase(rita, &ally.NewCase{Kind: k, Summary: "Case " + string(rune('A'+i))})
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, c.Ref)
	}
	pc := newPageClient(t, ts)
	pc.signIn("sam@example.com", ts.addUser(t, "sam@example.com", "Sam Okafor", ally.RoleResponder, "Security"))
	code, body, _ := pc.get("/queue")
	if code != http.StatusOK {
		t.Fatalf("queue: %d", code)
	}
	if first := strings.Index(body, "qlink"); first < 0 || !strings.Contains(body[first:first+200], refs[3]) {
		t.Errorf("the high-severity case %s is not first", refs[3])
	}
	if !strings.Contains(body, "min ago") && !strings.Contains(body, "just now") {
		t.Error("no age shown")
	}
	next := regexp.MustCompile(`href="(/queue\?[^"]*cursor=[^"]+)" rel="next"`).FindStringSubmatch(body)
	if next == nil {
		t.Fatal("no next page link")
	}
	_, body2, _ := pc.get(strings.ReplaceAll(next[1], "&amp;", "&"))
	if strings.Count(body2, `class="qlink"`) != 2 {
		t.Errorf("the second page has %d cases, want 2", strings.Count(body2, `class="qlink"`))
	}
	_, body, _ = pc.get("/queue?kind=entered_credentials")
	if n := strings.Count(body, `class="qlink"`); n != 1 {
		t.Errorf("kind filter shows %d cases, want 1", n)
	}
	if _, body, _ = pc.get("/queue?assignee=me"); strings.Count(body, `class="qlink"`) != 0 {
		t.Error("assignee=me shows cases nobody is assigned")
	}
	rep := newPageClient(t, ts)
	rep.signIn("rita@example.com", testPassword)
	if code, _, h := rep.get("/queue"); code != http.StatusSeeOther || h.Get("Location") != "/" {
		t.Errorf("a reporter asking for the queue: %d to %q", code, h.Get("Location"))
	}
}

func TestUsersPage(t *testing.T) {
	ts := newTestServer(t)
	pc := newPageClient(t, ts)
	pc.signIn("ada@example.com", ts.addUser(t, "ada@example.com", "Ada Byrne", ally.RoleAdmin, "IT"))
	pc.get("/admin/users")
	code, body, _ := pc.post("/admin/users", url.Values{"email": {"new@example.com"}, "name": {"New Person"}, "role": {"responder"}})
	if code != http.StatusCreated || !strings.Contains(body, "shown only now") {
		t.Fatalf("add: %d", code)
	}
	pw := regexp.MustCompile(`<code>([^<]+)</code>`).FindStringSubmatch(body)
	if pw == nil || len(pw[1]) < ally.MinPassword {
		t.Fatal("no generated password shown")
	}
	if code, _, _ := pc.post("/admin/users", url.Values{"email": {"new@example.com"}, "name": {"Again"}, "role": {"reporter"}}); code != http.StatusConflict {
		t.Errorf("adding the same email: %d", code)
	}
	pc.post("/admin/users/new@example.com", url.Values{"role": {"lead"}})
	pc.post("/admin/users/new@example.com", url.Values{"disabled": {"1"}})
	u, err := ts.DB.FindUserByEmail(asUser(t, ts, "ada@example.com"), "new@example.com")
	if err != nil || u.Role != ally.RoleLead || !u.Disabled {
		t.Errorf("after changes: %+v, %v", u, err)
	}
	other := newPageClient(t, ts)
	other.signIn("sam@example.com", ts.addUser(t, "sam@example.com", "Sam Okafor", ally.RoleResponder, "Security"))
	if code, _, _ := other.get("/admin/users"); code != http.StatusForbidden {
		t.Errorf("a responder asking for users: %d", code)
	}
}

// TestUsersPaging: the users page's link to more accounts carries an opaque
// cursor, an older link with the plain email still pages, and a link that
// is not right is 400 saying so.
func TestUsersPaging(t *testing.T) {
	ts := newTestServer(t)
	pc := newPageClient(t, ts)
	pc.signIn("ada@example.com", ts.addUser(t, "ada@example.com", "Ada Byrne", ally.RoleAdmin, "IT"))
	var more []*ally.NewUser
	for i := range usersLimit + 1 {
		more = append(more, &ally.NewUser{Email: fmt.Sprintf("person%02d@example.com", i), Name: "Person",
			Role: ally.RoleReporter, Password: testPassword})
	}
	if _, err := ts.DB.CreateUsers(ally.NewOperatorContext(context.Background()), more); err != nil {
		t.Fatal(err)
	}
	_, body, _ := pc.get("/admin/users")
	next := regexpFind(t, body, `href="(/admin/users\?cursor=[^"]+)"`)
	if strings.Contains(next, "person") || strings.Contains(next, "%40") || strings.Contains(next, "@") {
		t.Errorf("the link to more accounts shows an email address: %s", next)
	}
	_, body, _ = pc.get(strings.ReplaceAll(next, "&amp;", "&"))
	if !strings.Contains(body, "person50@example.com") || strings.Contains(body, "person48@example.com") {
		t.Error("the next page is not the accounts after the first 50")
	}
	if _, body, _ = pc.get("/admin/users?cursor=person48%40example.com"); !strings.Contains(body, "person49@example.com") ||
		strings.Contains(body, "person48@example.com") {
		t.Error("an older link with the plain email no longer pages")
	}
	for _, q := range []string{"x", "abc", ally.EncodeCursor('n', "7")} {
		if code, page, _ := pc.get("/admin/users?cursor=" + q); code != http.StatusBadRequest ||
			!strings.Contains(page, "That link to more accounts is not right") {
			t.Errorf("/admin/users?cursor=%s: %d, want 400 saying the link is not right", q, code)
		}
	}
}

func TestNotFoundPage(t *testing.T) {
	ts := newTestServer(t)
	res, err := http.Get(ts.URL + "/no/such/page")
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, res)
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "We could not find that") {
		t.Errorf("%d", res.StatusCode)
	}
}

// TestRefusedPageTitle: a page refused for its input (400, here a queue
// order that does not exist) is titled as it is headed, "That did not
// work", not "Something went wrong", which is kept for our own failures.
func TestRefusedPageTitle(t *testing.T) {
	ts := newTestServer(t)
	pc := newPageClient(t, ts)
	pc.signIn("sam@example.com", ts.addUser(t, "sam@example.com", "Sam Okafor", ally.RoleResponder, "Security"))
	code, body, _ := pc.get("/queue?sort=sideways")
	if code != http.StatusBadRequest || !strings.Contains(body, "<title>That did not work · Ally</title>") ||
		!strings.Contains(body, "sideways") {
		t.Errorf("%d %s", code, body)
	}
}

func TestStaticFiles(t *testing.T) {
	ts := newTestServer(t)
	for name := range assets {
		res, err := http.Get(ts.URL + assetURL(name))
		if err != nil {
			t.Fatal(err)
		}
		readAll(t, res)
		if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("%s: %d, Cache-Control %q", name, res.StatusCode, res.Header.Get("Cache-Control"))
		}
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/static/"+name, nil)
		req.Header.Set("If-None-Match", res.Header.Get("ETag"))
		res, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		readAll(t, res)
		if res.StatusCode != http.StatusNotModified || res.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("%s unversioned revalidation: %d, %q", name, res.StatusCode, res.Header.Get("Cache-Control"))
		}
	}
}
