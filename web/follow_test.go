package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store/storetest"
)

var followIn = regexp.MustCompile(`http://[^\s<"]+/follow/f_[A-Za-z0-9_-]+`)

// reportWithoutSigningIn sends the report form from a browser that is not
// signed in and returns the follow link and case code shown.
func reportWithoutSigningIn(t *testing.T, ls *linkServer, c *http.Client) (link, code string) {
	t.Helper()
	res, err := c.PostForm(ls.URL+"/report", url.Values{"kind": {string(ally.KindLostDevice)}, "js": {"1"},
		"when": {"now"}, "details": {"I left my work laptop on the train."}, "contact_name": {"Pat Doe"},
		"contact_email": {"pat@home.example"}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	link = followIn.FindString(string(raw))
	m := regexp.MustCompile(`case code is <strong class="ref">([^<]+)<`).FindStringSubmatch(string(raw))
	if res.StatusCode != http.StatusCreated || link == "" || m == nil {
		t.Fatalf("report without signing in: %d, follow link %q, code %v", res.StatusCode, link, m)
	}
	return link, m[1]
}

// myCases lists the cases the browser may see, by the API.
func myCases(t *testing.T, ls *linkServer, c *http.Client) []string {
	t.Helper()
	code, _, body := fetch(t, c, ls.URL+"/api/v1/cases")
	if code != http.StatusOK {
		return nil
	}
	var page struct {
		Items []struct {
			Ref string `json:"ref"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &page); err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, it := range page.Items {
		refs = append(refs, it.Ref)
	}
	return refs
}

// Issue 14: a person with no account reports a lost laptop without signing
// in, follows the case by its private link (that case only), and a
// responder sees it marked "not signed in" and can switch the link off.
func TestReportWithoutSigningIn(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ls := newLinkServer(t, engine)
			ls.Srv.Follow = ls.DB
			ls.addUser(t, "sam@example.org", "Sam Responder", ally.RoleResponder, "Security")
			ls.addUser(t, "rita@example.org", "Rita Reporter", ally.RoleReporter, "Sales")
			other := signedInByPassword(t, ls.testServer, "rita@example.org", testPassword)
			tok := formToken(t, other, ls.URL+"/report")
			post(t, other, ls.URL+"/report", tok, url.Values{"kind": {"other"}, "js": {"1"}, "details": {"Rita's"}})

			c := cookieClient(t)
			if _, _, body := fetch(t, c, ls.URL+"/login"); !strings.Contains(body, "Report without signing in") {
				t.Error("the sign-in page does not offer to report without signing in")
			}
			if code, path, body := fetch(t, c, ls.URL+"/report"); code != http.StatusOK || path != "/report" ||
				!strings.Contains(body, "You are not signed in") {
				t.Fatalf("the report form without signing in: %d at %s", code, path)
			}
			link, ref := reportWithoutSigningIn(t, ls, c)
			if got := myCases(t, ls, c); len(got) != 1 || got[0] != ref {
				t.Errorf("the reporting browser sees %v, want only %s", got, ref)
			}
			later := cookieClient(t)
			if code, path, body := fetch(t, later, link); code != http.StatusOK || path != "/" ||
				!strings.Contains(body, ref) {
				t.Fatalf("the follow link: %d at %s, want the reporter's page with %s", code, path, ref)
			}
			if got := myCases(t, ls, later); len(got) != 1 || got[0] != ref {
				t.Errorf("the follow link gives %v, want only %s", got, ref)
			}
			if code, _, _ := fetch(t, later, ls.URL+"/cases/"+ally.CaseRef(1)); code != http.StatusNotFound {
				t.Errorf("another case through the follow link: %d, want 404", code)
			}
			tok = formToken(t, later, ls.URL+"/cases/"+ref)
			if code, _, _ := post(t, later, ls.URL+"/cases/"+ref+"/messages", tok,
				url.Values{"body": {"I also had my badge in the bag."}}); code != http.StatusOK {
				t.Errorf("a message through the follow link: %d", code)
			}

			sam := signedInByPassword(t, ls.testServer, "sam@example.org", testPassword)
			_, _, page := fetch(t, sam, ls.URL+"/cases/"+ref)
			for _, want := range []string{"Not signed in", "Pat Doe", "pat@home.example", "I also had my badge"} {
				if !strings.Contains(page, want) {
					t.Errorf("the responder's case page lacks %q", want)
				}
			}
			tok = formToken(t, sam, ls.URL+"/cases/"+ref)
			if code, path, _ := post(t, sam, ls.URL+"/cases/"+ref+"/follow/revoke", tok, nil); code !=
				http.StatusOK || path != "/cases/"+ref {
				t.Fatalf("revoking the follow link: %d at %s", code, path)
			}
			if me(t, ls.testServer, later) != nil || me(t, ls.testServer, c) != nil {
				t.Error("a browser is still in the case after its follow link was switched off")
			}
			if code, _, body := fetch(t, cookieClient(t), link); code != http.StatusNotFound ||
				!strings.Contains(body, "does not work any more") {
				t.Errorf("a revoked follow link: %d, want 404 saying it does not work any more", code)
			}
			tok = formToken(t, other, ls.URL+"/cases/"+ally.CaseRef(1))
			if code, _, _ := post(t, other, ls.URL+"/cases/"+ally.CaseRef(1)+"/follow/revoke", tok, nil); code !=
				http.StatusForbidden {
				t.Errorf("a reporter revoking: %d, want 403", code)
			}
			assertAudited(t, ls.testServer, "case.create", ref, "kind=lost_device severity=medium source=anonymous")
			assertAudited(t, ls.testServer, "case.follow_revoke", ref, "")
			if _, err := ls.worker.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			for _, m := range ls.relay.Messages() {
				if strings.HasSuffix(m.To, ally.AnonymousDomain) {
					t.Errorf("mail went to %s", m.To)
				}
			}
			if len(ls.relay.Messages()) == 0 {
				t.Error("no mail at all: is mail on in this test?")
			}
		})
	}
}

// Issue 14: an admin can turn reporting without signing in off.
func TestReportWithoutSigningInOff(t *testing.T) {
	ls := newLinkServer(t, "sqlite")
	ls.Srv.Follow, ls.Srv.NoAnonymousReports = ls.DB, true
	if _, path, body := fetch(t, cookieClient(t), ls.URL+"/report"); path != "/login" ||
		strings.Contains(body, "Report without signing in") {
		t.Errorf("with anonymous reports off, /report ended at %s", path)
	}
	res, err := noRedirects.PostForm(ls.URL+"/report", url.Values{"kind": {"other"}, "js": {"1"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther ||
		loc != "/login?done=kept&next=%2Freport" {
		t.Errorf("posting a report with anonymous reports off: %d to %q, want kept and sent to sign in",
			res.StatusCode, loc)
	}
	if n, err := ls.DB.CountUsers(ally.NewOperatorContext(context.Background())); err != nil || n != 0 {
		t.Errorf("%d accounts after the refused report (%v), want none: nothing filed", n, err)
	}
}
