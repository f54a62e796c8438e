package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
	"github.com/allydesk/ally/tone"
	"github.com/allydesk/ally/webhook"
)

const botToken = "xoxb-test-1234"

// fakeSlack implements the two Slack Web API methods Ally calls, answering
// as Slack does: HTTP 200 with {"ok": false, "error": …} for a bad token or
// an unknown email, and 429 with Retry-After while it is rate limiting.
type fakeSlack struct {
	*httptest.Server
	mu       sync.Mutex
	users    map[string]string // email → user id
	limit    int               // answer this many more postMessage calls with 429
	lookups  map[string]int    // lookups by email
	requests int
	posts    []slackPost
}

type slackPost struct{ Channel, Text string }

func newFakeSlack(t *testing.T, users map[string]string) *fakeSlack {
	f := &fakeSlack{users: users, lookups: map[string]int{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeSlack) serve(rw http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	answer := func(v map[string]any) {
		rw.Header().Set("Content-Type", "application/json; charset=utf-8")
		_ = json.NewEncoder(rw).Encode(v)
	}
	if r.Method != http.MethodPost {
		rw.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+botToken {
		answer(map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	switch r.URL.Path {
	case "/api/users.lookupByEmail":
		email := r.FormValue("email")
		f.lookups[email]++
		id, ok := f.users[email]
		if !ok {
			answer(map[string]any{"ok": false, "error": "users_not_found"})
			return
		}
		answer(map[string]any{"ok": true, "user": map[string]any{"id": id, "profile": map[string]any{"email": email}}})
	case "/api/chat.postMessage":
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			answer(map[string]any{"ok": false, "error": "invalid_form_data"})
			return
		}
		if f.limit > 0 {
			f.limit--
			rw.Header().Set("Retry-After", "3")
			rw.WriteHeader(http.StatusTooManyRequests)
			answer(map[string]any{"ok": false, "error": "ratelimited"})
			return
		}
		var p slackPost
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil || p.Text == "" {
			answer(map[string]any{"ok": false, "error": "no_text"})
			return
		}
		known := false
		for _, id := range f.users {
			known = known || id == p.Channel
		}
		if !known {
			answer(map[string]any{"ok": false, "error": "channel_not_found"})
			return
		}
		f.posts = append(f.posts, p)
		answer(map[string]any{"ok": true, "channel": "D" + p.Channel, "ts": "1700000000.000100"})
	default:
		answer(map[string]any{"ok": false, "error": "unknown_method"})
	}
}

func (f *fakeSlack) snapshot() (posts []slackPost, lookups map[string]int, requests int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	lookups = map[string]int{}
	for k, v := range f.lookups {
		lookups[k] = v
	}
	return append([]slackPost(nil), f.posts...), lookups, f.requests
}

// slackWorld is a database that asks by Slack too (or not, slackDM false),
// a fake Slack, and a worker pointed at it.
type slackWorld struct {
	*world
	slack  *fakeSlack
	worker *webhook.Slack
	integ  context.Context
}

func newSlackWorld(t *testing.T, engine string, slackDM bool, token string, log *slog.Logger) *slackWorld {
	c := &clock{t: time.Now().Truncate(time.Millisecond)}
	db := storetest.Open(t, engine, store.Options{Now: c.now, Mail: mailtext.Default(),
		PublicURL: "https://ally.test", SlackDM: slackDM})
	w := &slackWorld{world: &world{db: db, clock: c, op: ally.NewOperatorContext(context.Background())}}
	w.slack = newFakeSlack(t, map[string]string{"sam@example.org": "U0SAM"})
	var err error
	w.worker, err = webhook.NewSlack(webhook.SlackConfig{Queue: db, Token: token, APIURL: w.slack.URL + "/api",
		Log: log, Timing: webhook.Timing{Timeout: 2 * time.Second, Lease: time.Minute, FirstRetry: time.Minute,
			Now: c.now}})
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"sam@example.org", "kim@example.org"} {
		if _, err := db.CreateUser(w.op, &ally.NewUser{Email: email, Name: "Sam Lee", Role: ally.RoleReporter,
			Password: "correct horse battery"}); err != nil {
			t.Fatal(err)
		}
	}
	tok, err := db.IssueIntegrationToken(w.op, "okta", 0)
	if err != nil {
		t.Fatal(err)
	}
	okta, err := db.FindUserByToken(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	w.integ = ally.NewContextWithUser(context.Background(), okta)
	return w
}

func (w *slackWorld) signal(t *testing.T, typ, email string) *ally.Signal {
	t.Helper()
	s, err := w.db.SendSignal(w.integ, &ally.NewSignal{Source: "okta", Type: typ, SubjectEmail: email,
		Summary: "a sign-in to your account from Lisbon & Porto"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// step runs one claim of the worker and returns how many it claimed.
func (w *slackWorld) step(t *testing.T) int {
	t.Helper()
	n, err := w.worker.Step(w.op)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var slackLinkRE = regexp.MustCompile(`<https://ally\.test/signals/(\d+)/([A-Za-z0-9_-]+)>`)

// TestSlackDM: with a bot token, the person is asked by Slack DM too, with
// the question and the same signed link as the email; the link's POST
// records the answer. Someone Slack does not know is asked by email only,
// and Slack is not asked again about them. A 429 waits Retry-After, then
// the DM is delivered once.
func TestSlackDM(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			w := newSlackWorld(t, e, true, botToken, nil)
			s := w.signal(t, "new_place_sign_in", "sam@example.org")
			if n := w.step(t); n != 1 {
				t.Fatalf("claimed %d, want 1", n)
			}
			posts, _, _ := w.slack.snapshot()
			if len(posts) != 1 || posts[0].Channel != "U0SAM" {
				t.Fatalf("posts %+v", posts)
			}
			text := posts[0].Text
			if !strings.Contains(text, "Was this you?") || !strings.Contains(text, "Lisbon &amp; Porto") {
				t.Fatalf("DM text %q", text)
			}
			l := slackLinkRE.FindStringSubmatch(text)
			if l == nil || l[1] != strconv.FormatInt(s.ID, 10) {
				t.Fatalf("no answer link for signal %d in %q", s.ID, text)
			}
			if _, mailed := mailedLink(t, w.world, s.ID); mailed != l[2] {
				t.Fatalf("DM link token %q, email's %q", l[2], mailed)
			}
			// The words pass the tone engine as a reporter reads them.
			words := strings.ReplaceAll(slackLinkRE.ReplaceAllString(text, ""), "&amp;", "&")
			res := tone.Default().Check(words, tone.AudienceReporter)
			for _, f := range res.Findings {
				if f.Severity == tone.SeverityError {
					t.Fatalf("tone: %+v in %q", f, words)
				}
			}
			if res.Grade > 8 {
				t.Fatalf("grade %v of %q", res.Grade, words)
			}
			if got, err := w.db.AnswerSignal(context.Background(), s.ID, l[2], ally.AnswerYes); err != nil ||
				got.Status != ally.SignalConfirmed {
				t.Fatalf("answer through the DM's link: %+v, %v", got, err)
			}

			// Kim is not on Slack: looked up once, never again; the email went.
			k := w.signal(t, "new_place_sign_in", "kim@example.org")
			w.step(t)
			mailedLink(t, w.world, k.ID)
			w.clock.advance(3 * time.Hour)
			if n := w.step(t); n != 0 {
				t.Fatalf("an unknown person's DM was tried again (%d)", n)
			}
			if posts, lookups, _ := w.slack.snapshot(); len(posts) != 1 || lookups["kim@example.org"] != 1 {
				t.Fatalf("posts %d, kim looked up %d times", len(posts), lookups["kim@example.org"])
			}

			// Rate limited once: waits Retry-After (3 s), then delivered once.
			w.slack.mu.Lock()
			w.slack.limit = 1
			w.slack.mu.Unlock()
			m := w.signal(t, "mfa_approved", "sam@example.org")
			w.step(t)
			if posts, _, _ := w.slack.snapshot(); len(posts) != 1 {
				t.Fatalf("posted while rate limited: %d", len(posts))
			}
			w.clock.advance(2 * time.Second)
			if n := w.step(t); n != 0 {
				t.Fatalf("tried again before Retry-After (%d)", n)
			}
			w.clock.advance(2 * time.Second)
			if n := w.step(t); n != 1 {
				t.Fatalf("not tried after Retry-After (%d)", n)
			}
			w.clock.advance(3 * time.Hour)
			w.step(t)
			posts, _, _ = w.slack.snapshot()
			if len(posts) != 2 || !strings.Contains(posts[1].Text, "/signals/"+strconv.FormatInt(m.ID, 10)+"/") {
				t.Fatalf("after the rate limit: %+v", posts)
			}
		})
	}
}

// TestSlackDMOffWithoutToken: without a bot token nothing is queued for
// Slack, so even a worker pointed at Slack sends nothing; and the worker
// cannot be made without a token.
func TestSlackDMOffWithoutToken(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			w := newSlackWorld(t, e, false, botToken, nil)
			s := w.signal(t, "new_place_sign_in", "sam@example.org")
			mailedLink(t, w.world, s.ID)
			if n := w.step(t); n != 0 {
				t.Fatalf("claimed %d Slack messages", n)
			}
			if _, _, requests := w.slack.snapshot(); requests != 0 {
				t.Fatalf("Slack got %d requests", requests)
			}
		})
	}
	if _, err := webhook.NewSlack(webhook.SlackConfig{Queue: &store.DB{}}); err == nil {
		t.Fatal("a Slack worker without a token was made")
	}
}

// TestSlackDMRefusedToken: a token Slack refuses is logged once, clearly
// and without the token, and retried with a growing wait until a day has
// passed, then given up.
func TestSlackDMRefusedToken(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			var mu sync.Mutex
			log := slog.New(slog.NewTextHandler(&lockedWriter{mu: &mu, w: &logs}, nil))
			w := newSlackWorld(t, e, true, "xoxb-wrong-5678", log)
			w.signal(t, "new_place_sign_in", "sam@example.org")
			w.signal(t, "mfa_approved", "sam@example.org")
			tries := 0
			for range 40 {
				tries += w.step(t)
				w.clock.advance(time.Hour)
			}
			_, _, requests := w.slack.snapshot()
			mu.Lock()
			defer mu.Unlock()
			if n := strings.Count(logs.String(), "refused the bot token"); n != 1 {
				t.Fatalf("logged %d times:\n%s", n, logs.String())
			}
			if strings.Contains(logs.String(), "xoxb-") || !strings.Contains(logs.String(), "invalid_auth") {
				t.Fatalf("log %s", logs.String())
			}
			// Two messages, each tried about once an hour for a day, then failed.
			if tries < 2*20 || tries > 2*26 || requests != tries {
				t.Fatalf("%d tries, %d requests", tries, requests)
			}
		})
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestSlackWorkersShareTheQueue: two workers (two servers) claiming at once
// send each DM exactly once.
func TestSlackWorkersShareTheQueue(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			w := newSlackWorld(t, e, true, botToken, nil)
			types := []string{"new_place_sign_in", "mfa_approved", "mail_forwarding_rule", "password_changed",
				"large_download", "oauth_consent"}
			for _, typ := range types {
				w.signal(t, typ, "sam@example.org")
			}
			other, err := webhook.NewSlack(webhook.SlackConfig{Queue: w.db, Token: botToken,
				APIURL: w.slack.URL + "/api", Timing: webhook.Timing{Lease: time.Minute, Now: w.clock.now}})
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			for _, wk := range []*webhook.Slack{w.worker, other} {
				wg.Go(func() {
					for range 5 {
						if _, err := wk.Step(w.op); err != nil {
							t.Error(err)
						}
					}
				})
			}
			wg.Wait()
			posts, _, _ := w.slack.snapshot()
			seen := map[string]int{}
			for _, p := range posts {
				seen[slackLinkRE.FindString(p.Text)]++
			}
			if len(posts) != len(types) || len(seen) != len(types) {
				t.Fatalf("%d posts for %d signals: %v", len(posts), len(types), seen)
			}
		})
	}
}
