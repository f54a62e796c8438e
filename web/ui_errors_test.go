package web

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

func TestPlainMessage(t *testing.T) {
	for msg, want := range map[string]string{
		`severity: "bogus" is not a severity; use low, medium, high or critical.`: `"bogus" is not a severity; use low, medium, high or critical.`,
		"from: the first day must come before the last day.":                      "The first day must come before the last day.",
		"email: an account for a@example.com already exists.":                     "An account for a@example.com already exists.",
		"password: must be at least 12 characters.":                               "The password must be at least 12 characters.",
		"q: has more than 20 words; search with fewer.":                           "The search has more than 20 words; search with fewer.",
		"rules[2].days: is out of range.":                                         "This is out of range.",
		"link.duplicate_of: no case AL-9 was found.":                              "No case AL-9 was found.",
		"Many reports came from your network: wait a minute.":                     "Many reports came from your network: wait a minute.",
		"Note: a whole sentence.":                                                 "Note: a whole sentence.",
		"internal error":                                                          "internal error",
		"ref: ":                                                                   "ref: ",
	} {
		if got := plainMessage(msg); got != want {
			t.Errorf("plainMessage(%q) = %q, want %q", msg, got, want)
		}
	}
}

// TestPageErrorsReadPlainly: a refusal shown on a page reads as a
// sentence, without the field name the API starts its message with (the
// error page for hand-made query values, the admin's "Add a person" form,
// a bulk change's per-case problems), while the API keeps the field name.
func TestPageErrorsReadPlainly(t *testing.T) {
	w := newAPIWorld(t)
	lead := newPageClient(t, w.testServer)
	lead.signIn("lee@example.com", w.addUser(t, "lee@example.com", "Lee Park", ally.RoleLead, "Security"))
	admin := newPageClient(t, w.testServer)
	admin.signIn("ada@example.com", w.addUser(t, "ada@example.com", "Ada Byrne", ally.RoleAdmin, "IT"))
	admin.get("/admin/users")
	c, err := w.DB.CreateCase(asUser(t, w.testServer, "lee@example.com"), &ally.NewCase{Kind: ally.KindClickedLink,
		Summary: "A link"})
	if err != nil {
		t.Fatal(err)
	}
	lead.get("/queue")

	check := func(what string, code int, body string, wantCode int, want string) {
		t.Helper()
		text := html.UnescapeString(body)
		if code != wantCode || !strings.Contains(text, want) {
			t.Errorf("%s: %d, want %d and %q", what, code, wantCode, want)
		}
		for _, raw := range []string{"severity: ", "from: ", "email: ", "password: ", "status: ", "outcome: "} {
			if strings.Contains(text, raw) {
				t.Errorf("%s: the page shows the field name %q", what, raw)
			}
		}
	}
	code, body, _ := lead.get("/queue?severity=bogus")
	check("/queue?severity=bogus", code, body, http.StatusBadRequest, `"bogus" is not a severity`)
	code, body, _ = lead.get("/dashboard.csv?from=2026-11-20&to=2026-11-01")
	check("/dashboard.csv, dates reversed", code, body, http.StatusBadRequest, "The first day must come before the last day.")

	person := url.Values{"email": {"lee@example.com"}, "name": {"Lee Again"}, "role": {"reporter"}}
	code, body, _ = admin.post("/admin/users", person)
	check("an email already used", code, body, http.StatusConflict, "An account for lee@example.com already exists.")
	person.Set("email", "new@example.com")
	person.Set("password", "short")
	code, body, _ = admin.post("/admin/users", person)
	check("a short password", code, body, http.StatusBadRequest, "The password must be at least")

	code, body, _ = lead.post("/queue/bulk", url.Values{"back": {"/queue"}, "bulk": {"1"}, "ref": {c.Ref},
		"status": {"resolved"}})
	check("resolving in bulk", code, body, http.StatusUnprocessableEntity, "The outcome is required to resolve a case")
	if code, _, _ = lead.post("/queue/bulk", url.Values{"back": {"/queue"}, "act": {"ack:" + c.Ref}}); code != http.StatusSeeOther {
		t.Fatalf("acknowledge: %d", code)
	}
	code, body, _ = lead.post("/queue/bulk", url.Values{"back": {"/queue"}, "bulk": {"1"}, "ref": {c.Ref},
		"status": {"new"}})
	check("a bulk change a case cannot take", code, body, http.StatusUnprocessableEntity, c.Ref+": A case cannot go from")

	if st, res := w.call(t, "lead", "GET", "/api/v1/cases?severity=bogus", nil); st != http.StatusBadRequest ||
		!strings.HasPrefix(res["error"].(map[string]any)["message"].(string), "severity: ") {
		t.Errorf("the API's message lost its field name: %d %v", st, res)
	}
}
