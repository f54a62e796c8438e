package main

import (
	"strings"
	"testing"
)

// Issue 20 F9: ally token create --expires, list and revoke.
func TestTokenListRevoke(t *testing.T) {
	db := migratedWithUser(t, "sam@example.com", "reporter")
	if code, _, errs := runCmd(t, "", "token", "create", "--db", db, "--email", "sam@example.com",
		"--expires", "soon"); code != 2 || !strings.Contains(errs, "30d") {
		t.Fatalf("bad --expires: %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, "", "token", "create", "--db", db, "--email", "sam@example.com",
		"--expires", "400d"); code != 2 || !strings.Contains(errs, "365 days") {
		t.Fatalf("too long --expires: %d %s", code, errs)
	}
	for _, name := range []string{"backup", "report"} {
		if code, out, errs := runCmd(t, "", "token", "create", "--db", db, "--email", "sam@example.com",
			"--name", name, "--expires", "30d"); code != 0 || !strings.HasPrefix(out, "ally_") {
			t.Fatalf("token create: %d %s %s", code, out, errs)
		}
	}
	code, out, _ := runCmd(t, "", "token", "list", "--db", db, "--email", "sam@example.com")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || !strings.Contains(out, "backup") || !strings.Contains(out, "never") ||
		strings.Contains(out, "ally_") {
		t.Fatalf("token list: %d\n%s", code, out)
	}
	id := strings.Fields(lines[1])[0]
	if code, out, errs := runCmd(t, "", "token", "revoke", "--db", db, "--id", id); code != 0 ||
		!strings.Contains(out, "Revoked 1") {
		t.Fatalf("revoke --id: %d %s %s", code, out, errs)
	}
	if code, out, _ := runCmd(t, "", "token", "revoke", "--db", db, "--email", "sam@example.com"); code != 0 ||
		!strings.Contains(out, "Revoked 1") {
		t.Fatalf("revoke --email: %d %s", code, out)
	}
	// Neither flag is not "both" (it said "Give either an email ... or a
	// token id, not both.").
	if code, _, errs := runCmd(t, "", "token", "revoke", "--db", db); code != 2 ||
		!strings.Contains(errs, "Say which tokens to revoke") || strings.Contains(errs, "both") {
		t.Fatalf("revoke without a flag: %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, "", "token", "revoke", "--db", db, "--id", id, "--email", "sam@example.com"); code != 2 ||
		!strings.Contains(errs, "not both") {
		t.Fatalf("revoke with both flags: %d %s", code, errs)
	}
}

// TestUserEnable: "ally user enable" brings back an account that "ally
// user disable" shut (there was no way back from the CLI); its old tokens
// stay ended, a new one works; an unknown email is bad usage.
func TestUserEnable(t *testing.T) {
	db := migratedWithUser(t, "sam@example.com", "reporter")
	if code, _, _ := runCmd(t, "", "token", "create", "--db", db, "--email", "sam@example.com"); code != 0 {
		t.Fatal("token create failed")
	}
	status := func() string {
		_, out, _ := runCmd(t, "", "user", "list", "--db", db)
		for _, line := range strings.Split(out, "\n") {
			if f := strings.Fields(line); len(f) > 0 && f[0] == "sam@example.com" {
				return f[len(f)-1]
			}
		}
		return "missing"
	}
	if code, out, _ := runCmd(t, "", "user", "disable", "--db", db, "sam@example.com"); code != 0 || status() != "disabled" ||
		!strings.Contains(out, "Disabled sam@example.com.") {
		t.Fatalf("disable: %d %q, %s", code, out, status())
	}
	if code, out, errs := runCmd(t, "", "user", "enable", "--db", db, "sam@example.com"); code != 0 ||
		!strings.Contains(out, "Enabled sam@example.com.") || status() != "active" {
		t.Fatalf("enable: %d %q %q, %s", code, out, errs, status())
	}
	if _, out, _ := runCmd(t, "", "token", "list", "--db", db, "--email", "sam@example.com"); strings.Count(
		strings.TrimSpace(out), "\n") != 0 {
		t.Errorf("enabling revived a token:\n%s", out)
	}
	if code, _, errs := runCmd(t, "", "user", "enable", "--db", db, "nobody@example.com"); code != 2 ||
		!strings.Contains(errs, "No account") {
		t.Errorf("enable an unknown email: %d %s", code, errs)
	}
}
