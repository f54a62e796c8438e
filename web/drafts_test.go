package web

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store/storetest"
)

// Issue 14: a report or reply written while the session ran out is kept:
// after signing in again the person lands on the same form with their
// words, and a stale session never files the report anonymously.
func TestNeverLoseWhatWasTyped(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ls := newLinkServer(t, engine)
			ls.Srv.Follow = ls.DB
			ls.addUser(t, "rita@example.org", "Rita Reporter", ally.RoleReporter, "Sales")
			c := signedInByPassword(t, ls.testServer, "rita@example.org", testPassword)
			tok := formToken(t, c, ls.URL+"/report")
			ls.advance(13 * time.Hour) // the session ends while she writes
			const words = "My laptop was in the taxi & I can't find it."
			code, path, body := post(t, c, ls.URL+"/report", tok, url.Values{"kind": {"lost_device"},
				"details": {words}, "js": {"1"}, "contact_name": {""}})
			if code != http.StatusOK || path != "/login" || !strings.Contains(body, "We kept what you wrote") {
				t.Fatalf("a report after the session ended: %d at %s, want the sign-in page saying it was kept", code,
					path)
			}
			if got := myCases(t, ls, c); len(got) != 0 {
				t.Fatalf("the report was filed without her (%v)", got)
			}
			tok = formToken(t, c, ls.URL+"/login")
			code, path, body = post(t, c, ls.URL+"/login", tok, url.Values{"email": {"rita@example.org"},
				"password": {testPassword}, "next": {"/report"}})
			if code != http.StatusOK || path != "/report" || !strings.Contains(body, html.EscapeString(words)) ||
				!strings.Contains(body, `value="lost_device" required checked`) {
				t.Fatalf("after signing in: %d at %s, want the report form with her words", code, path)
			}
			if _, _, again := fetch(t, c, ls.URL+"/report"); strings.Contains(again, html.EscapeString(words)) {
				t.Error("the kept words came back a second time")
			}
			tok = formToken(t, c, ls.URL+"/report")
			post(t, c, ls.URL+"/report", tok, url.Values{"kind": {"lost_device"}, "details": {words}, "js": {"1"}})
			refs := myCases(t, ls, c)
			if len(refs) != 1 {
				t.Fatalf("after sending: cases %v, want one", refs)
			}

			tok = formToken(t, c, ls.URL+"/cases/"+refs[0])
			ls.advance(13 * time.Hour)
			const reply = "I found the receipt with the taxi number."
			code, path, _ = post(t, c, ls.URL+"/cases/"+refs[0]+"/messages", tok, url.Values{"body": {reply}})
			if code != http.StatusOK || path != "/login" {
				t.Fatalf("a reply after the session ended: %d at %s, want the sign-in page", code, path)
			}
			tok = formToken(t, c, ls.URL+"/login")
			_, path, body = post(t, c, ls.URL+"/login", tok, url.Values{"email": {"rita@example.org"},
				"password": {testPassword}, "next": {"/cases/" + refs[0]}})
			if path != "/cases/"+refs[0] || !strings.Contains(body, reply) {
				t.Errorf("after signing in: at %s, want the case with her reply in the box", path)
			}
		})
	}
}
