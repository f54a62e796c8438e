package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// topNotice finds a notice at the top of the page, the layout's.
var topNotice = regexp.MustCompile(`<main[^>]*>\s*<p class="(notice|alert)"`)

// noticeInSection returns the role and text of the notice standing in the
// case page's section id ("" when there is none there).
func noticeInSection(page, id string) (role, text string) {
	i := strings.Index(page, `id="`+id+`"`)
	if i < 0 {
		return "", ""
	}
	part := page[i:]
	if end := strings.Index(part, "</section>"); end >= 0 {
		part = part[:end]
	}
	m := regexp.MustCompile(`<p class="(?:notice|alert)" role="(status|alert)" id="` + id + `-notice">([^<]*)</p>`).
		FindStringSubmatch(part)
	if m == nil {
		return "", ""
	}
	return m[1], html.UnescapeString(m[2])
}

// TestSectionNotices: a form sent from a lower section of the case page
// (links, tasks, manage, resolve; a reporter's rating) comes back to that
// section (the redirect's fragment), and its confirmation stands there,
// announced, not at the top of the page. A refused change comes back in its
// section as an alert in plain words; a refused quick action (Acknowledge,
// Assign to me) by those buttons, above the sections.
func TestSectionNotices(t *testing.T) {
	ts, c, pc := ritasCase(t)
	other, err := ts.DB.CreateCase(asUser(t, ts, "rita@example.com"), &ally.NewCase{Kind: ally.KindOther,
		Summary: "Another odd email"})
	if err != nil {
		t.Fatal(err)
	}
	tasks, err := ts.DB.Tasks(asUser(t, ts, "sam@example.com"), c.Ref)
	if err != nil || len(tasks) == 0 {
		t.Fatalf("the case has %d tasks (%v); the test needs some", len(tasks), err)
	}
	back := func(t *testing.T, path string, form url.Values, wantLoc string) string {
		t.Helper()
		code, _, loc := pc.post(path, form)
		if code != http.StatusSeeOther || loc != wantLoc {
			t.Fatalf("POST %s: %d to %q, want 303 to %q", path, code, loc, wantLoc)
		}
		_, page, _ := pc.get(loc)
		if topNotice.MatchString(page) {
			t.Errorf("after POST %s a notice still stands at the top of the page", path)
		}
		return page
	}
	casePath := "/cases/" + c.Ref
	pc.get(casePath) // the form's CSRF token
	for _, tc := range []struct {
		name, path string
		form       url.Values
		loc, id    string
		want       string
	}{
		{"links", casePath + "/links", url.Values{"other": {other.Ref}, "type": {"related"}},
			casePath + "?done=linked#links", "links", notices["linked"]},
		{"tasks", casePath + "/tasks", url.Values{"done": {tasks[0].ID}},
			casePath + "?done=tasks#tasks", "tasks", notices["tasks"]},
		{"manage", casePath + "/update", url.Values{"section": {"manage"}, "severity": {"high"}},
			casePath + "?done=manage#manage", "manage", caseUpdated},
		{"resolve", casePath + "/resolve", url.Values{"anyway": {"1"},
			"outcome": {"Thank you, Rita. It was a fake parcel email, and we blocked it for everyone."}},
			casePath + "?done=resolved#resolve", "resolve", notices["resolved"]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := back(t, tc.path, tc.form, tc.loc)
			if role, text := noticeInSection(page, tc.id); role != "status" || text != tc.want {
				t.Errorf("in #%s: role %q, notice %q; want status %q", tc.id, role, text, tc.want)
			}
		})
	}

	t.Run("quick actions keep the top", func(t *testing.T) {
		code, _, loc := pc.post(casePath+"/update", url.Values{"assign_me": {"1"}})
		if code != http.StatusSeeOther || loc != casePath+"?done=update" {
			t.Fatalf("Assign to me: %d to %q", code, loc)
		}
	})

	t.Run("refused in its section", func(t *testing.T) {
		open, err := ts.DB.CreateCase(asUser(t, ts, "rita@example.com"), &ally.NewCase{Kind: ally.KindOther,
			Summary: "A third odd email"})
		if err != nil {
			t.Fatal(err)
		}
		code, page, _ := pc.post("/cases/"+open.Ref+"/update", url.Values{"section": {"manage"},
			"assignee": {"nobody@example.com"}})
		role, text := noticeInSection(page, "manage")
		if code < 400 || code >= 500 || role != "alert" || text == "" || strings.Contains(text, "assignee:") {
			t.Errorf("an unknown assignee: %d, in #manage %s %q; want a 4xx and an alert in plain words", code, role, text)
		}
		if topNotice.MatchString(page) {
			t.Error("the refusal stands at the top of the page")
		}
	})

	t.Run("refused quick action at the top", func(t *testing.T) {
		moved, err := ts.DB.CreateCase(asUser(t, ts, "rita@example.com"), &ally.NewCase{Kind: ally.KindOther,
			Summary: "A fourth odd email"})
		if err != nil {
			t.Fatal(err)
		}
		st := ally.StatusInvestigating // moved on meanwhile: Acknowledge is stale
		if _, err := ts.DB.UpdateCase(asUser(t, ts, "sam@example.com"), moved.Ref, ally.CaseUpdate{Status: &st}); err != nil {
			t.Fatal(err)
		}
		code, page, _ := pc.post("/cases/"+moved.Ref+"/update", url.Values{"status": {"acknowledged"}})
		alert := regexp.MustCompile(`<p class="alert" role="alert" id="actions-notice">([^<]+)</p>`).FindStringIndex(page)
		if code < 400 || code >= 500 || alert == nil || alert[0] > strings.Index(page, `class="case-grid"`) {
			t.Errorf("a stale Acknowledge: %d, alert at %v; want a 4xx and an alert above the sections", code, alert)
		}
		if role, _ := noticeInSection(page, "manage"); role != "" || topNotice.MatchString(page) {
			t.Errorf("the refusal also stands in #manage (%q) or at the top of the page", role)
		}
	})

	t.Run("reporter's rating", func(t *testing.T) {
		rep := newPageClient(t, ts)
		rep.signIn("rita@example.com", testPassword)
		rep.get(casePath)
		code, _, loc := rep.post(casePath+"/feedback", url.Values{"rating": {"5"}, "comment": {"Quick and kind."}})
		if code != http.StatusSeeOther || loc != casePath+"?done=feedback#feedback" {
			t.Fatalf("rating: %d to %q", code, loc)
		}
		_, page, _ := rep.get(loc)
		if role, text := noticeInSection(page, "feedback"); role != "status" || text != notices["feedback"] ||
			topNotice.MatchString(page) {
			t.Errorf("after rating: %s %q in #feedback, at the top %v", role, text, topNotice.MatchString(page))
		}
	})
}
