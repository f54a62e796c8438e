package web

import (
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

const ssoConfigExample = `providers:
  - name: entra
    label: Microsoft
    issuer: https://login.microsoftonline.com/TENANT/v2.0
    client_id: 1234
    client_secret: s3cret
    groups_claim: roles
    department_claim: department
    roles: {security-team: responder, soc-leads: lead}
  - name: google
    issuer: https://accounts.google.com
    client_id: abcd
`

// Issue 14: several providers from --sso-config, each checked.
func TestParseSSOConfig(t *testing.T) {
	ps, err := ParseSSOConfig([]byte(ssoConfigExample))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].Name != "entra" || ps[0].Label != "Microsoft" || ps[0].GroupsClaim != "roles" ||
		ps[0].DepartmentClaim != "department" || ps[1].DepartmentClaim != "" ||
		ps[0].Roles["soc-leads"] != ally.RoleLead || ps[1].Label != "google" || ps[1].Roles != nil {
		t.Fatalf("parsed %+v", ps)
	}
	for in, want := range map[string]string{
		"providers: []": "no providers",
		"providers: [{name: A, issuer: https://x, client_id: c}]":                                             `name "A"`,
		"providers: [{name: a, issuer: x, client_id: c}]":                                                     `issuer "x"`,
		"providers: [{name: a, issuer: https://x}]":                                                           "client_id is missing",
		"providers: [{name: a, issuer: https://x, client_id: c, roles: {g: boss}}]":                           `"boss" is not a role`,
		"providers: [{name: a, issuer: https://x, client_id: c, colour: red}]":                                "not a providers list",
		"providers: [{name: a, issuer: https://x, client_id: c}, {name: a, issuer: https://y, client_id: d}]": "twice",
	} {
		if _, err := ParseSSOConfig([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error saying %q", in, err, want)
		}
	}
}

func FuzzParseSSOConfig(f *testing.F) {
	f.Add([]byte(ssoConfigExample))
	f.Add([]byte("providers: [{name: a, issuer: https://x, client_id: c}]"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, err := ParseSSOConfig(b)
		if err != nil {
			return
		}
		for _, p := range ps {
			if !providerName.MatchString(p.Name) || CheckSSOProvider(p) != nil || p.Label == "" {
				t.Fatalf("accepted %+v", p)
			}
		}
	})
}
