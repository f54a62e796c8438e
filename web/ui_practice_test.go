package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/roleplay"
)

// practiceWorld is a desk with a reporter, two responders and a lead.
type practiceWorld struct {
	ts                             *testServer
	reporter, trainee, other, lead string
}

func newPracticeWorld(t *testing.T) *practiceWorld {
	t.Helper()
	w := &practiceWorld{ts: newTestServer(t), reporter: "rita@example.com", trainee: "sam@example.com",
		other: "omar@example.com", lead: "lee@example.com"}
	w.ts.addUser(t, w.reporter, "Rita Lopez", ally.RoleReporter, "Finance")
	w.ts.addUser(t, w.trainee, "Sam Okafor", ally.RoleResponder, "Security")
	w.ts.addUser(t, w.other, "Omar Haddad", ally.RoleResponder, "Security")
	w.ts.addUser(t, w.lead, "Lee Chen", ally.RoleLead, "Security")
	return w
}

func (w *practiceWorld) client(t *testing.T, email string) *pageClient {
	pc := newPageClient(t, w.ts)
	pc.signIn(email, testPassword)
	return pc
}

// practiceScenario is the scenario the tests play.
const practiceScenario = "parcel-link-new-hire"

// transcript reads a test transcript of the roleplay package: one message
// a line, blank lines and # comments skipped.
func transcript(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "roleplay", "testdata", "transcripts", practiceScenario, name))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

var practiceLoc = regexp.MustCompile(`^/practice/(\d+)#(\w+)$`)

// start starts a session through the practice page's form and returns its id.
func startPractice(t *testing.T, pc *pageClient, scenario string) int64 {
	t.Helper()
	pc.get("/practice")
	code, body, loc := pc.post("/practice", url.Values{"scenario": {scenario}})
	m := practiceLoc.FindStringSubmatch(loc)
	if code != http.StatusSeeOther || m == nil {
		t.Fatalf("POST /practice: %d to %q\n%s", code, loc, body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// play sends each message through the reply form until the conversation
// ends, finishes it if it has not, and returns the debrief page.
func play(t *testing.T, pc *pageClient, id int64, msgs []string) string {
	t.Helper()
	path := "/practice/" + strconv.FormatInt(id, 10)
	ended := false
	for i, msg := range msgs {
		pc.get(path)
		code, body, loc := pc.post(path+"/say", url.Values{"message": {msg}})
		if code != http.StatusSeeOther {
			t.Fatalf("reply %d: %d\n%s", i+1, code, body)
		}
		if ended = strings.HasSuffix(loc, "#debrief"); ended {
			break
		}
		if !strings.HasSuffix(loc, "#latest") {
			t.Fatalf("reply %d went to %q", i+1, loc)
		}
	}
	if !ended {
		if code, body, loc := pc.post(path+"/stop", url.Values{}); code != http.StatusSeeOther || !strings.HasSuffix(loc, "#debrief") {
			t.Fatalf("finishing: %d to %q\n%s", code, loc, body)
		}
	}
	code, body, _ := pc.get(path)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d", path, code)
	}
	return body
}

var overallScore = regexp.MustCompile(`<span class="overall-score">(\d+)</span>`)

func overallOf(t *testing.T, page string) int {
	t.Helper()
	m := overallScore.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page shows no overall score")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func (w *practiceWorld) find(t *testing.T, email string, id int64) *ally.Practice {
	t.Helper()
	p, err := w.ts.DB.FindPractice(asUser(t, w.ts, email), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPracticeKindScoresAboveBlaming(t *testing.T) {
	w := newPracticeWorld(t)
	pc := w.client(t, w.trainee)
	sc, _ := w.ts.Srv.Scenarios.Get(practiceScenario)
	code, body, _ := pc.get("/practice")
	if code != http.StatusOK || !strings.Contains(body, `href="/practice"`) {
		t.Fatalf("GET /practice: %d, or no Practice link in the menu", code)
	}
	for _, want := range []string{sc.Title, sc.Persona.Name, sc.Persona.Role, string(sc.Persona.Temperament),
		`name="scenario" value="` + practiceScenario + `"`, "No sessions yet"} {
		if !strings.Contains(html.UnescapeString(body), want) {
			t.Errorf("the practice page does not show %q", want)
		}
	}
	if strings.Contains(body, "Team practice") {
		t.Error("a responder sees the team's practice")
	}

	kindID := startPractice(t, pc, practiceScenario)
	_, start, _ := pc.get("/practice/" + strconv.FormatInt(kindID, 10))
	start = html.UnescapeString(start)
	if !strings.Contains(start, sc.Opening) || !strings.Contains(start, "Your reply") {
		t.Error("a new session does not show the opening line and the reply box")
	}
	for _, f := range sc.Facts {
		if strings.Contains(start, f.Text) || strings.Contains(start, f.Says) {
			t.Errorf("the hidden fact %s shows before it is told", f.ID)
		}
	}

	kind := play(t, pc, kindID, transcript(t, "good.txt"))
	blameID := startPractice(t, pc, practiceScenario)
	blame := play(t, pc, blameID, transcript(t, "blaming.txt"))
	for name, page := range map[string]string{"kind": kind, "blaming": blame} {
		text := html.UnescapeString(page)
		for _, want := range []string{`id="debrief"`, "out of 100 overall", "Empathy", "Avoiding blame", "Facts gathered",
			"First steps", "Clarity", "Goals", "Reply by reply", sc.Facts[0].Text} {
			if !strings.Contains(text, want) {
				t.Errorf("the %s debrief does not show %q", name, want)
			}
		}
		if strings.Contains(page, `action="/practice/`) {
			t.Errorf("the %s session still has a reply form after ending", name)
		}
	}
	if !strings.Contains(html.UnescapeString(blame), "A kinder way to say it:") {
		t.Error("the blaming debrief offers no kinder phrasing")
	}
	k, b := overallOf(t, kind), overallOf(t, blame)
	if b >= k {
		t.Errorf("blaming scored %d, kind %d: blame should score lower", b, k)
	}
	for id, want := range map[int64]int{kindID: k, blameID: b} {
		p := w.find(t, w.trainee, id)
		if p.Ended == "" || p.Overall == nil || *p.Overall != want || p.Turns == 0 {
			t.Errorf("practice %d saved as ended=%q overall=%v turns=%d, want overall %d", id, p.Ended, p.Overall, p.Turns, want)
		}
	}
	_, list, _ := pc.get("/practice")
	if !strings.Contains(list, "overall "+strconv.Itoa(k)+" of 100") || !strings.Contains(list, "overall "+strconv.Itoa(b)+" of 100") {
		t.Error("Your sessions does not list both scores")
	}
	if code, _, _ := pc.post("/practice/"+strconv.FormatInt(kindID, 10)+"/say", url.Values{"message": {"Hello again"}}); code != http.StatusConflict {
		t.Errorf("a reply after the end: %d, want 409", code)
	}
}

func TestPracticeRefusesReplies(t *testing.T) {
	w := newPracticeWorld(t)
	pc := w.client(t, w.trainee)
	id := startPractice(t, pc, practiceScenario)
	path := "/practice/" + strconv.FormatInt(id, 10)
	pc.get(path)
	for msg, want := range map[string]string{
		"   \n ":                  "Please type a reply first.",
		strings.Repeat("a", 2001): "Please keep it under 2000",
	} {
		code, body, _ := pc.post(path+"/say", url.Values{"message": {msg}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, want) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("a reply of %d bytes: %d, want 422 with %q", len(msg), code, want)
		}
	}
	if p := w.find(t, w.trainee, id); p.Turns != 0 || p.Ended != "" {
		t.Errorf("refused replies were saved: turns=%d ended=%q", p.Turns, p.Ended)
	}
	if code, _, _ := pc.post("/practice", url.Values{"scenario": {"no-such-scenario"}}); code != http.StatusBadRequest {
		t.Errorf("an unknown scenario: %d, want 400", code)
	}
}

func TestPracticeIsPrivate(t *testing.T) {
	w := newPracticeWorld(t)
	trainee := w.client(t, w.trainee)
	id := startPractice(t, trainee, practiceScenario)
	path := "/practice/" + strconv.FormatInt(id, 10)
	play(t, trainee, id, transcript(t, "good.txt")[:2])

	rep := w.client(t, w.reporter)
	if _, body, _ := rep.get("/"); strings.Contains(body, `href="/practice"`) {
		t.Error("a reporter sees the Practice link")
	}
	for _, p := range []string{"/practice", path} {
		if code, body, _ := rep.get(p); code != http.StatusForbidden || !strings.Contains(body, "This page is not open to you") {
			t.Errorf("reporter GET %s: %d, want the 403 page", p, code)
		}
	}
	if code, _, _ := rep.post("/practice", url.Values{"scenario": {practiceScenario}}); code != http.StatusForbidden {
		t.Errorf("reporter POST /practice: %d, want 403", code)
	}

	other := w.client(t, w.other)
	if code, _, _ := other.get(path); code != http.StatusNotFound {
		t.Errorf("another responder GET %s: %d, want 404", path, code)
	}
	if code, _, _ := other.post(path+"/say", url.Values{"message": {"Hi there"}}); code != http.StatusNotFound {
		t.Errorf("another responder POST say: %d, want 404", code)
	}
	if _, body, _ := other.get("/practice"); strings.Contains(body, path) {
		t.Error("another responder's list shows the session")
	}
	if p := w.find(t, w.trainee, id); p.Ended == "" {
		t.Fatal("the session did not end")
	}
}

func TestPracticeLeadSeesTheTeam(t *testing.T) {
	w := newPracticeWorld(t)
	trainee := w.client(t, w.trainee)
	done := startPractice(t, trainee, practiceScenario)
	page := play(t, trainee, done, transcript(t, "good.txt"))
	score := overallOf(t, page)
	going := startPractice(t, trainee, practiceScenario)
	trainee.get("/practice/" + strconv.FormatInt(going, 10))
	if code, body, _ := trainee.post("/practice/"+strconv.FormatInt(going, 10)+"/say", url.Values{"message": {"Hi Sam, thanks for calling."}}); code != http.StatusSeeOther {
		t.Fatalf("a reply: %d\n%s", code, body)
	}

	lead := w.client(t, w.lead)
	code, body, _ := lead.get("/practice")
	if code != http.StatusOK {
		t.Fatalf("lead GET /practice: %d", code)
	}
	text := html.UnescapeString(body)
	for _, want := range []string{"Team practice", "Sam Okafor</strong>: 2 sessions, latest " + strconv.Itoa(score) + ", best " + strconv.Itoa(score),
		`href="/practice/` + strconv.FormatInt(done, 10) + `"`, `href="/practice/` + strconv.FormatInt(going, 10) + `"`} {
		if !strings.Contains(text, want) {
			t.Errorf("the lead's practice page does not show %q", want)
		}
	}

	for _, id := range []int64{done, going} {
		path := "/practice/" + strconv.FormatInt(id, 10)
		code, body, _ := lead.get(path)
		if code != http.StatusOK || !strings.Contains(body, "You can read this session but not reply.") ||
			!strings.Contains(body, `id="debrief"`) || strings.Contains(body, `action="`+path+`/say"`) {
			t.Errorf("lead GET %s: %d, or not shown read-only with its debrief", path, code)
		}
	}
	path := "/practice/" + strconv.FormatInt(going, 10)
	if code, _, _ := lead.post(path+"/say", url.Values{"message": {"Let me take over."}}); code != http.StatusForbidden {
		t.Errorf("lead POST say: %d, want 403", code)
	}
	if code, _, _ := lead.post(path+"/stop", url.Values{}); code != http.StatusForbidden {
		t.Errorf("lead POST stop: %d, want 403", code)
	}
	if p := w.find(t, w.trainee, going); p.Turns != 1 || p.Ended != "" {
		t.Errorf("the lead changed the session: turns=%d ended=%q", p.Turns, p.Ended)
	}
}

// Finishing early is recorded as stopped, not as out of turns: the debrief
// says so kindly, the lists say "Stopped early", and a session that used
// every turn still says "Finished".
func TestPracticeStoppedEarly(t *testing.T) {
	w := newPracticeWorld(t)
	pc := w.client(t, w.trainee)
	const scenario = "lost-laptop-train" // 8 turns
	stopped := startPractice(t, pc, scenario)
	page := html.UnescapeString(play(t, pc, stopped, []string{"Thanks for calling. Where did you last have it?"}))
	note := roleplay.EndNote(roleplay.EndStopped)
	if !strings.Contains(page, "Stopped early") || !strings.Contains(page, note) || strings.Contains(page, "Finished") {
		t.Errorf("the debrief of a stopped session does not say it was stopped early, kindly")
	}
	if p := w.find(t, w.trainee, stopped); p.Ended != string(roleplay.EndStopped) || p.Overall == nil {
		t.Errorf("saved as ended=%q overall=%v, want stopped with a score", p.Ended, p.Overall)
	}
	sc, _ := w.ts.Srv.Scenarios.Get(scenario)
	okays := make([]string, sc.MaxTurns)
	for i := range okays {
		okays[i] = "Okay."
	}
	used := startPractice(t, pc, scenario)
	page = html.UnescapeString(play(t, pc, used, okays))
	if !strings.Contains(page, "Finished") || strings.Contains(page, note) {
		t.Error("the debrief of a session out of turns does not say Finished, or says it was stopped")
	}
	if p := w.find(t, w.trainee, used); p.Ended != string(roleplay.EndOutOfTurns) || p.Turns != sc.MaxTurns {
		t.Errorf("saved as ended=%q after %d turns, want out_of_turns", p.Ended, p.Turns)
	}
	_, list, _ := pc.get("/practice")
	if strings.Count(list, "Stopped early") != 1 || strings.Count(list, "Finished") != 1 {
		t.Errorf("Your sessions should say Stopped early once and Finished once:\n%s", list)
	}
	// A lead reading the session sees how it ended; the note is for the trainee.
	_, lead, _ := w.client(t, w.lead).get("/practice/" + strconv.FormatInt(stopped, 10))
	if lead = html.UnescapeString(lead); !strings.Contains(lead, "Stopped early") || strings.Contains(lead, note) {
		t.Error("a lead does not see Stopped early, or sees the note meant for the trainee")
	}
}

// addPractices records n sessions of scenario for email through the store,
// the first ended with score first and the rest ended with score rest; it
// returns their ids, oldest first.
func (w *practiceWorld) addPractices(t *testing.T, email string, n, first, rest int) []int64 {
	t.Helper()
	sc, _ := w.ts.Srv.Scenarios.Get(practiceScenario)
	data, err := json.Marshal(roleplay.Start(sc))
	if err != nil {
		t.Fatal(err)
	}
	ctx := asUser(t, w.ts, email)
	var ids []int64
	for i := range n {
		p := &ally.Practice{Scenario: sc.ID, Title: sc.Title, Session: data}
		if err := w.ts.DB.StartPractice(ctx, p); err != nil {
			t.Fatal(err)
		}
		score := rest
		if i == 0 {
			score = first
		}
		p.Turns, p.Ended, p.Overall = 1, string(roleplay.EndStopped), &score
		if err := w.ts.DB.SavePractice(ctx, p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	return ids
}

var practiceHref = regexp.MustCompile(`href="/practice/(\d+)"`)

// practiceIDs returns the ids of the sessions a page of a list links to,
// in order, from the part of the page between the headings from and to
// ("" for the end of the page).
func practiceIDs(t *testing.T, page, from, to string) []int64 {
	t.Helper()
	i := strings.Index(page, from)
	if i < 0 {
		t.Fatalf("no %q in the page", from)
	}
	part := page[i:]
	if j := strings.Index(part, to); to != "" && j >= 0 {
		part = part[:j]
	}
	var out []int64
	for _, m := range practiceHref.FindAllStringSubmatch(part, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, id)
	}
	return out
}

// practiceNewestFirst returns ids (oldest first) reversed.
func practiceNewestFirst(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Reverse(out)
	return out
}

// Both lists of the practice page show a page of sessions at a time, with
// a link to older ones; following it shows the rest, nothing twice. Team
// progress counts every session, not just the first page's.
func TestPracticePaging(t *testing.T) {
	w := newPracticeWorld(t)
	sam := w.addPractices(t, w.trainee, practicePageSize+5, 95, 40) // Sam's best is his oldest session
	omar := w.addPractices(t, w.other, 3, 70, 70)

	pc := w.client(t, w.trainee)
	code, first, _ := pc.get("/practice")
	if code != http.StatusOK {
		t.Fatalf("GET /practice: %d", code)
	}
	if got := practiceIDs(t, first, `id="mine-h"`, ""); !slices.Equal(got, practiceNewestFirst(sam)[:practicePageSize]) {
		t.Errorf("the first page of Your sessions is %v, want the newest %d", got, practicePageSize)
	}
	older := html.UnescapeString(regexpFind(t, first, `href="(/practice\?mine=\d+#mine-h)" rel="next"`))
	if strings.Contains(first, "Newest sessions") {
		t.Error("the first page links to the newest sessions")
	}
	code, second, _ := pc.get(older)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d", older, code)
	}
	if got := practiceIDs(t, second, `id="mine-h"`, ""); !slices.Equal(got, practiceNewestFirst(sam)[practicePageSize:]) {
		t.Errorf("the second page of Your sessions is %v, want the oldest 5 and nothing else", got)
	}
	if strings.Contains(second, `rel="next"`) || !strings.Contains(second, `href="/practice#mine-h"`) {
		t.Error("the last page links to older sessions, or not back to the newest")
	}

	lead := w.client(t, w.lead)
	_, first, _ = lead.get("/practice?mine=5")
	team := practiceNewestFirst(append(slices.Clone(sam), omar...))
	if got := practiceIDs(t, first, `id="team-all-h"`, ""); !slices.Equal(got, team[:practicePageSize]) {
		t.Errorf("the first page of the team's sessions is %v, want the newest %d", got, practicePageSize)
	}
	if !strings.Contains(first, "No older sessions.") {
		t.Error("a lead with no sessions before the cursor is not told there are no older ones")
	}
	// The team's link keeps the page of Your sessions.
	older = html.UnescapeString(regexpFind(t, first, `href="(/practice\?mine=5&amp;team=\d+#team-all-h)" rel="next"`))
	_, second, _ = lead.get(older)
	got := practiceIDs(t, second, `id="team-all-h"`, "")
	if !slices.Equal(got, team[practicePageSize:]) {
		t.Errorf("the second page of the team's sessions is %v, want %v", got, team[practicePageSize:])
	}
	text := html.UnescapeString(first)
	for _, want := range []string{
		"Omar Haddad</strong>: 3 sessions, latest 70, best 70",
		"Sam Okafor</strong>: " + strconv.Itoa(len(sam)) + " sessions, latest 40, best 95",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the progress does not say %q", want)
		}
	}
	if strings.Index(text, "Omar Haddad</strong>") > strings.Index(text, "Sam Okafor</strong>") {
		t.Error("the progress does not list the most recently active trainee first")
	}
	if second = html.UnescapeString(second); !strings.Contains(second, "Sam Okafor</strong>: "+strconv.Itoa(len(sam))+" sessions") {
		t.Error("the progress changes on the team's second page")
	}

	for _, bad := range []string{"/practice?mine=x", "/practice?mine=0", "/practice?mine=-4", "/practice?team=1.5"} {
		code, body, _ := lead.get(bad)
		if code != http.StatusBadRequest || !strings.Contains(body, "That link to older sessions is not right") {
			t.Errorf("GET %s: %d, want 400 with a clear message", bad, code)
		}
	}
}
