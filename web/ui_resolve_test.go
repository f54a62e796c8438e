package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// TestResolveStep: the case page resolves only with an outcome for the
// reporter, warns about open tasks first, keeps what was typed when it
// refuses, and the reporter's resolved view puts the conversation first.
func TestResolveStep(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	c, err := ts.DB.CreateCase(asUser(t, ts, "rita@example.com"), &ally.NewCase{Kind: ally.KindClickedLink, Summary: "A link"})
	if err != nil {
		t.Fatal(err)
	}
	pc := newPageClient(t, ts)
	pc.signIn("sam@example.com", ts.addUser(t, "sam@example.com", "Sam Okafor", ally.RoleResponder, "Security"))
	sam := asUser(t, ts, "sam@example.com")
	tasks, _ := ts.DB.Tasks(sam, c.Ref)
	_, page, _ := pc.get("/cases/" + c.Ref)
	for _, want := range []string{`action="/cases/` + c.Ref + `/resolve#resolve"`, "Hi Rita, " + c.Ref + " is resolved",
		openTasksText(len(tasks)), ">Acknowledge</button>", ">Assign to me</button>", "Up to 20,000 characters."} {
		if !strings.Contains(page, want) {
			t.Errorf("the case page lacks %q", want)
		}
	}
	if strings.Contains(page, `<option value="resolved"`) {
		t.Error("the status menu still resolves without an outcome")
	}

	// One click acknowledges; one click assigns.
	if code, _, _ := pc.post("/cases/"+c.Ref+"/update", url.Values{"status": {"acknowledged"}}); code != http.StatusSeeOther {
		t.Fatalf("acknowledge: %d", code)
	}
	if code, _, _ := pc.post("/cases/"+c.Ref+"/update", url.Values{"assign_me": {"1"}}); code != http.StatusSeeOther {
		t.Fatalf("assign to me: %d", code)
	}
	if got, _ := ts.DB.FindCase(sam, c.Ref); got.Status != ally.StatusAcknowledged || got.Assignee == nil ||
		got.Assignee.Email != "sam@example.com" {
		t.Fatalf("after the one-click buttons: %s %v", got.Status, got.Assignee)
	}

	// Choosing "resolved" from the status menu sends the responder to the resolve step.
	if code, _, loc := pc.post("/cases/"+c.Ref+"/update", url.Values{"status": {"resolved"}}); code != http.StatusSeeOther ||
		!strings.HasSuffix(loc, "#resolve") {
		t.Fatalf("status resolved from the menu: %d %s", code, loc)
	}
	outcome := "Hi Rita, all sorted: we blocked the link. Thank you for telling us so fast."
	code, body, _ := pc.post("/cases/"+c.Ref+"/resolve", url.Values{"outcome": {outcome}})
	if code != http.StatusConflict || !strings.Contains(body, openTasksText(len(tasks))) ||
		!strings.Contains(body, outcome) || !strings.Contains(body, "Resolve anyway") {
		t.Fatalf("resolving with open tasks: %d, want the warning with the outcome kept", code)
	}
	code, body, _ = pc.post("/cases/"+c.Ref+"/resolve", url.Values{"outcome": {"  "}, "anyway": {"1"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="outcome-error"`) {
		t.Fatalf("resolving without an outcome: %d", code)
	}
	blame := "Why did you click that? You should have known better."
	code, body, _ = pc.post("/cases/"+c.Ref+"/resolve", url.Values{"outcome": {blame}, "anyway": {"1"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Before you send") || !strings.Contains(body, blame) {
		t.Fatalf("a blaming outcome: %d, want it held with the text kept", code)
	}
	if got, _ := ts.DB.FindCase(sam, c.Ref); got.Status != ally.StatusAcknowledged {
		t.Fatalf("a refused resolve changed the status to %s", got.Status)
	}
	if code, _, loc := pc.post("/cases/"+c.Ref+"/resolve", url.Values{"outcome": {outcome}, "anyway": {"1"}}); code !=
		http.StatusSeeOther || !strings.Contains(loc, "done=resolved") {
		t.Fatalf("resolve anyway: %d %s", code, loc)
	}

	rep := newPageClient(t, ts)
	rep.signIn("rita@example.com", testPassword)
	_, body, _ = rep.get("/cases/" + c.Ref)
	msgs, rate := strings.Index(body, `id="messages-h"`), strings.Index(body, "How did we do?")
	if msgs < 0 || rate < 0 || msgs > rate {
		t.Errorf("the resolved view should show the messages (%d) before the rating (%d)", msgs, rate)
	}
	if !strings.Contains(body, "we blocked the link") {
		t.Error("the reporter does not read the outcome")
	}
	for _, gone := range []string{"Your checklist", `id="files-h"`} {
		if strings.Contains(body, gone) {
			t.Errorf("the resolved view still shows %q", gone)
		}
	}
	comment := "Kind and quick. 日本語でありがとう。"
	code, body, _ = rep.post("/cases/"+c.Ref+"/feedback", url.Values{"comment": {comment}})
	if code != http.StatusBadRequest || !strings.Contains(body, comment) || !strings.Contains(body, askRatingAgain) {
		t.Fatalf("a rating without a score: %d, want the comment kept and a kind word", code)
	}
	if code, _, _ := rep.post("/cases/"+c.Ref+"/feedback", url.Values{"rating": {"5"}, "comment": {comment}}); code != http.StatusSeeOther {
		t.Fatalf("rating: %d", code)
	}
}

// TestRefusedReplyKeepsTheText: an over-long reply comes back with the text
// in the box and the problem next to it; the limit counts characters, so a
// long Japanese message well under 20,000 characters is taken.
func TestRefusedReplyKeepsTheText(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	c, err := ts.DB.CreateCase(asUser(t, ts, "rita@example.com"), &ally.NewCase{Kind: ally.KindOther})
	if err != nil {
		t.Fatal(err)
	}
	rep := newPageClient(t, ts)
	rep.signIn("rita@example.com", testPassword)
	rep.get("/cases/" + c.Ref)
	long := strings.Repeat("とても長い", 4001) // 20,005 characters
	code, body, _ := rep.post("/cases/"+c.Ref+"/messages", url.Values{"body": {long}})
	if code != http.StatusBadRequest || !strings.Contains(body, long) || !strings.Contains(body, `id="body-error"`) ||
		!strings.Contains(body, "longer than 20,000 characters") {
		t.Fatalf("an over-long message: %d, want the text kept and the problem by the box", code)
	}
	japanese := strings.Repeat("日本語の文章", 1400) // 8,400 characters, 25,200 bytes
	if code, _, _ := rep.post("/cases/"+c.Ref+"/messages", url.Values{"body": {japanese}}); code != http.StatusSeeOther {
		t.Fatalf("8,400 Japanese characters: %d, want them taken", code)
	}
}

// TestAPIResolveNeedsOutcome: the contract change of issue 18, as the API
// answers it.
func TestAPIResolveNeedsOutcome(t *testing.T) {
	w := newAPIWorld(t)
	ref := w.newCase(t, false)
	st, body := w.call(t, "lead", "PATCH", "/api/v1/cases/"+ref, map[string]any{"status": "resolved"})
	e, _ := body["error"].(map[string]any)
	if st != http.StatusUnprocessableEntity || e["code"] != ally.EREQUIRED ||
		!strings.HasPrefix(e["message"].(string), "outcome: ") {
		t.Fatalf("resolve without outcome: %d %v", st, body)
	}
	st, body = w.call(t, "lead", "PATCH", "/api/v1/cases/"+ref, map[string]any{"status": "resolved",
		"outcome": "Why did you click that? You should have known better."})
	if st != http.StatusUnprocessableEntity || body["tone"] == nil {
		t.Fatalf("a blaming outcome: %d %v", st, body)
	}
	st, body = w.call(t, "lead", "PATCH", "/api/v1/cases/"+ref, map[string]any{"status": "resolved",
		"outcome": "All sorted: we blocked the link. Thank you for telling us."})
	if st != http.StatusOK || body["status"] != "resolved" {
		t.Fatalf("resolve with outcome: %d %v", st, body)
	}
}

// TestReversedDatesKeepTheRest: dates the wrong way round are refused next
// to the dates, with what was typed and the other filters kept, and the
// page still shows the default days' figures.
func TestReversedDatesKeepTheRest(t *testing.T) {
	ts := newTestServer(t)
	pc := newPageClient(t, ts)
	pc.signIn("lee@example.com", ts.addUser(t, "lee@example.com", "Lee Park", ally.RoleLead, "Security"))
	for _, path := range []string{"/dashboard?kind=lost_device&from=2026-11-20&to=2026-11-01",
		"/insights?from=2026-11-20&to=2026-11-01"} {
		code, body, _ := pc.get(path)
		if code != http.StatusBadRequest || !strings.Contains(body, `id="f-dates-error"`) ||
			!strings.Contains(body, "The first day must come before the last day.") ||
			!strings.Contains(body, `value="2026-11-20"`) || !strings.Contains(body, "The figures below are for the last") {
			t.Errorf("%s: %d, want the page with the problem next to the dates and the dates kept", path, code)
		}
		if strings.HasPrefix(path, "/dashboard") && !strings.Contains(body, `value="lost_device" selected`) {
			t.Errorf("%s: the kind filter was lost", path)
		}
	}
}

// TestBadPeriodIsSaid: a ?period= that is not one of the links is refused
// like bad dates (400, the problem next to the dates, the default days'
// figures), not silently replaced by the default.
func TestBadPeriodIsSaid(t *testing.T) {
	ts := newTestServer(t)
	pc := newPageClient(t, ts)
	pc.signIn("lee@example.com", ts.addUser(t, "lee@example.com", "Lee Park", ally.RoleLead, "Security"))
	for _, c := range []struct{ path, days string }{
		{"/dashboard?kind=lost_device&period=abc", "30"}, {"/insights?period=7", "90"}} {
		code, body, _ := pc.get(c.path)
		if code != http.StatusBadRequest || !strings.Contains(body, `id="f-dates-error"`) ||
			!strings.Contains(body, "is not one of the periods offered") ||
			!strings.Contains(body, "The figures below are for the last "+c.days+" days.") {
			t.Errorf("%s: %d, want 400 with the problem next to the dates", c.path, code)
		}
	}
	if code, _, _ := pc.get("/dashboard?period=7"); code != http.StatusOK {
		t.Errorf("/dashboard?period=7: %d", code)
	}
}
