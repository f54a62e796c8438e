package web

import (
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// TestLinkDuplicates: from the case page, a case becomes a duplicate of
// another; a wrong reference comes back typed, with the problem next to the
// field; the surviving case shows the duplicate's timeline; the duplicate's
// reporter is told kindly. The API links and lists the same way.
func TestLinkDuplicates(t *testing.T) {
	ts, dup, pc := ritasCase(t)
	ts.addUser(t, "ben@example.com", "Ben Ode", ally.RoleReporter, "Sales")
	survivor, err := ts.DB.CreateCase(asUser(t, ts, "ben@example.com"), &ally.NewCase{Kind: ally.KindSuspiciousEmail,
		Summary: "Same parcel email"})
	if err != nil {
		t.Fatal(err)
	}
	pc.get("/cases/" + dup.Ref)
	code, body, _ := pc.post("/cases/"+dup.Ref+"/links", url.Values{"other": {"AL-99999"}, "type": {"duplicate"}})
	if code != http.StatusNotFound || !strings.Contains(body, `value="AL-99999"`) || !strings.Contains(body, `id="link-error"`) {
		t.Fatalf("an unknown reference: %d, want the page with the reference kept and the problem by the field", code)
	}
	if code, _, loc := pc.post("/cases/"+dup.Ref+"/links", url.Values{"other": {survivor.Ref}, "type": {"duplicate"}}); code !=
		http.StatusSeeOther || !strings.Contains(loc, "done=linked") {
		t.Fatalf("link: %d %s", code, loc)
	}
	_, page, _ := pc.get("/cases/" + survivor.Ref)
	for _, want := range []string{`id="links-h"`, `href="/cases/` + dup.Ref + `"`, "a duplicate of this case",
		"Timeline of " + dup.Ref, html.EscapeString(ally.DuplicateJoined)} {
		if !strings.Contains(page, want) {
			t.Errorf("the surviving case's page lacks %q", want)
		}
	}
	rep := newPageClient(t, ts)
	rep.signIn("rita@example.com", testPassword)
	if _, mine, _ := rep.get("/cases/" + dup.Ref); !strings.Contains(mine, html.EscapeString(ally.DuplicateJoined)) ||
		strings.Contains(mine, survivor.Ref) {
		t.Error("the duplicate's reporter is not told kindly, or sees the other reporter's case")
	}

	w := newAPIWorld(t)
	a, b := w.newCase(t, false), w.newCase(t, false)
	st, l := w.call(t, "lead", "POST", "/api/v1/cases/"+a+"/links", map[string]any{"ref": b, "type": "related"})
	if st != http.StatusCreated || l["ref"] != b || l["role"] != "related" {
		t.Fatalf("API link: %d %v", st, l)
	}
	if st, l := w.call(t, "lead", "POST", "/api/v1/cases/"+a+"/links", map[string]any{"ref": b, "type": "related"}); st !=
		http.StatusConflict {
		t.Fatalf("API link again: %d %v", st, l)
	}
	if st, l := w.call(t, "reporterA", "POST", "/api/v1/cases/"+a+"/links", map[string]any{"ref": b, "type": "related"}); st !=
		http.StatusForbidden {
		t.Fatalf("API link by a reporter: %d %v", st, l)
	}
	st, list := w.call(t, "lead", "GET", "/api/v1/cases/"+b+"/links", nil)
	if items, _ := list["items"].([]any); st != http.StatusOK || len(items) != 1 {
		t.Fatalf("API links: %d %v", st, list)
	}
}

// TestDepartmentsManagedList: departments are a list admins keep (page and
// API); every account's department is on it; the dashboard offers it.
func TestDepartmentsManagedList(t *testing.T) {
	w := newAPIWorld(t)
	st, body := w.call(t, "admin", "POST", "/api/v1/departments", map[string]any{"name": "  Legal  "})
	if st != http.StatusCreated || body["name"] != "Legal" {
		t.Fatalf("add: %d %v", st, body)
	}
	if st, body := w.call(t, "admin", "POST", "/api/v1/departments", map[string]any{"name": "Legal"}); st != http.StatusConflict {
		t.Fatalf("add again: %d %v", st, body)
	}
	if st, body := w.call(t, "lead", "POST", "/api/v1/departments", map[string]any{"name": "Ops"}); st != http.StatusForbidden {
		t.Fatalf("a lead adds: %d %v", st, body)
	}
	if st, body := w.call(t, "reporterA", "GET", "/api/v1/departments", nil); st != http.StatusForbidden {
		t.Fatalf("a reporter lists: %d %v", st, body)
	}
	st, body = w.call(t, "lead", "GET", "/api/v1/departments", nil)
	items, _ := body["items"].([]any)
	if st != http.StatusOK || !slices.Contains(items, any("Legal")) || len(items) < 2 {
		t.Fatalf("list: %d %v (want Legal and the accounts' departments)", st, body)
	}

	ts := newTestServer(t)
	pc := newPageClient(t, ts)
	pc.signIn("ada@example.com", ts.addUser(t, "ada@example.com", "Ada Byrne", ally.RoleAdmin, "IT"))
	pc.get("/admin/users")
	code, page, _ := pc.post("/admin/departments", url.Values{"name": {strings.Repeat("x", 101)}})
	if code != http.StatusBadRequest || !strings.Contains(page, `id="dept-error"`) || !strings.Contains(page, strings.Repeat("x", 101)) {
		t.Fatalf("a long name: %d, want it kept with the problem next to the field", code)
	}
	if code, _, _ := pc.post("/admin/departments", url.Values{"name": {"Legal"}}); code != http.StatusSeeOther {
		t.Fatalf("add from the page: %d", code)
	}
	_, dash, _ := pc.get("/dashboard")
	if !strings.Contains(dash, `<option value="Legal"`) || !strings.Contains(dash, `<option value="IT"`) {
		t.Error("the dashboard's department filter does not offer the managed list")
	}
}

// TestCampaignCasesOnTheCasePage: the case page lists the other reports of
// the same email as related, with their timelines (issue 18).
func TestCampaignCasesOnTheCasePage(t *testing.T) {
	ts := newTestServer(t)
	raw, err := os.ReadFile("../store/testdata/parcel.eml")
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, who := range []string{"rita@example.com", "ben@example.com"} {
		ts.addUser(t, who, who, ally.RoleReporter, "Finance")
		c, err := ts.DB.CreateCase(asUser(t, ts, who), &ally.NewCase{Kind: ally.KindSuspiciousEmail,
			Summary: "Parcel email from " + who})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ts.DB.AddAttachment(asUser(t, ts, who), c.Ref, ally.NewAttachment{Name: "parcel.eml",
			Data: raw}); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, c.Ref)
	}
	pc := newPageClient(t, ts)
	pc.signIn("sam@example.com", ts.addUser(t, "sam@example.com", "Sam Okafor", ally.RoleResponder, "Security"))
	_, page, _ := pc.get("/cases/" + refs[0])
	for _, want := range []string{`href="/cases/` + refs[1] + `"`, "related (the same reported email)",
		"Timeline of " + refs[1]} {
		if !strings.Contains(page, want) {
			t.Errorf("the case page lacks %q", want)
		}
	}
}

// TestLinkDefaultsToRelated: the case page's "Link the cases" form has
// "related to it" chosen, the link that changes nothing for the reporter;
// "a duplicate of it", which closes the case and tells its reporter, must
// be chosen. A refused link comes back with the choice that was made.
func TestLinkDefaultsToRelated(t *testing.T) {
	_, c, pc := ritasCase(t)
	checked := func(page string) (choices, on []string) {
		for _, m := range regexp.MustCompile(`<input type="radio" name="type" value="(\w+)"( checked)?>`).FindAllStringSubmatch(page, -1) {
			choices = append(choices, m[1])
			if m[2] != "" {
				on = append(on, m[1])
			}
		}
		return choices, on
	}
	_, page, _ := pc.get("/cases/" + c.Ref)
	if choices, on := checked(page); len(choices) != 2 || !slices.Contains(choices, "duplicate") ||
		!slices.Equal(on, []string{"related"}) {
		t.Errorf("the link form offers %v with %v chosen; want related chosen, duplicate offered", choices, on)
	}
	for _, typ := range []string{"duplicate", "related"} {
		code, page, _ := pc.post("/cases/"+c.Ref+"/links", url.Values{"other": {"AL-99999"}, "type": {typ}})
		if _, on := checked(page); code != http.StatusNotFound || !slices.Equal(on, []string{typ}) {
			t.Errorf("a refused %s link: %d with %v chosen; want the choice kept", typ, code, on)
		}
	}
}

// ritasCase starts a server with Rita's report of a parcel email and Sam,
// a responder, signed in.
func ritasCase(t *testing.T) (*testServer, *ally.Case, *pageClient) {
	t.Helper()
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	c, err := ts.DB.CreateCase(asUser(t, ts, "rita@example.com"), &ally.NewCase{Kind: ally.KindSuspiciousEmail,
		Summary: "Parcel email", Details: "It says my parcel is held."})
	if err != nil {
		t.Fatal(err)
	}
	pc := newPageClient(t, ts)
	pc.signIn("sam@example.com", ts.addUser(t, "sam@example.com", "Sam Okafor", ally.RoleResponder, "Security"))
	return ts, c, pc
}
