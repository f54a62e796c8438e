package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/internal/oidctest"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// ssoServer is an Ally server with one single sign-on provider, a real
// OpenID Provider on its own port, mapping security-team to responder and
// soc-leads to lead.
func ssoServer(t *testing.T, engine string, only bool) (*testServer, *oidctest.Provider) {
	t.Helper()
	db := storetest.Open(t, engine, store.Options{})
	var srv *Server
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { srv.ServeHTTP(w, r) }))
	t.Cleanup(hs.Close)
	op, err := oidctest.Start(hs.URL + "/auth/oidc/callback")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(op.Close)
	roles, err := ally.ParseRoleMap("security-team=responder, soc-leads=lead")
	if err != nil {
		t.Fatal(err)
	}
	srv = New(Config{Services: Services{Cases: db, Users: db, Audit: db, Tasks: db, Metrics: db, Attachments: db,
		Insights: db, Practice: db, SignIn: db}, Playbooks: db.Playbooks(), Ready: db.Ping, PublicURL: hs.URL,
		SSO: []SSOProvider{{Label: "Example Login", Issuer: op.Issuer, ClientID: op.ClientID,
			ClientSecret: op.ClientSecret, Roles: roles}}, SSOOnly: only})
	op.Add(oidctest.Person{Subject: "alice-1", Email: "alice@example.org", EmailVerified: true, Name: "Alice Ames"})
	op.SignInAs("alice-1")
	return &testServer{URL: hs.URL, DB: db, Srv: srv}, op
}

// cookieClient is an HTTP client with its own cookies that follows redirects.
func cookieClient(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

// fetch gets url and returns the final status, path and body.
func fetch(t testing.TB, c *http.Client, u string) (int, string, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Request.URL.Path, string(b)
}

// me is the account the browser is signed in as, by the API.
func me(t testing.TB, ts *testServer, c *http.Client) *ally.User {
	t.Helper()
	code, _, body := fetch(t, c, ts.URL+"/api/v1/me")
	if code != http.StatusOK {
		return nil
	}
	var u ally.User
	if err := json.Unmarshal([]byte(body), &u); err != nil {
		t.Fatal(err)
	}
	return &u
}

// ssoCallback starts single sign-on in c and returns the provider's
// redirect back to Ally, not yet followed; tweak changes the request to the
// provider first.
func ssoCallback(t *testing.T, ts *testServer, c *http.Client, tweak func(url.Values)) string {
	t.Helper()
	stop := *c
	stop.CheckRedirect = func(r *http.Request, _ []*http.Request) error {
		if strings.HasPrefix(r.URL.String(), ts.URL) {
			return http.ErrUseLastResponse
		}
		if q := r.URL.Query(); tweak != nil && q.Get("client_id") != "" {
			tweak(q)
			r.URL.RawQuery = q.Encode()
		}
		return nil
	}
	res, err := stop.Get(ts.URL + "/auth/oidc/start")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back := res.Header.Get("Location")
	if !strings.HasPrefix(back, ts.URL+"/auth/oidc/callback?") {
		t.Fatalf("the provider sent us to %q (status %d), not back to Ally", back, res.StatusCode)
	}
	return back
}

// Issue 14: the first sign-in makes a reporter; the groups claim gives the
// mapped role at each sign-in and takes it away when the group is gone;
// bearer tokens keep working beside single sign-on.
func TestSSOGroupMappingAtEverySignIn(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ts, op := ssoServer(t, engine, false)
			c := cookieClient(t)
			if code, path, _ := fetch(t, c, ts.URL+"/auth/oidc/start"); code != http.StatusOK || path != "/" {
				t.Fatalf("first sign-in ended at %s (%d), want the home page", path, code)
			}
			if u := me(t, ts, c); u == nil || u.Email != "alice@example.org" || u.Role != ally.RoleReporter ||
				u.Name != "Alice Ames" {
				t.Fatalf("first sign-in made %+v, want reporter Alice", u)
			}
			op.SetGroups("alice-1", "security-team", "staff")
			c = cookieClient(t)
			if _, path, _ := fetch(t, c, ts.URL+"/auth/oidc/start"); path != "/queue" {
				t.Errorf("a responder landed on %s, want the queue", path)
			}
			if u := me(t, ts, c); u == nil || u.Role != ally.RoleResponder {
				t.Fatalf("in security-team: %+v, want responder", u)
			}
			op.SetGroups("alice-1", "security-team", "soc-leads")
			if u := me(t, ts, signedInBySSO(t, ts)); u == nil || u.Role != ally.RoleLead {
				t.Fatalf("in soc-leads too: %+v, want lead (the highest)", u)
			}
			op.SetGroups("alice-1")
			if u := me(t, ts, signedInBySSO(t, ts)); u == nil || u.Role != ally.RoleReporter {
				t.Fatalf("removed from the groups: %+v, want reporter again", u)
			}
			tok := ts.token(t, "bot@example.org", ally.RoleResponder)
			req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/v1/me", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Errorf("a bearer token beside single sign-on: %d, want 200", res.StatusCode)
			}
			recs, err := ts.DB.FindAudit(ally.NewOperatorContext(context.Background()), 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			var roleChanges int
			for _, r := range recs {
				if r.Target == "alice@example.org" && r.Action == "user.update" {
					roleChanges++
				}
			}
			if roleChanges != 3 {
				t.Errorf("%d role changes audited, want 3", roleChanges)
			}
		})
	}
}

// signedInBySSO is a fresh browser signed in through the provider.
func signedInBySSO(t *testing.T, ts *testServer) *http.Client {
	t.Helper()
	c := cookieClient(t)
	fetch(t, c, ts.URL+"/auth/oidc/start")
	return c
}

// The groups claim demotes an admin who is not in an admin group, unless
// that admin is the last one: then the role stays (audited), so a map
// without an admin group cannot lock everyone out of managing accounts.
func TestSSONeverDemotesTheLastAdmin(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ts, _ := ssoServer(t, engine, false)
			signedInBySSO(t, ts)
			ts.addUser(t, "admin@example.org", "Ada Admin", ally.RoleAdmin, "IT")
			change := func(by, who string, up ally.UserUpdate) {
				t.Helper()
				if _, err := ts.DB.UpdateUser(asUser(t, ts, by), who, up); err != nil {
					t.Fatal(err)
				}
			}
			admin := ally.RoleAdmin
			change("admin@example.org", "alice@example.org", ally.UserUpdate{Role: &admin})
			if u := me(t, ts, signedInBySSO(t, ts)); u == nil || u.Role != ally.RoleReporter {
				t.Fatalf("an admin in no mapped group, with another admin: %+v, want reporter", u)
			}
			change("admin@example.org", "alice@example.org", ally.UserUpdate{Role: &admin})
			change("alice@example.org", "admin@example.org", ally.UserUpdate{Disabled: new(true)})
			if u := me(t, ts, signedInBySSO(t, ts)); u == nil || u.Role != ally.RoleAdmin {
				t.Fatalf("the last admin in no mapped group: %+v, want admin kept", u)
			}
			recs, err := ts.DB.FindAudit(ally.NewOperatorContext(context.Background()), 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) == 0 || recs[0].Target != "alice@example.org" || !strings.Contains(recs[0].Detail, "kept") {
				t.Errorf("latest audit record %+v, want alice's admin role kept", recs[0])
			}
		})
	}
}

// An account made by single sign-on has no Ally password: the menu does
// not offer to change it, and the page says how the person signs in
// instead of showing a form.
func TestSSOAccountHasNoPasswordToChange(t *testing.T) {
	ts, _ := ssoServer(t, storetest.Engines()[0], false)
	c := signedInBySSO(t, ts)
	if _, _, home := fetch(t, c, ts.URL+"/"); strings.Contains(home, "/account/password") {
		t.Error("the menu offers to change a password the account does not have")
	}
	code, _, page := fetch(t, c, ts.URL+"/account/password")
	if code != http.StatusOK || !strings.Contains(page, "no Ally password to change") ||
		strings.Contains(page, `name="current"`) {
		t.Errorf("the page for an account without a password: %d\n%s", code, page)
	}
}

// Issue 14: an account disabled in Ally stays disabled, whatever the
// provider says.
func TestSSODisabledAccountStaysOut(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ts, op := ssoServer(t, engine, false)
			signedInBySSO(t, ts)
			ts.addUser(t, "admin@example.org", "Ada Admin", ally.RoleAdmin, "IT")
			if _, err := ts.DB.UpdateUser(asUser(t, ts, "admin@example.org"), "alice@example.org",
				ally.UserUpdate{Disabled: new(true)}); err != nil {
				t.Fatal(err)
			}
			op.SetGroups("alice-1", "soc-leads")
			c := cookieClient(t)
			code, _, body := fetch(t, c, ts.URL+"/auth/oidc/start")
			if code != http.StatusForbidden || !strings.Contains(body, "switched off") {
				t.Errorf("a disabled account signing in: %d, want 403 saying it is switched off", code)
			}
			if u := me(t, ts, c); u != nil {
				t.Errorf("a disabled account got a session as %+v", u)
			}
			u, err := ts.DB.FindUserByEmail(ally.NewOperatorContext(context.Background()), "alice@example.org")
			if err != nil {
				t.Fatal(err)
			}
			if !u.Disabled || u.Role != ally.RoleReporter {
				t.Errorf("after the attempt: disabled %t role %s, want disabled reporter", u.Disabled, u.Role)
			}
		})
	}
}

// Issue 14: a state works once, and only in the browser that started the
// sign-in; a stolen callback is refused elsewhere.
func TestSSOStateIsSingleUseAndBoundToTheBrowser(t *testing.T) {
	ts, _ := ssoServer(t, "sqlite", false)
	c := cookieClient(t)
	back := ssoCallback(t, ts, c, nil)
	if code, path, _ := fetch(t, cookieClient(t), back); code != http.StatusBadRequest || path != "/auth/oidc/callback" {
		t.Errorf("the callback in another browser: %d at %s, want 400", code, path)
	}
	if code, path, _ := fetch(t, c, back); code != http.StatusOK || path != "/" {
		t.Fatalf("the callback in its own browser: %d at %s, want signed in at /", code, path)
	}
	code, _, body := fetch(t, cookieClient(t), back)
	code2, _, _ := fetch(t, c, back)
	if code != http.StatusBadRequest || code2 != http.StatusBadRequest || !strings.Contains(body, "already used") {
		t.Errorf("a replayed state: %d and %d, want 400 saying it was already used", code, code2)
	}
	forged := strings.Replace(back, "state=", "state=x", 1)
	if code, _, _ := fetch(t, cookieClient(t), forged); code != http.StatusBadRequest {
		t.Errorf("a forged state: %d, want 400", code)
	}
}

// Issue 14: an ID token carrying another nonce is refused.
func TestSSOWrongNonce(t *testing.T) {
	ts, _ := ssoServer(t, "sqlite", false)
	c := cookieClient(t)
	back := ssoCallback(t, ts, c, func(q url.Values) { q.Set("nonce", "someone-elses-nonce") })
	code, _, body := fetch(t, c, back)
	if code != http.StatusUnauthorized || !strings.Contains(body, "could not confirm") {
		t.Errorf("wrong nonce: %d, want 401 saying we could not confirm the sign-in", code)
	}
	if u := me(t, ts, c); u != nil {
		t.Errorf("signed in as %+v with a wrong nonce", u)
	}
}

// Issue 14: PKCE: a code asked for with another challenge is refused.
func TestSSOWrongCodeChallenge(t *testing.T) {
	ts, _ := ssoServer(t, "sqlite", false)
	c := cookieClient(t)
	back := ssoCallback(t, ts, c, func(q url.Values) {
		q.Set("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
	})
	if code, _, _ := fetch(t, c, back); code != http.StatusUnauthorized || me(t, ts, c) != nil {
		t.Errorf("a code for another verifier: %d, want 401 and no session", code)
	}
}

// Issue 14: an expired ID token is refused.
func TestSSOExpiredIDToken(t *testing.T) {
	ts, op := ssoServer(t, "sqlite", false)
	op.SetIDTokenLifetime(time.Minute)
	ts.Srv.Now = func() time.Time { return time.Now().Add(time.Hour) }
	c := cookieClient(t)
	code, _, body := fetch(t, c, ts.URL+"/auth/oidc/start")
	if code != http.StatusUnauthorized || !strings.Contains(body, "could not confirm") || me(t, ts, c) != nil {
		t.Errorf("an expired ID token: %d, want 401 and no session", code)
	}
}

// Issue 14: keys rotated by the provider are picked up.
func TestSSOKeyRotation(t *testing.T) {
	ts, op := ssoServer(t, "sqlite", false)
	if me(t, ts, signedInBySSO(t, ts)) == nil {
		t.Fatal("no session before the rotation")
	}
	op.RotateKey()
	if me(t, ts, signedInBySSO(t, ts)) == nil {
		t.Fatal("no session after the provider rotated its key")
	}
}

// Issue 14: a provider that is down gets a clear page, and local accounts
// still sign in.
func TestSSOProviderDown(t *testing.T) {
	ts, op := ssoServer(t, "sqlite", false)
	op.Close()
	code, _, body := fetch(t, cookieClient(t), ts.URL+"/auth/oidc/start")
	if code != http.StatusBadGateway || !strings.Contains(body, "could not reach Example Login") ||
		!strings.Contains(body, `action="/login"`) {
		t.Errorf("provider down: %d, want 502 naming it, with the password form", code)
	}
	ts.addUser(t, "local@example.org", "Lou Local", ally.RoleAdmin, "IT")
	if res := loginFrom(t, ts, "local@example.org", testPassword, ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a local account while the provider is down: %d, want 303", res.StatusCode)
	}
}

// Issue 14: "next" survives the round trip and cannot leave the site.
func TestSSONextStaysOnSite(t *testing.T) {
	ts, _ := ssoServer(t, "sqlite", false)
	if _, path, _ := fetch(t, cookieClient(t), ts.URL+"/auth/oidc/start?next=%2Freport"); path != "/report" {
		t.Errorf("next=/report landed on %s", path)
	}
	for _, next := range []string{"//evil.example", "https://evil.example/", "/\\evil.example"} {
		res, err := cookieClient(t).Get(ts.URL + "/auth/oidc/start?next=" + url.QueryEscape(next))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.Request.URL.Host != strings.TrimPrefix(ts.URL, "http://") || res.Request.URL.Path != "/" {
			t.Errorf("next=%s landed on %s", next, res.Request.URL)
		}
	}
}

// Issue 14: with --sso-only the sign-in page goes straight to the provider
// and passwords are refused.
func TestSSOOnly(t *testing.T) {
	ts, _ := ssoServer(t, "sqlite", true)
	res, err := noRedirects.Get(ts.URL + "/login?next=%2Freport")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if loc := res.Header.Get("Location"); loc != "/auth/oidc/start?next=%2Freport" {
		t.Errorf("sign-in page with --sso-only sends to %q", loc)
	}
	ts.addUser(t, "local@example.org", "Lou Local", ally.RoleAdmin, "IT")
	if res := loginFrom(t, ts, "local@example.org", testPassword, ""); res.StatusCode != http.StatusForbidden {
		t.Errorf("a password with --sso-only: %d, want 403", res.StatusCode)
	}
}

// Issue 14: an email the provider has not verified does not take over the
// account that has it.
func TestSSOUnverifiedEmailDoesNotTakeOver(t *testing.T) {
	ts, op := ssoServer(t, "sqlite", false)
	ts.addUser(t, "boss@example.org", "Bo Boss", ally.RoleAdmin, "IT")
	op.Add(oidctest.Person{Subject: "mallory", Email: "boss@example.org", Name: "Mallory"})
	op.SignInAs("mallory")
	c := cookieClient(t)
	if code, _, _ := fetch(t, c, ts.URL+"/auth/oidc/start"); code != http.StatusForbidden || me(t, ts, c) != nil {
		t.Errorf("an unverified email of an existing account: %d, want 403 and no session", code)
	}
	ts.Srv.ssos[0].TrustEmail = true // as for a provider that sends no email_verified
	if u := me(t, ts, signedInBySSO(t, ts)); u == nil || u.Email != "boss@example.org" {
		t.Errorf("with trust_email, the provider's email links the existing account: got %+v", u)
	}
	ts.Srv.ssos[0].TrustEmail = false
	op.Add(oidctest.Person{Subject: "bo", Email: "boss@example.org", EmailVerified: true, Name: "Bo Boss"})
	op.SignInAs("bo")
	if u := me(t, ts, signedInBySSO(t, ts)); u == nil || u.Email != "boss@example.org" {
		t.Errorf("a verified email links the existing account: got %+v", u)
	}
}

// Issue 14: signing out ends the Ally session and offers the provider's
// own sign-out page.
func TestSSOSignOutOffersProviderSignOut(t *testing.T) {
	ts, op := ssoServer(t, "sqlite", false)
	c := signedInBySSO(t, ts)
	_, _, page := fetch(t, c, ts.URL+"/report")
	csrf := regexp.MustCompile(`name="csrf-token" content="([^"]+)"`).FindStringSubmatch(page)
	if csrf == nil {
		t.Fatal("no CSRF token on the report page")
	}
	res, err := c.PostForm(ts.URL+"/logout", url.Values{"csrf_token": {csrf[1]}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if me(t, ts, c) != nil {
		t.Error("still signed in to Ally after signing out")
	}
	if want := op.Issuer + "/end_session?client_id=ally"; !strings.Contains(string(body), want) {
		t.Errorf("the signed-out page does not offer %s", want)
	}
}

// Issue 18: with a department claim set, each sign-in sets the person's
// department from it and adds a new one to the managed list; a sign-in
// without the claim, or a provider without the setting, leaves it alone.
func TestSSODepartmentClaim(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ts, op := ssoServer(t, engine, false)
			ts.Srv.ssos[0].DepartmentClaim = "department"
			op.SetClaim("alice-1", "department", "Finance")
			if u := me(t, ts, signedInBySSO(t, ts)); u == nil || u.Department != "Finance" {
				t.Fatalf("first sign-in with department Finance: %+v", u)
			}
			op.SetClaim("alice-1", "department", []string{" Legal "})
			if u := me(t, ts, signedInBySSO(t, ts)); u == nil || u.Department != "Legal" {
				t.Fatalf("moved to Legal: %+v", u)
			}
			operator := ally.NewOperatorContext(context.Background())
			if list, err := ts.DB.Departments(operator); err != nil || strings.Join(list, ",") != "Finance,Legal" {
				t.Fatalf("managed list %q (%v), want Finance and Legal added", list, err)
			}
			op.SetClaim("alice-1", "department", nil)
			if u := me(t, ts, signedInBySSO(t, ts)); u == nil || u.Department != "Legal" {
				t.Fatalf("signed in without the claim: %+v, want Legal kept", u)
			}
			op.SetClaim("alice-1", "department", strings.Repeat("x", ally.MaxDepartment+1))
			if u := me(t, ts, signedInBySSO(t, ts)); u == nil || u.Department != "Legal" {
				t.Fatalf("an over-long claim: %+v, want Legal kept", u)
			}
			ts.Srv.ssos[0].DepartmentClaim = ""
			op.SetClaim("alice-1", "department", "Sales")
			if u := me(t, ts, signedInBySSO(t, ts)); u == nil || u.Department != "Legal" {
				t.Fatalf("a provider without department_claim: %+v, want Legal kept", u)
			}
			recs, err := ts.DB.FindAudit(operator, 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			var changes []string
			for _, r := range recs {
				if r.Target == "alice@example.org" && r.Action == "user.update" {
					changes = append(changes, r.Detail)
				}
			}
			if len(changes) != 2 {
				t.Errorf("department changes audited: %q, want 2", changes)
			}
		})
	}
}
