// Package oidctest runs a real OpenID Provider (zitadel/oidc's certified op
// package) on a local port for tests of single sign-on: discovery, the
// authorization code flow with PKCE, signed ID tokens, key rotation. Its
// login page signs in whoever the test chose with SignInAs, at once.
package oidctest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Person is someone the provider can vouch for.
type Person struct {
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
	Groups        []string
	Claims        map[string]any // more claims, by name
}

// Provider is a running OpenID Provider with one confidential client.
type Provider struct {
	Issuer       string
	ClientID     string
	ClientSecret string

	srv      *httptest.Server
	mu       sync.Mutex
	redirect []string
	lifetime time.Duration
	people   map[string]*Person
	next     string // the subject the login page signs in
	requests map[string]*authRequest
	codes    map[string]string
	keys     []*rsa.PrivateKey // newest first; the first signs
	keyIDs   []string
	op       *op.Provider
}

// Start runs a provider for a client with these redirect URIs; Close stops it.
func Start(redirectURIs ...string) (*Provider, error) {
	p := &Provider{ClientID: "ally", ClientSecret: "ally-secret", redirect: redirectURIs, lifetime: 5 * time.Minute,
		people: map[string]*Person{}, requests: map[string]*authRequest{}, codes: map[string]string{}}
	p.RotateKey()
	mux := http.NewServeMux()
	p.srv = httptest.NewServer(mux)
	p.Issuer = p.srv.URL
	cfg := &op.Config{CryptoKey: sha256.Sum256([]byte("oidctest")), CodeMethodS256: true, AuthMethodPost: true}
	prov, err := op.NewProvider(cfg, p, op.StaticIssuer(p.Issuer), op.WithAllowInsecure())
	if err != nil {
		p.srv.Close()
		return nil, err
	}
	p.op = prov
	callback := op.AuthCallbackURL(prov)
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		p.mu.Lock()
		req, ok := p.requests[id]
		if ok {
			req.subject, req.done, req.authTime = p.next, p.next != "", time.Now()
		}
		p.mu.Unlock()
		if !ok || !req.done {
			http.Error(w, "nobody to sign in", http.StatusForbidden)
			return
		}
		ctx := op.ContextWithIssuer(r.Context(), p.Issuer)
		http.Redirect(w, r, callback(ctx, id), http.StatusFound)
	})
	mux.Handle("/", prov)
	return p, nil
}

// Close stops the provider; Ally then finds it down.
func (p *Provider) Close() { p.srv.Close() }

// Add adds or replaces a person.
func (p *Provider) Add(who Person) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.people[who.Subject] = &who
}

// SetGroups changes a person's groups.
func (p *Provider) SetGroups(subject string, groups ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.people[subject].Groups = groups
}

// SetClaim sets one more claim of a person's; nil removes it.
func (p *Provider) SetClaim(subject, name string, v any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	who := p.people[subject]
	if who.Claims == nil {
		who.Claims = map[string]any{}
	}
	if v == nil {
		delete(who.Claims, name)
		return
	}
	who.Claims[name] = v
}

// SignInAs makes the login page sign in this person.
func (p *Provider) SignInAs(subject string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.next = subject
}

// SetIDTokenLifetime sets how long ID tokens last.
func (p *Provider) SetIDTokenLifetime(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lifetime = d
}

// RotateKey signs from now on with a new key; the old ones stay published.
func (p *Provider) RotateKey() {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keys = append([]*rsa.PrivateKey{k}, p.keys...)
	p.keyIDs = append([]string{fmt.Sprintf("key%d", len(p.keyIDs)+1)}, p.keyIDs...)
}

// authRequest is one authorization request in progress.
type authRequest struct {
	id        string
	req       *oidc.AuthRequest
	subject   string
	done      bool
	authTime  time.Time
	challenge *oidc.CodeChallenge
}

func (a *authRequest) GetID() string                         { return a.id }
func (a *authRequest) GetACR() string                        { return "" }
func (a *authRequest) GetAMR() []string                      { return []string{"pwd"} }
func (a *authRequest) GetAudience() []string                 { return []string{a.req.ClientID} }
func (a *authRequest) GetAuthTime() time.Time                { return a.authTime }
func (a *authRequest) GetClientID() string                   { return a.req.ClientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.challenge }
func (a *authRequest) GetNonce() string                      { return a.req.Nonce }
func (a *authRequest) GetRedirectURI() string                { return a.req.RedirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType    { return a.req.ResponseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode    { return a.req.ResponseMode }
func (a *authRequest) GetScopes() []string                   { return a.req.Scopes }
func (a *authRequest) GetState() string                      { return a.req.State }
func (a *authRequest) GetSubject() string                    { return a.subject }
func (a *authRequest) Done() bool                            { return a.done }

var errNotFound = errors.New("not found")

func randomID() string { return rand.Text() }

// CreateAuthRequest implements op.Storage.
func (p *Provider) CreateAuthRequest(_ context.Context, r *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	a := &authRequest{id: randomID(), req: r}
	if r.CodeChallenge != "" {
		a.challenge = &oidc.CodeChallenge{Challenge: r.CodeChallenge, Method: r.CodeChallengeMethod}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests[a.id] = a
	return a, nil
}

// AuthRequestByID implements op.Storage.
func (p *Provider) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if a, ok := p.requests[id]; ok {
		return a, nil
	}
	return nil, errNotFound
}

// AuthRequestByCode implements op.Storage.
func (p *Provider) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	p.mu.Lock()
	id, ok := p.codes[code]
	p.mu.Unlock()
	if !ok {
		return nil, errNotFound
	}
	return p.AuthRequestByID(ctx, id)
}

// SaveAuthCode implements op.Storage.
func (p *Provider) SaveAuthCode(_ context.Context, id, code string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.codes[code] = id
	return nil
}

// DeleteAuthRequest implements op.Storage: a code works once.
func (p *Provider) DeleteAuthRequest(_ context.Context, id string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.requests, id)
	for c, rid := range p.codes {
		if rid == id {
			delete(p.codes, c)
		}
	}
	return nil
}

// CreateAccessToken implements op.Storage.
func (p *Provider) CreateAccessToken(context.Context, op.TokenRequest) (string, time.Time, error) {
	return randomID(), time.Now().Add(5 * time.Minute), nil
}

// CreateAccessAndRefreshTokens implements op.Storage; there are no
// refresh tokens.
func (p *Provider) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time,
	error) {
	return randomID(), "", time.Now().Add(5 * time.Minute), nil
}

// TokenRequestByRefreshToken implements op.Storage.
func (p *Provider) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

// TerminateSession implements op.Storage.
func (p *Provider) TerminateSession(context.Context, string, string) error { return nil }

// RevokeToken implements op.Storage.
func (p *Provider) RevokeToken(context.Context, string, string, string) *oidc.Error { return nil }

// GetRefreshTokenInfo implements op.Storage.
func (p *Provider) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

// signingKey is a key the provider signs with.
type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k signingKey) Key() any                                    { return k.key }
func (k signingKey) ID() string                                  { return k.id }

// publicKey is a published key.
type publicKey struct{ signingKey }

func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.key.PublicKey }

// SigningKey implements op.Storage.
func (p *Provider) SigningKey(context.Context) (op.SigningKey, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return signingKey{p.keyIDs[0], p.keys[0]}, nil
}

// SignatureAlgorithms implements op.Storage.
func (p *Provider) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

// KeySet implements op.Storage.
func (p *Provider) KeySet(context.Context) ([]op.Key, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]op.Key, len(p.keys))
	for i, k := range p.keys {
		out[i] = publicKey{signingKey{p.keyIDs[i], k}}
	}
	return out, nil
}

// GetClientByClientID implements op.Storage.
func (p *Provider) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	if id != p.ClientID {
		return nil, errNotFound
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return &client{p: p, lifetime: p.lifetime}, nil
}

// AuthorizeClientIDSecret implements op.Storage.
func (p *Provider) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	if id != p.ClientID || secret != p.ClientSecret {
		return errors.New("wrong client secret")
	}
	return nil
}

// SetUserinfoFromScopes implements op.Storage.
func (p *Provider) SetUserinfoFromScopes(_ context.Context, info *oidc.UserInfo, subject, _ string, _ []string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	who, ok := p.people[subject]
	if !ok {
		return errNotFound
	}
	info.Subject, info.Email, info.Name = who.Subject, who.Email, who.Name
	info.EmailVerified = oidc.Bool(who.EmailVerified)
	info.AppendClaims("groups", who.Groups)
	for name, v := range who.Claims {
		info.AppendClaims(name, v)
	}
	return nil
}

// SetUserinfoFromToken implements op.Storage.
func (p *Provider) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, _, subject, _ string) error {
	return p.SetUserinfoFromScopes(ctx, info, subject, "", nil)
}

// SetIntrospectionFromToken implements op.Storage.
func (p *Provider) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string,
	string) error {
	return errNotFound
}

// GetPrivateClaimsFromScopes implements op.Storage.
func (p *Provider) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

// GetKeyByIDAndClientID implements op.Storage.
func (p *Provider) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errNotFound
}

// ValidateJWTProfileScopes implements op.Storage.
func (p *Provider) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errNotFound
}

// Health implements op.Storage.
func (p *Provider) Health(context.Context) error { return nil }

// client is Ally, a confidential web client.
type client struct {
	p        *Provider
	lifetime time.Duration
}

func (c *client) GetID() string                       { return c.p.ClientID }
func (c *client) RedirectURIs() []string              { return c.p.redirect }
func (c *client) PostLogoutRedirectURIs() []string    { return nil }
func (c *client) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c *client) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType {
	return []oidc.GrantType{oidc.GrantTypeCode}
}
func (c *client) LoginURL(id string) string           { return c.p.Issuer + "/login?id=" + id }
func (c *client) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeBearer }
func (c *client) IDTokenLifetime() time.Duration      { return c.lifetime }
func (c *client) DevMode() bool                       { return true }
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) IsScopeAllowed(string) bool           { return true }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *client) ClockSkew() time.Duration             { return 0 }
