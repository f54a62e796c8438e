//go:build browser

package web

// Browser tests drive the real pages in headless Chromium. They are built
// only with `-tags browser` (so chromedp stays out of every other build) and
// need /usr/bin/chromium (or ALLY_CHROMIUM) and axe-core, installed with
// `cd web/testdata && npm ci`. Without those they skip with a message,
// unless ALLY_BROWSER_TESTS=1 makes them mandatory. ALLY_SCREENSHOTS=DIR
// saves a full-page PNG of every page checked.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/tone"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// axePath is where npm installs axe-core for the tests.
const axePath = "testdata/node_modules/axe-core/axe.min.js"

// browser is one headless Chromium shared by the subtests of a test.
type browser struct {
	ctx      context.Context // the first tab; it keeps the browser alive
	axe      string
	base     string
	shots    string
	noScript map[context.Context]bool // tabs with JavaScript turned off
}

// newBrowser starts Chromium for the test against the server at base, or
// skips the test when Chromium or axe-core is missing.
func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	missing := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if os.Getenv("ALLY_BROWSER_TESTS") == "1" {
			t.Fatal("ALLY_BROWSER_TESTS=1 but " + msg)
		}
		t.Skip("skipping browser test: " + msg + " (set ALLY_BROWSER_TESTS=1 to make it mandatory)")
	}
	exe := os.Getenv("ALLY_CHROMIUM")
	if exe == "" {
		exe = "/usr/bin/chromium"
	}
	if _, err := os.Stat(exe); err != nil {
		missing("no Chromium at %s: install it with `apt-get install chromium` or set ALLY_CHROMIUM", exe)
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		missing("axe-core is not installed: run `cd web/testdata && npm ci`")
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900))
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return &browser{ctx: ctx, axe: string(axe), base: base, shots: os.Getenv("ALLY_SCREENSHOTS"),
		noScript: map[context.Context]bool{}}
}

// tab opens a tab with its own cookies, so each person in a test has their
// own session.
func (b *browser) tab(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return ctx
}

// do runs steps with a time limit and fails the test, naming the page,
// when one fails.
func (b *browser) do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if _, err := runFor(ctx, chromedp.Steps(steps...)); err != nil {
		t.Fatalf("browser: %v (on %s)", err, b.location(ctx))
	}
}

// runFor runs one action with a 20-second limit.
func runFor[T any](ctx context.Context, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	return chromedp.Run(ctx, a)
}

func (b *browser) location(ctx context.Context) string {
	loc, _ := runFor(ctx, chromedp.Location())
	return loc
}

// open loads a page of the server.
func (b *browser) open(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	b.do(t, ctx, chromedp.Navigate(b.base+path))
}

// submit clicks a button and waits for the page it leads to.
func (b *browser) submit(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if _, err := runFor(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
		t.Fatalf("browser: submitting with %s: %v (on %s)", sel, err, b.location(ctx))
	}
}

// text returns the text of the first element matching sel.
func (b *browser) text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := runFor(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("browser: reading %s: %v (on %s)", sel, err, b.location(ctx))
	}
	return s
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := runFor(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("browser: evaluating %q: %v", js, err)
	}
	return v
}

// signIn signs in through the sign-in page.
func (b *browser) signIn(t *testing.T, ctx context.Context, email, password string) {
	t.Helper()
	b.open(t, ctx, "/login")
	b.do(t, ctx, chromedp.SendKeys(chromedp.ID("email"), email), chromedp.SendKeys(chromedp.ID("password"), password))
	b.submit(t, ctx, "form[action='/login'] button[type=submit]")
	if strings.Contains(b.location(ctx), "/login") {
		t.Fatalf("signing in as %s failed: %s", email, b.text(t, ctx, "main"))
	}
}

// axeViolation is one serious or critical finding of axe-core.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

const axeRun = `(async () => {
  const r = await axe.run(document, {resultTypes: ["violations"]});
  return JSON.stringify(r.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary)})));
})()`

// check runs axe-core on the current page and fails on serious or critical
// violations, and saves a screenshot named name when asked to.
func (b *browser) check(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if b.shots != "" {
		png, err := runFor(ctx, chromedp.FullScreenshot(100))
		if err == nil {
			err = os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644)
		}
		if err != nil {
			t.Errorf("screenshot %s: %v", name, err)
		}
	}
	if b.noScript[ctx] { // axe needs the page's timers: lend them for the check
		b.scripts(t, ctx, true)
		defer b.scripts(t, ctx, false)
	}
	if _, err := runFor(ctx, chromedp.Evaluate[chromedp.Void](b.axe)); err != nil {
		t.Fatalf("injecting axe-core on %s: %v", name, err)
	}
	var found []axeViolation
	if err := json.Unmarshal([]byte(eval[string](t, ctx, axeRun)), &found); err != nil {
		t.Fatalf("reading axe-core results on %s: %v", name, err)
	}
	for _, v := range found {
		t.Errorf("axe on %s (%s): %s [%s] %s\n\t%s", name, b.location(ctx), v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
}

// scripts turns JavaScript on or off in a tab.
func (b *browser) scripts(t *testing.T, ctx context.Context, on bool) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		t.Fatalf("turning JavaScript on=%v: %v", on, err)
	}
}

// people are the accounts the browser tests sign in as.
type people struct {
	reporter, responder, admin       string
	reporterPw, responderPw, adminPw string
}

func addPeople(t *testing.T, ts *testServer) people {
	return people{
		reporter: "rita@example.com", responder: "sam@example.com", admin: "ada@example.com",
		reporterPw:  ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance"),
		responderPw: ts.addUser(t, "sam@example.com", "Sam Okafor", ally.RoleResponder, "Security"),
		adminPw:     ts.addUser(t, "ada@example.com", "Ada Byrne", ally.RoleAdmin, "IT"),
	}
}

// withCase starts a server and Chromium with the usual people and one new
// case Rita reported ("A link in a text").
func withCase(t *testing.T) (*testServer, *browser, people, *ally.Case) {
	t.Helper()
	ts := newTestServer(t)
	b := newBrowser(t, ts.URL)
	p := addPeople(t, ts)
	c, err := ts.DB.CreateCase(asUser(t, ts, p.reporter), &ally.NewCase{Kind: ally.KindClickedLink, Summary: "A link in a text"})
	if err != nil {
		t.Fatal(err)
	}
	return ts, b, p, c
}

// TestBrowserJourney walks the whole story: a reporter reports, a responder
// answers with the help of the live tone check, resolves, and the reporter
// rates. Every page on the way is checked with axe-core.
func TestBrowserJourney(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t, ts.URL)
	p := addPeople(t, ts)
	rep, resp := b.tab(t), b.tab(t)
	var ref string

	t.Run("reporter reports", func(t *testing.T) {
		b.signIn(t, rep, p.reporter, p.reporterPw)
		b.text(t, rep, "a.btn.primary[href='/report']")
		b.check(t, rep, "home-empty")
		b.open(t, rep, "/report")
		b.check(t, rep, "report")
		b.do(t, rep, chromedp.Click(chromedp.CSS("input[name=kind][value=clicked_link]")),
			chromedp.WaitVisible(chromedp.CSS(".questions[data-kind=clicked_link]")))
		b.check(t, rep, "report-chosen")
		b.do(t, rep, chromedp.Click(chromedp.CSS(".questions[data-kind=clicked_link] input[type=radio][value=yes]")),
			chromedp.SendKeys(chromedp.ID("details"), "An email about my pay slip had a link. I clicked it and a page asked for my password."))
		b.submit(t, rep, "form[data-report] button[type=submit]")
		if h := b.text(t, rep, "h1"); !strings.Contains(h, "We have your report") {
			t.Fatalf("confirmation heading = %q; page:\n%s", h, b.text(t, rep, "main"))
		}
		ref = b.text(t, rep, "strong.ref")
		if !strings.HasPrefix(ref, ally.RefPrefix) {
			t.Fatalf("reference = %q", ref)
		}
		if n := eval[int](t, rep, `document.querySelectorAll("ol.steps li").length`); n == 0 {
			t.Error("the confirmation shows no first-aid steps")
		}
		b.check(t, rep, "sent")
		c, err := ts.DB.FindCase(ally.NewContextWithUser(context.Background(), &ally.User{ID: 0, Role: ally.RoleAdmin}), ref)
		if err != nil {
			t.Errorf("finding %s: %v", ref, err)
		} else if c.Answers["typed_password"] != "yes" {
			t.Errorf("answers = %v, want typed_password=yes", c.Answers)
		}
	})
	if ref == "" {
		t.FailNow()
	}

	t.Run("responder replies with the tone check's help", func(t *testing.T) {
		b.signIn(t, resp, p.responder, p.responderPw)
		if !strings.HasSuffix(b.location(resp), "/queue") {
			t.Errorf("a responder lands on %s, want the queue", b.location(resp))
		}
		if q := b.text(t, resp, "table.queue-table tbody"); !strings.Contains(q, ref) {
			t.Fatalf("the queue does not show %s:\n%s", ref, q)
		}
		b.check(t, resp, "queue")
		b.submit(t, resp, "a.qlink[href='/cases/"+ref+"']")
		b.check(t, resp, "case-responder")
		b.do(t, resp, chromedp.SendKeys(chromedp.ID("reply-body"), blamingReply))
		if want := ts.Srv.Tone.Check(blamingReply, tone.AudienceReporter); !want.HasError() {
			t.Fatalf("the tone engine finds no error in %q: %+v", blamingReply, want.Findings)
		}
		b.do(t, resp, chromedp.WaitVisible(chromedp.CSS("[data-tone-out] .finding")))
		live := eval[string](t, resp, `document.querySelector("[data-tone-out]").getAttribute("aria-live")`)
		if live != "polite" {
			t.Errorf("the findings region has aria-live=%q", live)
		}
		b.check(t, resp, "case-tone")
		// "Use this wording" on the first finding rewrites the blaming question as a whole sentence.
		b.do(t, resp, chromedp.Click(chromedp.CSS("[data-tone-out] .finding button")))
		after := eval[string](t, resp, `document.getElementById("reply-body").value`)
		if strings.Contains(after, "Why did you") || !strings.HasSuffix(after, "You should have known better.") ||
			strings.Contains(after, "? click") {
			t.Errorf(`"Use this wording" gave %q`, after)
		}
		b.do(t, resp, chromedp.Click(chromedp.CSS("form[data-tone-form] button.primary")))
		// One confirmation is asked when the reply still has an error-level finding.
		if _, err := runFor(resp, chromedp.Poll[bool](`location.search.includes("done=reply") ||
			!document.querySelector("[data-confirm]").hidden`)); err != nil {
			t.Fatalf("neither sent nor asked to confirm: %v", err)
		}
		if !strings.Contains(b.location(resp), "done=reply") {
			b.check(t, resp, "case-confirm")
			b.submit(t, resp, "[data-send-anyway]")
		}
		if loc := b.location(resp); !strings.Contains(loc, "done=reply") {
			t.Fatalf("the reply was not sent: the page is %s", loc)
		}
		if n := b.text(t, resp, "#timeline-notice"); n != notices["reply"] {
			t.Errorf("notice after sending = %q, want %q", n, notices["reply"])
		}
	})

	t.Run("reporter reads the reply", func(t *testing.T) {
		b.open(t, rep, "/cases/"+ref)
		if th := b.text(t, rep, "ol.thread"); !strings.Contains(th, "Sam Okafor") {
			t.Errorf("the reporter does not see the reply:\n%s", th)
		}
		b.check(t, rep, "case-reporter")
	})

	t.Run("responder resolves", func(t *testing.T) {
		resolveInBrowser(t, b, resp)
		if s := b.text(t, resp, ".badges"); !strings.Contains(s, statusNames[ally.StatusResolved]) {
			t.Errorf("status after resolving = %q", s)
		}
	})

	t.Run("reporter rates", func(t *testing.T) {
		b.open(t, rep, "/cases/"+ref)
		if h := b.text(t, rep, "#feedback-h"); h != "How did we do?" {
			t.Fatalf("feedback heading = %q", h)
		}
		b.check(t, rep, "case-rate")
		b.do(t, rep, chromedp.Click(chromedp.CSS("input[name=rating][value='5']")),
			chromedp.SendKeys(chromedp.ID("comment"), "Quick and kind. Thank you."))
		b.submit(t, rep, "#feedback button[type=submit]")
		if f := b.text(t, rep, "#feedback"); !strings.Contains(f, "Thank you") {
			t.Errorf("after rating: %q", f)
		}
		if eval[int](t, rep, `document.querySelectorAll("input[name=rating]").length`) != 0 {
			t.Error("the rating is asked again")
		}
	})
}

// pageVisit is a page to check as a signed-in user.
type pageVisit struct{ who, path, name string }

// checkPages signs each user in once per width (desktop, then 390 px) and
// checks every page: axe-core finds no serious or critical problem and, on
// the phone, nothing scrolls sideways. Every user's password is testPassword.
func (b *browser) checkPages(t *testing.T, pages []pageVisit) {
	t.Helper()
	for _, width := range []int{0, 390} {
		tabs := map[string]context.Context{}
		for _, pg := range pages {
			if _, ok := tabs[pg.who]; ok {
				continue
			}
			ctx := b.tab(t)
			if width > 0 {
				b.do(t, ctx, chromedp.EmulateViewport(int64(width), 844, chromedp.EmulateMobile))
			}
			b.signIn(t, ctx, pg.who, testPassword)
			tabs[pg.who] = ctx
		}
		for _, pg := range pages {
			name := pg.name
			if width > 0 {
				name = "phone-" + name
			}
			t.Run(name, func(t *testing.T) {
				ctx := tabs[pg.who]
				b.open(t, ctx, pg.path)
				if width > 0 {
					if sw := eval[int](t, ctx, `document.documentElement.scrollWidth`); sw > width {
						t.Errorf("%s is %d px wide at %d px: it scrolls sideways", pg.path, sw, width)
					}
				}
				b.check(t, ctx, name)
			})
		}
	}
}
