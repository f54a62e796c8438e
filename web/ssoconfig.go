package web

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"

	"github.com/allydesk/ally"
	"go.yaml.in/yaml/v3"
)

// ssoFile is the --sso-config file: several providers.
type ssoFile struct {
	Providers []struct {
		SSOProvider `yaml:",inline"`
		Roles       map[string]string `yaml:"roles"`
	} `yaml:"providers"`
}

// providerName is what a named provider may be called: it is a path part.
var providerName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// ParseSSOConfig reads a --sso-config file. Errors name the provider and
// field that is wrong.
func ParseSSOConfig(b []byte) ([]SSOProvider, error) {
	var f ssoFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("not a providers list: %v", err)
	}
	if len(f.Providers) == 0 {
		return nil, fmt.Errorf("no providers: list them under \"providers\"")
	}
	seen := map[string]bool{}
	out := make([]SSOProvider, len(f.Providers))
	for i, p := range f.Providers {
		where := fmt.Sprintf("provider %d", i+1)
		if !providerName.MatchString(p.Name) {
			return nil, fmt.Errorf("%s: name %q must be lower-case letters, digits and dashes (it goes in the "+
				"callback path)", where, p.Name)
		}
		where = "provider " + p.Name
		if seen[p.Name] {
			return nil, fmt.Errorf("%s: listed twice", where)
		}
		seen[p.Name] = true
		if p.Label == "" {
			p.Label = p.Name
		}
		if err := CheckSSOProvider(p.SSOProvider); err != nil {
			return nil, fmt.Errorf("%s: %v", where, err)
		}
		if p.Roles != nil {
			p.SSOProvider.Roles = ally.RoleMap{}
			for g, r := range p.Roles {
				if !ally.Role(r).Valid() {
					return nil, fmt.Errorf("%s: roles: %q is not a role for %q; choose reporter, responder, lead "+
						"or admin", where, r, g)
				}
				p.SSOProvider.Roles[g] = ally.Role(r)
			}
		}
		out[i] = p.SSOProvider
	}
	return out, nil
}

// CheckSSOProvider checks a provider's issuer and client id.
func CheckSSOProvider(p SSOProvider) error {
	u, err := url.Parse(p.Issuer)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("issuer %q is not a URL like https://login.example.org", p.Issuer)
	}
	if p.ClientID == "" {
		return fmt.Errorf("client_id is missing: copy it from the provider's settings for Ally")
	}
	return nil
}
