package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store/storetest"
	"github.com/allydesk/ally/tone"
)

// Session 7: a person changes their own password on /account/password,
// proving the current one. Refusals (a wrong current password, a weak new
// one, no form token) change nothing and keep them signed in; a change ends
// their other sessions, keeps this browser signed in and is audited; an
// account with no password is told how it signs in. Every refusal reads
// kindly to a reporter.
func TestChangeOwnPasswordPage(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ts := newTestServerOn(t, engine)
			ts.addUser(t, "rita@example.org", "Rita Reporter", ally.RoleReporter, "Sales")
			here := signedInByPassword(t, ts, "rita@example.org", testPassword)
			elsewhere := signedInByPassword(t, ts, "rita@example.org", testPassword)
			if _, _, home := fetch(t, here, ts.URL+"/"); !strings.Contains(home, `href="/account/password"`) {
				t.Error("the menu has no link to change the password")
			}
			code, _, page := fetch(t, here, ts.URL+"/account/password")
			for _, want := range []string{`<label for="current">`, `autocomplete="current-password"`,
				`<label for="password">`, `autocomplete="new-password"`, `name="csrf_token"`, "At least 12 characters"} {
				if code != http.StatusOK || !strings.Contains(page, want) {
					t.Errorf("the form (%d) lacks %s", code, want)
				}
			}
			const fresh = "maple kettle orbit tundra"
			var said []string
			refuse := func(name string, v url.Values, status int, want string) {
				t.Helper()
				tok := formToken(t, here, ts.URL+"/account/password")
				code, path, body := post(t, here, ts.URL+"/account/password", tok, v)
				alert := alertIn(body)
				if code != status || path != "/account/password" || !strings.Contains(alert, want) {
					t.Errorf("%s: %d at %s saying %q, want %d on the form saying %q", name, code, path, alert,
						status, want)
				}
				said = append(said, alert)
			}
			refuse("a wrong current password", url.Values{"current": {"not my password"}, "password": {fresh}},
				http.StatusUnauthorized, "Your current password is not right.")
			refuse("a common new password", url.Values{"current": {testPassword}, "password": {"password1234"}},
				http.StatusBadRequest, "common passwords")
			refuse("no current password", url.Values{"password": {fresh}}, http.StatusBadRequest,
				"Type the password you use now.")
			res, err := here.PostForm(ts.URL+"/account/password", url.Values{"current": {testPassword},
				"password": {fresh}})
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("no form token: %d, want 403", res.StatusCode)
			}
			if me(t, ts, here) == nil || me(t, ts, elsewhere) == nil {
				t.Fatal("a refused change signed someone out")
			}
			if loginFrom(t, ts, "rita@example.org", testPassword, "").StatusCode != http.StatusSeeOther {
				t.Fatal("a refused change changed the password")
			}

			tok := formToken(t, here, ts.URL+"/account/password")
			code, path, body := post(t, here, ts.URL+"/account/password", tok,
				url.Values{"current": {testPassword}, "password": {fresh}})
			if code != http.StatusOK || path != "/" || !strings.Contains(body, notices["password"]) {
				t.Fatalf("the change: %d at %s, want home saying %q", code, path, notices["password"])
			}
			if me(t, ts, here) == nil {
				t.Error("this browser was signed out by its own change")
			}
			if me(t, ts, elsewhere) != nil {
				t.Error("the session elsewhere survived the change")
			}
			if loginFrom(t, ts, "rita@example.org", testPassword, "").StatusCode != http.StatusUnauthorized {
				t.Error("the old password still works")
			}
			if loginFrom(t, ts, "rita@example.org", fresh, "").StatusCode != http.StatusSeeOther {
				t.Error("the new password does not work")
			}
			assertAudited(t, ts, "user.password", "rita@example.org", "source=self")

			sam := ssoBrowser(t, ts, "sam@example.org")
			tok = formToken(t, sam, ts.URL+"/account/password")
			code, _, body = post(t, sam, ts.URL+"/account/password", tok,
				url.Values{"current": {"anything at all"}, "password": {fresh}})
			if alert := alertIn(body); code != http.StatusBadRequest || !strings.Contains(alert, "no Ally password") ||
				!strings.Contains(alert, "single sign-on") {
				t.Errorf("an account with no password: %d saying %q, want 400 saying how it signs in", code, alert)
			}
			said = append(said, alertIn(body))
			engine := tone.Default()
			for _, s := range said {
				for _, f := range engine.Check(s, tone.AudienceReporter).Findings {
					if f.Severity == tone.SeverityError {
						t.Errorf("%q: %s (%s)", s, f.Match, f.Rule)
					}
				}
			}
		})
	}
}

// alertIn is the text of a page's alert, as a person reads it.
func alertIn(page string) string {
	m := regexp.MustCompile(`<p class="alert" role="alert">([^<]*)</p>`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// ssoBrowser is a browser signed in to a new account made by single
// sign-on, which has no password.
func ssoBrowser(t *testing.T, ts *testServer, email string) *http.Client {
	t.Helper()
	ctx := context.Background()
	u, err := ts.DB.SignInExternal(ctx, ally.ExternalIdentity{Provider: "okta", Subject: email, Email: email,
		EmailVerified: true, Name: "Sam Single"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := ts.DB.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c := cookieClient(t)
	base, _ := url.Parse(ts.URL)
	c.Jar.SetCookies(base, []*http.Cookie{{Name: SessionCookie, Value: sess.Secret, Path: "/"}})
	return c
}

// Session 7: POST /api/v1/me/password answers 204 and ends the account's
// sessions but not its API tokens; 400 names the field, 401 is a wrong
// current password (nothing changed), 403 an integration; wrong current
// passwords count against the sign-in limits.
func TestChangeOwnPasswordAPI(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ts := newTestServerOn(t, engine)
			itok, err := ts.DB.IssueIntegrationToken(ally.NewOperatorContext(context.Background()), "siem", 0)
			if err != nil {
				t.Fatal(err)
			}
			w := &apiWorld{testServer: ts, tokens: map[string]string{
				"rita": ts.token(t, "rita@example.org", ally.RoleResponder), "siem": itok}}
			browser := signedInByPassword(t, ts, "rita@example.org", testPassword)
			const fresh = "maple kettle orbit tundra"
			for _, tc := range []struct {
				name   string
				body   map[string]any
				status int
				want   string
			}{
				{"no current password", map[string]any{"password": fresh}, 400, "current:"},
				{"a short new password", map[string]any{"current": testPassword, "password": "short"}, 400, "password:"},
				{"a wrong current password", map[string]any{"current": "not my password", "password": fresh}, 401,
					"Your current password is not right."},
			} {
				st, out := w.call(t, "rita", "POST", "/api/v1/me/password", tc.body)
				e, _ := out["error"].(map[string]any)
				if msg, _ := e["message"].(string); st != tc.status || !strings.Contains(msg, tc.want) {
					t.Errorf("%s: %d %v, want %d saying %q", tc.name, st, out, tc.status, tc.want)
				}
			}
			if me(t, ts, browser) == nil {
				t.Fatal("a refused change ended the browser's session")
			}
			if st, out := w.call(t, "siem", "POST", "/api/v1/me/password",
				map[string]any{"current": "x", "password": fresh}); st != http.StatusForbidden {
				t.Errorf("an integration: %d %v, want 403", st, out)
			}
			if st, out := w.call(t, "rita", "POST", "/api/v1/me/password",
				map[string]any{"current": testPassword, "password": fresh}); st != http.StatusNoContent {
				t.Fatalf("the change: %d %v, want 204", st, out)
			}
			if me(t, ts, browser) != nil {
				t.Error("the browser's session survived a change made with a token")
			}
			if st, _ := w.call(t, "rita", "GET", "/api/v1/me", nil); st != http.StatusOK {
				t.Errorf("the token after the change: %d, want 200 (tokens are not sessions)", st)
			}
			if loginFrom(t, ts, "rita@example.org", fresh, "").StatusCode != http.StatusSeeOther {
				t.Error("the new password does not work")
			}
			assertAudited(t, ts, "user.password", "rita@example.org", "source=self")
			limited := false
			for range ally.SignInPairRate.Burst + 1 {
				st, _ := w.call(t, "rita", "POST", "/api/v1/me/password",
					map[string]any{"current": "a guess", "password": fresh})
				if limited = st == http.StatusTooManyRequests; limited {
					break
				}
			}
			if !limited {
				t.Errorf("%d wrong current passwords were never limited", ally.SignInPairRate.Burst+1)
			}
		})
	}
}
