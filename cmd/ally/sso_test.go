package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/allydesk/ally/store"
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

// Issue 14: the break-glass reset from the CLI prints a one-time password
// that signs in, and is audited.
func TestUserResetPassword(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ally.db")
	if code, _, errs := runCmd(t, "", "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate: %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, "", "user", "add", "--db", db, "--email", "ada@example.com", "--name", "Ada",
		"--role", "admin"); code != 0 {
		t.Fatalf("user add: %d %s", code, errs)
	}
	code, out, errs := runCmd(t, "", "user", "reset-password", "--db", db, "ada@example.com")
	pw, ok := strings.CutPrefix(strings.TrimSpace(out), "New password for ada@example.com (shown once): ")
	if code != 0 || !ok || len(pw) < 12 {
		t.Fatalf("reset-password: %d %q %s", code, out, errs)
	}
	d, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Authenticate(context.Background(), "ada@example.com", pw); err != nil {
		t.Errorf("the new password does not sign in: %v", err)
	}
	if code, _, errs := runCmd(t, "", "user", "reset-password", "--db", db, "nobody@example.com"); code != 2 ||
		!strings.Contains(errs, "nobody@example.com") {
		t.Errorf("an unknown account: %d %q, want exit 2 naming it", code, errs)
	}
}
