package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

func putAs(t *testing.T, url, token, body string) (int, string) {
	t.Helper()
	return requestAs(t, "PUT", url, token, body)
}

// TestAPINotifySettings: responders read and change their choices; a bad
// choice is refused with what to send instead and changes nothing;
// reporters get no such mail and are refused.
func TestAPINotifySettings(t *testing.T) {
	url, tokens := outboxServer(t)
	api := url + "/api/v1/me/notifications"
	resp := tokens[ally.RoleResponder]
	if code, body := getAs(t, api, resp); code != 200 || !strings.Contains(body, `"assigned":"instant"`) {
		t.Fatalf("defaults: %d %s", code, body)
	}
	code, body := putAs(t, api, resp, `{"assigned":"digest","critical":"off"}`)
	var got ally.NotifySettings
	if code != 200 || json.Unmarshal([]byte(body), &got) != nil || got[ally.NotifyAssigned] != ally.NotifyDigest ||
		got[ally.NotifyCritical] != ally.NotifyOff || got[ally.NotifyReporterWrote] != ally.NotifyInstant {
		t.Fatalf("set: %d %s", code, body)
	}
	if code, body := putAs(t, api, resp, `{"assigned":"weekly"}`); code != 400 ||
		!strings.Contains(body, "use instant, digest or off") {
		t.Errorf("bad choice: %d %s", code, body)
	}
	if code, body := getAs(t, api, resp); code != 200 || !strings.Contains(body, `"assigned":"digest"`) {
		t.Errorf("after a refused change: %d %s", code, body)
	}
	if code, _ := getAs(t, api, tokens[ally.RoleReporter]); code != 403 {
		t.Errorf("reporter: %d", code)
	}
	if code, _ := getAs(t, url+"/settings/notifications", tokens[ally.RoleReporter]); code != 403 {
		t.Errorf("reporter's page: %d", code)
	}
	code, body = getAs(t, url+"/settings/notifications", resp)
	if code != 200 || !strings.Contains(body, `name="assigned" value="digest" checked`) ||
		!strings.Contains(body, `name="critical" value="off" checked`) {
		t.Errorf("page: %d %s", code, body)
	}
}

// TestNotifySettingsForm: the settings page's form saves without
// JavaScript (POST, then back to the page with a notice). It says how often
// digests go out on this server (ally serve --digest-every).
func TestNotifySettingsForm(t *testing.T) {
	ts := newTestServer(t)
	ts.Srv.DigestEvery = 4 * time.Hour
	pc := newPageClient(t, ts)
	pc.signIn("rita@example.com", ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleResponder, "Security"))
	if code, body, _ := pc.get("/settings/notifications"); code != 200 ||
		!strings.Contains(body, "gathered into one email every 4 hours") || !strings.Contains(body, "In a digest (every 4 hours)") {
		t.Fatalf("page: %d\n%s", code, body)
	}
	code, body, loc := pc.post("/settings/notifications", url.Values{"reporter_wrote": {"digest"}})
	if code != http.StatusSeeOther || loc != "/settings/notifications?done=notify" {
		t.Fatalf("save: %d to %q: %s", code, loc, body)
	}
	_, body, _ = pc.get(loc)
	if !strings.Contains(body, "Your notification settings were saved.") ||
		!strings.Contains(body, `name="reporter_wrote" value="digest" checked`) {
		t.Errorf("after saving:\n%s", body)
	}
	code, body, _ = pc.post("/settings/notifications", url.Values{"critical": {"sometimes"}})
	if code != 400 || !strings.Contains(body, "use instant, digest or off") {
		t.Errorf("bad choice: %d", code)
	}
}
