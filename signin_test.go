package ally

import (
	"strings"
	"testing"
)

// Issue 14: groups map to the highest role any of them gives; no group
// gives reporter; bad pairs are named.
func TestRoleMap(t *testing.T) {
	m, err := ParseRoleMap(" security-team = responder,soc-leads=lead,, ")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		groups []string
		want   Role
	}{{nil, RoleReporter}, {[]string{"staff"}, RoleReporter}, {[]string{"security-team"}, RoleResponder},
		{[]string{"soc-leads", "security-team"}, RoleLead}} {
		if got := m.RoleFor(c.groups); got != c.want {
			t.Errorf("%v: %s, want %s", c.groups, got, c.want)
		}
	}
	for in, want := range map[string]string{"security-team": "is not group=role", "=lead": "is not group=role",
		"a=boss": `"boss" in "a=boss" is not a role`} {
		if _, err := ParseRoleMap(in); ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), want) {
			t.Errorf("%q: %v, want EINVALID saying %q", in, err, want)
		}
	}
}

func FuzzParseRoleMap(f *testing.F) {
	for _, s := range []string{"a=lead", "security-team=responder,soc-leads=lead", "=", ",,", "a=b=c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseRoleMap(s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("%q: %v is not EINVALID", s, err)
			}
			return
		}
		for g, r := range m {
			if g == "" || !r.Valid() {
				t.Fatalf("%q gave %q=%q", s, g, r)
			}
		}
	})
}
