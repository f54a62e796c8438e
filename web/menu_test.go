package web

import (
	"net/http"
	"regexp"
	"slices"
	"testing"

	"github.com/allydesk/ally"
)

var menuLink = regexp.MustCompile(`<li><a href="([^"]+)"( aria-current="page")?>([^<]+)</a></li>`)

// TestMenu: every role's menu offers the pages it may use, each of which
// opens (no link that goes nowhere, no refusal), with the page open marked
// as the current one. A responder finds their notification settings there:
// before, only an email's footer linked to them.
func TestMenu(t *testing.T) {
	ts := newTestServer(t)
	ts.Srv.Webhooks = ts.DB // as `ally serve` wires it
	for _, tc := range []struct {
		role ally.Role
		want []string
	}{
		{ally.RoleReporter, []string{"My reports", "Report a concern", "Lessons", "Change password"}},
		{ally.RoleResponder, []string{"Queue", "Campaigns", "Report a concern", "Lessons", "Practice", "Notifications",
			"Change password"}},
		{ally.RoleLead, []string{"Queue", "Campaigns", "Report a concern", "Dashboard", "Insights", "Lessons", "Practice",
			"Notifications", "Change password"}},
		{ally.RoleAdmin, []string{"Queue", "Campaigns", "Report a concern", "Dashboard", "Insights", "Lessons", "Practice",
			"Users", "Webhooks", "Notifications", "Change password"}},
	} {
		t.Run(string(tc.role), func(t *testing.T) {
			email := string(tc.role) + "@example.com"
			pc := newPageClient(t, ts)
			pc.signIn(email, ts.addUser(t, email, "Pat "+string(tc.role), tc.role, "IT"))
			_, page, _ := pc.get("/lessons")
			var labels []string
			for _, m := range menuLink.FindAllStringSubmatch(page, -1) {
				href, current, label := m[1], m[2] != "", m[3]
				labels = append(labels, label)
				if current != (href == "/lessons") {
					t.Errorf("on /lessons, %s is marked current: %v", href, current)
				}
				if code, _, _ := pc.get(href); code != http.StatusOK {
					t.Errorf("the menu's %q (%s) answers %d", label, href, code)
				}
			}
			if !slices.Equal(labels, tc.want) {
				t.Errorf("the menu is %q, want %q", labels, tc.want)
			}
		})
	}
}
