package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// TestLeadTeachesTone: a lead marks a responder's reply "reads as blaming"
// on the tone page; a similar new reply, which went through before, is then
// held back by the case service's gate (422 held through the API) and the
// API's tone check flags it too. Only leads may teach, and only with the
// CSRF token.
func TestLeadTeachesTone(t *testing.T) {
	w := newAPIWorld(t)
	ref := w.newCase(t, false)
	path := "/api/v1/cases/" + ref + "/messages"
	first := "Dana went full pineapple on that invoice."
	similar := "Full pineapple on the invoice today."
	for _, body := range []string{first, similar} {
		if st, out := w.call(t, "responder", "POST", path, map[string]any{"body": body}); st != http.StatusCreated {
			t.Fatalf("before any mark, %q: %d %v, want 201", body, st, out)
		}
	}
	if held := toneErrors(t, w, similar); held != 0 {
		t.Fatalf("before any mark the tone check has %d errors on %q; pick a reply it misses", held, similar)
	}

	responder := newPageClient(t, w.testServer)
	responder.signIn("responder2@example.org", w.addUser(t, "responder2@example.org", "Res Ponder", ally.RoleResponder, ""))
	if code, _, _ := responder.get("/tone"); code != http.StatusForbidden {
		t.Fatalf("responder on /tone: %d, want 403", code)
	}

	lead := newPageClient(t, w.testServer)
	lead.signIn("teacher@example.org", w.addUser(t, "teacher@example.org", "Tea Cher", ally.RoleLead, ""))
	code, page, _ := lead.get("/tone")
	if code != http.StatusOK {
		t.Fatalf("lead on /tone: %d", code)
	}
	id := replyID(t, page, first)
	if code, _, _ := lead.post("/tone/"+id, url.Values{"verdict": {"blame"}, "csrf_token": {"forged"}}); code != http.StatusForbidden {
		t.Fatalf("mark with a forged CSRF token: %d, want 403", code)
	}
	if code, body, _ := lead.post("/tone/"+id, url.Values{"verdict": {"maybe"}}); code != http.StatusBadRequest ||
		!strings.Contains(body, "This reads as blaming") {
		t.Fatalf("mark with no verdict: %d, want 400 saying what to choose", code)
	}
	if toneErrors(t, w, similar) != 0 {
		t.Fatal("a refused mark changed the tone check")
	}
	code, _, loc := lead.post("/tone/"+id, url.Values{"verdict": {"blame"}})
	if code != http.StatusSeeOther || loc != "/tone?done=tone#reply-"+id {
		t.Fatalf("mark as blaming: %d to %q, want back at the reply", code, loc)
	}
	_, page, _ = lead.get(loc)
	if marked := regexp.MustCompile(`(?s)id="reply-` + id + `".*?</li>`).FindString(page); !strings.Contains(marked,
		"Marked: this reads as blaming.") {
		t.Errorf("the marked reply does not show its mark:\n%s", marked)
	}

	st, out := w.call(t, "responder", "POST", path, map[string]any{"body": similar})
	if errBody, _ := out["error"].(map[string]any); st != http.StatusUnprocessableEntity || errBody["code"] != "held" {
		t.Fatalf("similar reply after the mark: %d %v, want 422 held", st, out)
	}
	if toneErrors(t, w, similar) == 0 {
		t.Fatal("POST /api/v1/tone/check does not use the lead's mark")
	}
	kind := "Thanks for telling us so quickly. You did the right thing."
	if st, out := w.call(t, "responder", "POST", path, map[string]any{"body": kind}); st != http.StatusCreated {
		t.Fatalf("kind reply after the mark: %d %v, want 201", st, out)
	}
}

// toneErrors counts the error-level findings of POST /api/v1/tone/check.
func toneErrors(t *testing.T, w *apiWorld, text string) int {
	t.Helper()
	st, out := w.call(t, "responder", "POST", "/api/v1/tone/check", map[string]any{"text": text, "audience": "reporter"})
	if st != http.StatusOK {
		t.Fatalf("tone check: %d %v", st, out)
	}
	n := 0
	for _, f := range out["findings"].([]any) {
		if f.(map[string]any)["severity"] == "error" {
			n++
		}
	}
	return n
}

// replyID finds the mark form of the reply with text on the tone page.
func replyID(t *testing.T, page, text string) string {
	t.Helper()
	at := strings.Index(page, htmlEscape(text))
	if at < 0 {
		t.Fatalf("the tone page does not list %q", text)
	}
	m := regexp.MustCompile(`action="/tone/(\d+)"`).FindStringSubmatch(page[at:])
	if m == nil {
		t.Fatal("the reply has no mark form")
	}
	return m[1]
}

// TestTonePaging: the tone page shows the newest toneLimit replies and
// links to older ones, so every reply can be marked; a mark made on an
// older page comes back to that page, at the reply; a link with a bad
// cursor is a 400 that says so.
func TestTonePaging(t *testing.T) {
	w := newAPIWorld(t)
	ref := w.newCase(t, false)
	ctx := asUser(t, w.testServer, "responder@example.org")
	body := func(n int) string { return fmt.Sprintf("Thanks, we are looking at it now (update %d).", n) }
	for n := 1; n <= toneLimit+2; n++ {
		if _, err := w.DB.AddMessage(ctx, ref, ally.NewMessage{Body: body(n)}); err != nil {
			t.Fatal(err)
		}
	}
	lead := newPageClient(t, w.testServer)
	lead.signIn("pager@example.org", w.addUser(t, "pager@example.org", "Pa Ger", ally.RoleLead, ""))
	_, page, _ := lead.get("/tone")
	shown := func(page string, n int) bool { return strings.Contains(page, htmlEscape(body(n))+"</blockquote>") }
	if !shown(page, toneLimit+2) || !shown(page, 3) || shown(page, 2) || strings.Count(page, "<blockquote>") != toneLimit {
		t.Fatalf("the first page should show the newest %d replies, down to update 3", toneLimit)
	}
	older := regexpFind(t, page, `href="(/tone\?cursor=\d+)&amp;back=" rel="next">Older replies`)
	code, page, _ := lead.get(older)
	if code != http.StatusOK || !shown(page, 2) || !shown(page, 1) || shown(page, 3) || strings.Contains(page, "Older replies</a>") {
		t.Fatalf("the older page: %d; want updates 2 and 1 only, and no link further", code)
	}
	id := replyID(t, page, body(1))
	cursor := strings.TrimPrefix(older, "/tone?cursor=")
	code, _, loc := lead.post("/tone/"+id, url.Values{"verdict": {"fine"}, "cursor": {cursor}})
	if code != http.StatusSeeOther || loc != "/tone?cursor="+cursor+"&done=tone#reply-"+id {
		t.Fatalf("mark on the older page: %d to %q, want back on that page at the reply", code, loc)
	}
	if _, page, _ = lead.get(loc); !strings.Contains(page, `id="reply-`+id+`"`) || !strings.Contains(page, "Marked: this is fine.") {
		t.Error("back on the older page, the marked reply is not there with its mark")
	}
	for _, q := range []string{"x", "abc", "0", "-4", "1.5"} {
		if code, page, _ := lead.get("/tone?cursor=" + q); code != http.StatusBadRequest ||
			!strings.Contains(page, "That link to older replies is not right") {
			t.Errorf("/tone?cursor=%s: %d, want 400 saying the link is not right", q, code)
		}
	}
}
