package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 14: single sign-on flags that cannot work are refused at start,
// saying what to add.
func TestServeSSOFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ally.db")
	bad := filepath.Join(t.TempDir(), "sso.yaml")
	if err := os.WriteFile(bad, []byte("providers: [{name: Bad, issuer: https://x, client_id: c}]"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--oidc-issuer", "https://login.example.org", "--oidc-client-id", "ally"}, "needs --public-url"},
		{[]string{"--oidc-issuer", "login.example.org", "--oidc-client-id", "ally"}, "is not a URL"},
		{[]string{"--oidc-issuer", "https://login.example.org"}, "client_id is missing"},
		{[]string{"--oidc-issuer", "https://x", "--oidc-client-id", "a", "--public-url", "https://ally.test",
			"--oidc-roles", "soc=boss"}, `"boss" in "soc=boss" is not a role`},
		{[]string{"--sso-only"}, "--sso-only needs a provider"},
		{[]string{"--sso-config", bad, "--public-url", "https://ally.test"}, `name "Bad"`},
	} {
		code, _, stderr := runCmd(t, "", append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("serve %v: exit %d, %q; want exit 2 saying %q", c.args, code, stderr, c.want)
		}
	}
}
