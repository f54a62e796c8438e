package web

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailin"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/outbox"
	"github.com/allydesk/ally/outbox/outboxtest"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// linkServer is an Ally server with mail on, delivering through a real
// SMTP server, on a clock the test can move.
type linkServer struct {
	*testServer
	relay  *outboxtest.Relay
	worker *outbox.Worker
	mu     sync.Mutex
	ahead  time.Duration // how far the store's clock is ahead
}

func newLinkServer(t testing.TB, engine string) *linkServer {
	t.Helper()
	ls := &linkServer{}
	db := storetest.Open(t, engine, store.Options{Mail: mailtext.Default(), PublicURL: "https://ally.test",
		Now: func() time.Time {
			ls.mu.Lock()
			defer ls.mu.Unlock()
			return time.Now().Add(ls.ahead)
		}})
	srv := New(Config{Services: Services{Cases: db, Users: db, Audit: db, Tasks: db, Metrics: db, Attachments: db,
		Insights: db, Practice: db, SignIn: db}, Playbooks: db.Playbooks(), Ready: db.Ping, MailLinks: true,
		DeskPhone: "555-0100", DeskText: "Call the security desk on"})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	srv.PublicURL = hs.URL
	ls.testServer = &testServer{URL: hs.URL, DB: db, Srv: srv}
	ls.relay = outboxtest.Start(t, "127.0.0.1:0", nil, false)
	relay, err := outbox.ParseRelay("smtp://" + ls.relay.Addr + "?tls=none")
	if err != nil {
		t.Fatal(err)
	}
	if ls.worker, err = outbox.New(context.Background(), outbox.Config{Queue: db, Relay: relay,
		From: "report@example.org"}); err != nil {
		t.Fatal(err)
	}
	return ls
}

// advance moves the store's clock on.
func (ls *linkServer) advance(d time.Duration) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	ls.ahead += d
}

var linkIn = regexp.MustCompile(`http://[^\s]+/login/(?:link|reset)/[A-Za-z0-9_-]+`)

// mailedLinks delivers the outbox and returns the links mailed to each
// address.
func (ls *linkServer) mailedLinks(t testing.TB) map[string][]string {
	t.Helper()
	if _, err := ls.worker.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, m := range ls.relay.Messages() {
		body := strings.ReplaceAll(string(m.Raw), "=\r\n", "")
		out[m.To] = append(out[m.To], linkIn.FindAllString(body, -1)...)
	}
	return out
}

// formToken opens a page in c and returns its form token.
func formToken(t testing.TB, c *http.Client, u string) string {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatalf("%s has no form token (status %d)", u, res.StatusCode)
	}
	return m[1]
}

// post posts a form with its token and returns the final status, path and
// body.
func post(t testing.TB, c *http.Client, u, token string, v url.Values) (int, string, string) {
	t.Helper()
	if v == nil {
		v = url.Values{}
	}
	v.Set("csrf_token", token)
	res, err := c.PostForm(u, v)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Request.URL.Path, string(b)
}

// askForLink asks for a link of kind ("link" or "forgot") for email in c.
func askForLink(t testing.TB, ls *linkServer, c *http.Client, path, email, next string) (int, string) {
	t.Helper()
	tok := formToken(t, c, ls.URL+"/login")
	code, _, body := post(t, c, ls.URL+path, tok, url.Values{"email": {email}, "next": {next}})
	return code, body
}

// Issue 14: an emailed sign-in link: the same answer for any address, a
// GET that changes nothing, a POST that signs in once, only in the browser
// that asked, for 15 minutes, and back to the form.
func TestSignInLink(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ls := newLinkServer(t, engine)
			ls.addUser(t, "rita@example.org", "Rita Reporter", ally.RoleReporter, "Sales")
			c := cookieClient(t)
			code, known := askForLink(t, ls, c, "/login/link", "rita@example.org", "/report")
			code2, unknown := askForLink(t, ls, cookieClient(t), "/login/link", "nobody@example.org", "/report")
			if code != http.StatusOK || code2 != http.StatusOK || sameAnswer(known, "rita@example.org") !=
				sameAnswer(unknown, "nobody@example.org") {
				t.Fatalf("known and unknown addresses got different answers (%d, %d)", code, code2)
			}
			links := ls.mailedLinks(t)
			if len(links["nobody@example.org"]) != 0 || len(links["rita@example.org"]) != 1 {
				t.Fatalf("mailed links: %v, want one to rita only", links)
			}
			link := links["rita@example.org"][0]
			if code, _, body := fetch(t, c, link); code != http.StatusOK || !strings.Contains(body, ">Sign in</button>") {
				t.Fatalf("opening the link: %d, want a page with a Sign in button", code)
			}
			if me(t, ls.testServer, c) != nil {
				t.Fatal("opening the link (a GET) signed in")
			}
			other := cookieClient(t)
			if code, _, _ := post(t, other, link, formToken(t, other, link), nil); code != http.StatusUnauthorized {
				t.Errorf("the link in another browser: %d, want 401", code)
			}
			code, path, _ := post(t, c, link, formToken(t, c, link), nil)
			if code != http.StatusOK || path != "/report" {
				t.Fatalf("the link's button: %d at %s, want signed in on the report form", code, path)
			}
			if u := me(t, ls.testServer, c); u == nil || u.Email != "rita@example.org" {
				t.Fatalf("signed in as %+v", u)
			}
			c2 := cookieClient(t)
			askForLink(t, ls, c2, "/login/link", "rita@example.org", "")
			if code, _, body := post(t, c, link, formToken(t, c, link), nil); code != http.StatusUnauthorized ||
				!strings.Contains(body, "already used") {
				t.Errorf("the link a second time: %d, want 401 saying it was already used", code)
			}
			ls.advance(16 * time.Minute)
			links = ls.mailedLinks(t)
			late := links["rita@example.org"][1]
			if code, _, _ := post(t, c2, late, formToken(t, c2, late), nil); code != http.StatusUnauthorized {
				t.Errorf("a link after 16 minutes: %d, want 401", code)
			}
		})
	}
}

// Issue 14: forgot password: a reset link, rules checked without spending
// it, every other session ended, audited.
func TestForgotPassword(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ls := newLinkServer(t, engine)
			ls.addUser(t, "rita@example.org", "Rita Reporter", ally.RoleReporter, "Sales")
			elsewhere := signedInByPassword(t, ls.testServer, "rita@example.org", testPassword)
			c := cookieClient(t)
			if code, body := askForLink(t, ls, c, "/login/forgot", "rita@example.org", ""); code != http.StatusOK ||
				!strings.Contains(body, "If rita@example.org has an Ally account") {
				t.Fatalf("forgot password: %d", code)
			}
			link := ls.mailedLinks(t)["rita@example.org"][0]
			tok := formToken(t, c, link)
			if code, _, body := post(t, c, link, tok, url.Values{"password": {"password1234"}}); code !=
				http.StatusBadRequest || !strings.Contains(body, "password") {
				t.Errorf("a common password: %d, want 400 explaining", code)
			}
			const fresh = "maple kettle orbit tundra"
			code, path, _ := post(t, c, link, tok, url.Values{"password": {fresh}})
			if code != http.StatusOK || path != "/" {
				t.Fatalf("a good password after a bad one: %d at %s, want signed in at home", code, path)
			}
			if me(t, ls.testServer, c) == nil {
				t.Error("not signed in after the reset")
			}
			if me(t, ls.testServer, elsewhere) != nil {
				t.Error("the session elsewhere survived the password change")
			}
			if loginFrom(t, ls.testServer, "rita@example.org", testPassword, "").StatusCode != http.StatusUnauthorized {
				t.Error("the old password still works")
			}
			if loginFrom(t, ls.testServer, "rita@example.org", fresh, "").StatusCode != http.StatusSeeOther {
				t.Error("the new password does not work")
			}
			tok = formToken(t, c, link)
			if code, _, _ := post(t, c, link, tok, url.Values{"password": {"another fine passphrase"}}); code !=
				http.StatusUnauthorized {
				t.Errorf("the reset link a second time: %d, want 401", code)
			}
			assertAudited(t, ls.testServer, "user.password", "rita@example.org", "source=link")
		})
	}
}

// Issue 14: an admin's reset shows a one-time password once and ends the
// account's sessions.
func TestAdminResetsPassword(t *testing.T) {
	ts := newTestServer(t)
	ts.Srv.SignIn = ts.DB
	ts.addUser(t, "ada@example.org", "Ada Admin", ally.RoleAdmin, "IT")
	ts.addUser(t, "rita@example.org", "Rita Reporter", ally.RoleReporter, "Sales")
	rita := signedInByPassword(t, ts, "rita@example.org", testPassword)
	admin := signedInByPassword(t, ts, "ada@example.org", testPassword)
	tok := formToken(t, admin, ts.URL+"/admin/users")
	code, _, body := post(t, admin, ts.URL+"/admin/users/rita@example.org/password", tok, nil)
	m := regexp.MustCompile(`new password: <code>([^<]+)</code>`).FindStringSubmatch(body)
	if code != http.StatusOK || m == nil {
		t.Fatalf("admin reset: %d, no one-time password shown", code)
	}
	if me(t, ts, rita) != nil {
		t.Error("rita's session survived the reset")
	}
	if loginFrom(t, ts, "rita@example.org", m[1], "").StatusCode != http.StatusSeeOther {
		t.Error("the one-time password does not sign in")
	}
	if _, _, again := fetch(t, admin, ts.URL+"/admin/users"); strings.Contains(again, m[1]) {
		t.Error("the one-time password is shown again")
	}
	assertAudited(t, ts, "user.password", "rita@example.org", "source=admin")
	rita = signedInByPassword(t, ts, "rita@example.org", m[1])
	tok = formToken(t, rita, ts.URL+"/report")
	if code, _, _ := post(t, rita, ts.URL+"/admin/users/ada@example.org/password", tok, nil); code !=
		http.StatusForbidden {
		t.Errorf("a reporter resetting an admin's password: %d, want 403", code)
	}
}

// signedInByPassword is a fresh browser signed in with the password form.
func signedInByPassword(t testing.TB, ts *testServer, email, password string) *http.Client {
	t.Helper()
	c := cookieClient(t)
	tok := formToken(t, c, ts.URL+"/login")
	if code, path, _ := post(t, c, ts.URL+"/login", tok, url.Values{"email": {email}, "password": {password}}); code !=
		http.StatusOK || path == "/login" {
		t.Fatalf("sign in as %s: %d at %s", email, code, path)
	}
	return c
}

// assertAudited fails unless the audit log has this action on target with
// detail.
func assertAudited(t testing.TB, ts *testServer, action, target, detail string) {
	t.Helper()
	recs, err := ts.DB.FindAudit(ally.NewOperatorContext(context.Background()), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Action == action && r.Target == target && r.Detail == detail {
			return
		}
	}
	t.Errorf("no %s of %s (%s) in the audit log", action, target, detail)
}

// Issue 14: the sign-in page says what to do when you cannot sign in.
func TestCantSignIn(t *testing.T) {
	ls := newLinkServer(t, "sqlite")
	_, _, body := fetch(t, cookieClient(t), ls.URL+"/login")
	for _, want := range []string{"Can't sign in?", "Call the security desk on", `href="tel:555-0100"`,
		"Email me a sign-in link", `href="/login/forgot"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the sign-in page lacks %q", want)
		}
	}
}

// sameAnswer is a page without what must differ between two browsers: the
// address typed and the form tokens.
func sameAnswer(page, email string) string {
	page = strings.ReplaceAll(page, email, "EMAIL")
	return regexp.MustCompile(`(name="csrf_token" value=|name="csrf-token" content=)"[^"]*"`).
		ReplaceAllString(page, "$1")
}

// BenchmarkSignInLinkTiming measures "Email me a sign-in link" for an
// address with an account and one without, interleaved, and reports each
// median and their difference (issue 14: under 5 ms over 200 tries). The
// limiter's clock moves a minute a try so that no try is refused.
//
//	go test ./web -run '^$' -bench SignInLinkTiming -benchtime 200x
func BenchmarkSignInLinkTiming(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) { linkTiming(b, engine) })
	}
}

func linkTiming(b *testing.B, engine string) {
	ls := newLinkServer(b, engine)
	ls.addUser(b, "rita@example.org", "Rita Reporter", ally.RoleReporter, "Sales")
	var clock time.Time
	ls.Srv.Now = func() time.Time { return clock }
	c := cookieClient(b)
	tok := formToken(b, c, ls.URL+"/login")
	var known, unknown []time.Duration
	for i := range b.N {
		for _, email := range []string{"rita@example.org", fmt.Sprintf("nobody%d@example.org", i)} {
			clock = clock.Add(time.Minute)
			start := time.Now()
			code, _, _ := post(b, c, ls.URL+"/login/link", tok, url.Values{"email": {email}})
			took := time.Since(start)
			if code != http.StatusOK {
				b.Fatalf("asking for a link: %d", code)
			}
			if email == "rita@example.org" {
				known = append(known, took)
			} else {
				unknown = append(unknown, took)
			}
		}
	}
	k, u := median(known), median(unknown)
	b.ReportMetric(float64(k.Microseconds())/1000, "known-median-ms")
	b.ReportMetric(float64(u.Microseconds())/1000, "unknown-median-ms")
	b.ReportMetric(float64((k-u).Abs().Microseconds())/1000, "diff-ms")
}

func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// Issue 14: a reporter whose account the report mailbox made (no
// password) follows the link in their acknowledgement, asks for a sign-in
// link on the way, and lands on their case.
func TestMailboxReporterSignsInByLink(t *testing.T) {
	ls := newLinkServer(t, "sqlite")
	m, err := mailin.Parse([]byte("From: Pat Doe <pat@example.org>\r\nSubject: odd email\r\n"+
		"Content-Type: text/plain\r\n\r\nIs this real? It asks for my password.\r\n"), mailin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := ls.DB.ReceiveMail(ally.NewOperatorContext(context.Background()),
		ally.MailIn{Key: "k1", Message: m, Domains: []string{"example.org"}})
	if err != nil || rc.Case == nil {
		t.Fatalf("receiving the report: %+v, %v", rc, err)
	}
	ref := rc.Case.Ref
	c := cookieClient(t)
	code, path, page := fetch(t, c, ls.URL+"/cases/"+ref) // the acknowledgement's link
	next := regexp.MustCompile(`name="next" value="([^"]+)"`).FindStringSubmatch(page)
	if path != "/login" || next == nil || !strings.Contains(page, "Email me a sign-in link") {
		t.Fatalf("the case link signed out: %d at %s, want the sign-in page offering a link", code, path)
	}
	tok := formToken(t, c, ls.URL+"/login")
	post(t, c, ls.URL+"/login/link", tok, url.Values{"email": {"pat@example.org"}, "next": {html.UnescapeString(next[1])}})
	links := ls.mailedLinks(t)["pat@example.org"]
	if len(links) != 1 {
		t.Fatalf("links mailed to pat: %v", links)
	}
	if code, path, _ := post(t, c, links[0], formToken(t, c, links[0]), nil); code != http.StatusOK ||
		path != "/cases/"+ref {
		t.Errorf("the sign-in link: %d at %s, want the case %s", code, path, ref)
	}
}
