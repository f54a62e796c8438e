package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/allydesk/ally"
	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Single sign-on with OpenID Connect: the authorization code flow with
// PKCE, state and nonce. The state is a single-use ticket in the database
// (ally.SignInService) bound to this browser's ssoCookie, so a replayed or
// forged callback fails, on any instance. The provider is discovered on
// first use, and again after a failure, so Ally starts while it is down.

// SSOProvider is one OpenID Provider people may sign in with.
type SSOProvider struct {
	// Name is the provider's part of the callback path
	// (/auth/oidc/{name}/callback); empty for the one set by flags
	// (/auth/oidc/callback).
	Name string `yaml:"name"`
	// Label names it on the sign-in page: "Sign in with {Label}".
	Label        string `yaml:"label"`
	Issuer       string `yaml:"issuer"`
	ClientID     string `yaml:"client_id"`
	ClientSecret string `yaml:"client_secret"`
	// GroupsClaim is the ID token claim listing the person's groups.
	GroupsClaim string `yaml:"groups_claim"`
	// DepartmentClaim is the ID token claim naming the person's
	// department; when set and present, it sets their department at every
	// sign-in and adds it to the managed list. Empty: departments stay
	// Ally's admins' to set.
	DepartmentClaim string `yaml:"department_claim"`
	// Roles maps groups to roles, re-applied at every sign-in; nil leaves
	// roles to Ally's admins.
	Roles ally.RoleMap `yaml:"-"`
	// TrustEmail treats every email the provider gives as verified, for
	// providers that send no email_verified claim (Microsoft Entra ID), so
	// that existing accounts are linked by their email.
	TrustEmail bool `yaml:"trust_email"`
}

// ssoCookie binds a sign-in round trip to the browser that started it. It
// is Lax, so that the provider's redirect back brings it.
const ssoCookie = "ally_sso"

// ssoTTL is how long a person has to sign in at the provider.
const ssoTTL = 10 * time.Minute

// ssoTimeout bounds every call to a provider.
const ssoTimeout = 10 * time.Second

// ssoClient is a configured provider and, once discovered, its endpoints.
type ssoClient struct {
	SSOProvider
	mu       sync.Mutex
	provider *oidc.Provider
}

// ssoState is what a round trip remembers, in its ticket.
type ssoState struct {
	Provider string `json:"p"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"next"`
}

// ssoClients makes a client for each configured provider.
func ssoClients(ps []SSOProvider) []*ssoClient {
	out := make([]*ssoClient, len(ps))
	for i, p := range ps {
		if p.GroupsClaim == "" {
			p.GroupsClaim = "groups"
		}
		out[i] = &ssoClient{SSOProvider: p}
	}
	return out
}

// sso returns the provider with this name.
func (s *Server) sso(name string) (*ssoClient, error) {
	for _, c := range s.ssos {
		if c.Name == name {
			return c, nil
		}
	}
	return nil, ally.Errorf(ally.ENOTFOUND, "There is no sign-in service called %q here.", name)
}

// discover returns the provider's endpoints and keys, fetching them the
// first time; a failure is tried again next time.
func (c *ssoClient) discover(ctx context.Context) (*oidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider == nil {
		ctx, cancel := context.WithTimeout(ctx, ssoTimeout)
		defer cancel()
		p, err := oidc.NewProvider(ctx, c.Issuer)
		if err != nil {
			return nil, err
		}
		c.provider = p
	}
	return c.provider, nil
}

// oauth is the OAuth 2.0 client for this provider.
func (s *Server) oauth(c *ssoClient, p *oidc.Provider) *oauth2.Config {
	cb := "/auth/oidc/callback"
	if c.Name != "" {
		cb = "/auth/oidc/" + c.Name + "/callback"
	}
	return &oauth2.Config{ClientID: c.ClientID, ClientSecret: c.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: strings.TrimRight(s.PublicURL, "/") + cb,
		Scopes:      []string{oidc.ScopeOpenID, "profile", "email"}}
}

// getSSOStart sends the browser to the provider to sign in.
func (s *Server) getSSOStart(w http.ResponseWriter, r *http.Request) error {
	c, err := s.sso(r.PathValue("provider"))
	if err != nil {
		return err
	}
	if err := s.checkSignIn(w, r, ""); err != nil {
		return s.loginProblem(w, r, http.StatusTooManyRequests, ally.ErrorMessage(err))
	}
	p, err := c.discover(r.Context())
	if err != nil {
		s.Log.Warn("single sign-on provider unreachable", "provider", c.Label, "error", err.Error())
		return s.loginProblem(w, r, http.StatusBadGateway, providerDown(c))
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	cookie := base64.RawURLEncoding.EncodeToString(b)
	st := ssoState{Provider: c.Name, Nonce: oauth2.GenerateVerifier(), Verifier: oauth2.GenerateVerifier(),
		Next: localPath(r.URL.Query().Get("next"))}
	data, _ := json.Marshal(st)
	state, err := s.SignIn.StartSSO(r.Context(), browserHash(cookie), string(data), ssoTTL)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: cookie, Path: "/auth/oidc", HttpOnly: true,
		Secure: s.SecureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode, MaxAge: int(ssoTTL.Seconds())})
	to := s.oauth(c, p).AuthCodeURL(state, oidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier))
	http.Redirect(w, r, to, http.StatusFound)
	return nil
}

// getSSOCallback finishes a sign-in: it spends the state, trades the code
// for tokens, checks the ID token and its nonce, and signs the person in.
func (s *Server) getSSOCallback(w http.ResponseWriter, r *http.Request) error {
	c, err := s.sso(r.PathValue("provider"))
	if err != nil {
		return err
	}
	if err := s.checkSignIn(w, r, ""); err != nil {
		return s.loginProblem(w, r, http.StatusTooManyRequests, ally.ErrorMessage(err))
	}
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		return s.loginProblem(w, r, http.StatusUnauthorized, c.Label+" did not sign you in ("+e+
			"). Please try again, or use another way in below.")
	}
	st, err := s.spendSSOState(r, c)
	if err != nil {
		return s.loginProblem(w, r, http.StatusBadRequest, "This sign-in attempt has expired or was already used. "+
			"Please start again.")
	}
	id, err := s.ssoIdentity(r.Context(), c, q.Get("code"), st)
	if err != nil {
		s.Log.Info("single sign-on refused", "provider", c.Label, "error", err.Error())
		if ally.ErrorCode(err) == ally.EINTERNAL {
			return s.loginProblem(w, r, http.StatusBadGateway, providerDown(c))
		}
		return s.loginProblem(w, r, http.StatusUnauthorized, "We could not confirm your sign-in with "+c.Label+
			". Please try again.")
	}
	u, err := s.SignIn.SignInExternal(r.Context(), *id, c.Roles)
	switch ally.ErrorCode(err) {
	case "":
	case ally.EUNAUTHORIZED, ally.EINVALID:
		return s.loginProblem(w, r, http.StatusForbidden, ally.ErrorMessage(err))
	default:
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: "", Path: "/auth/oidc", HttpOnly: true, MaxAge: -1,
		Secure: s.SecureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode})
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	return redirect(w, r, st.Next)
}

// spendSSOState spends the round trip's ticket, which must have been
// started by this browser for this provider.
func (s *Server) spendSSOState(r *http.Request, c *ssoClient) (*ssoState, error) {
	ck, err := r.Cookie(ssoCookie)
	if err != nil {
		return nil, err
	}
	t, err := s.SignIn.UseTicket(r.Context(), ally.TicketSSO, r.URL.Query().Get("state"), browserHash(ck.Value))
	if err != nil {
		return nil, err
	}
	var st ssoState
	if err := json.Unmarshal([]byte(t.Data), &st); err != nil || st.Provider != c.Name {
		return nil, ally.Errorf(ally.EUNAUTHORIZED, "state for another provider")
	}
	st.Next = localPath(st.Next)
	return &st, nil
}

// ssoIdentity trades the code for tokens and reads the person from the
// verified ID token. A provider that cannot be reached is EINTERNAL; a
// token that fails any check is EUNAUTHORIZED.
func (s *Server) ssoIdentity(ctx context.Context, c *ssoClient, code string, st *ssoState) (*ally.ExternalIdentity,
	error) {
	p, err := c.discover(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, ssoTimeout)
	defer cancel()
	tok, err := s.oauth(c, p).Exchange(ctx, code, oauth2.VerifierOption(st.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return nil, ally.Errorf(ally.EUNAUTHORIZED, "code refused: %v", err)
		}
		return nil, err
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := p.Verifier(&oidc.Config{ClientID: c.ClientID, Now: s.Now}).Verify(ctx, raw)
	if err != nil {
		return nil, ally.Errorf(ally.EUNAUTHORIZED, "ID token refused: %v", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(st.Nonce)) != 1 {
		return nil, ally.Errorf(ally.EUNAUTHORIZED, "ID token refused: wrong nonce")
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified bool   `json:"email_verified"`
		Name          string `json:"name"`
	}
	var all map[string]json.RawMessage
	if err := idt.Claims(&claims); err != nil {
		return nil, ally.Errorf(ally.EUNAUTHORIZED, "ID token claims: %v", err)
	}
	if err := idt.Claims(&all); err != nil {
		return nil, ally.Errorf(ally.EUNAUTHORIZED, "ID token claims: %v", err)
	}
	id := &ally.ExternalIdentity{Provider: c.providerKey(), Subject: idt.Subject, Email: claims.Email,
		EmailVerified: claims.EmailVerified || c.TrustEmail, Name: claims.Name, Groups: groupsClaim(all[c.GroupsClaim])}
	if c.DepartmentClaim != "" {
		if d := groupsClaim(all[c.DepartmentClaim]); len(d) > 0 {
			id.Department = d[0]
		}
	}
	return id, nil
}

// providerKey names the provider in linked identities: its issuer, so
// that renaming it in the configuration keeps everyone's accounts.
func (c *ssoClient) providerKey() string { return c.Issuer }

// groupsClaim reads a groups claim: a list of names, or one name.
func groupsClaim(raw json.RawMessage) []string {
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	var one string
	if json.Unmarshal(raw, &one) == nil && one != "" {
		return []string{one}
	}
	return nil
}

// browserHash is what a ticket stores of the browser cookie it is bound to.
func browserHash(cookie string) string {
	h := sha256.Sum256([]byte(cookie))
	return hex.EncodeToString(h[:])
}

// providerDown is the page's words when a provider cannot be reached.
func providerDown(c *ssoClient) string {
	return "We could not reach " + c.Label + " just now, so you cannot sign in with it. Please try again " +
		"in a few minutes, or use another way in below."
}

// endSessionURL is the provider's sign-out page, when it has one and has
// been discovered.
func (c *ssoClient) endSessionURL() string {
	c.mu.Lock()
	p := c.provider
	c.mu.Unlock()
	if p == nil {
		return ""
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if p.Claims(&meta) != nil {
		return ""
	}
	return meta.EndSession
}
