package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// TestAPISearchAndSort searches and sorts the case list through the API:
// a word of the report, a reference, a reporter, every order both ways, and
// a clear 400 for a bad order or search.
func TestAPISearchAndSort(t *testing.T) {
	w := newAPIWorld(t)
	a := w.newCase(t, false)
	st, body := w.call(t, "reporterB", "POST", "/api/v1/cases", map[string]any{"kind": "lost_device",
		"summary": "Lost laptop", "details": "Left my laptop on the tram near the harbour."})
	if st != 201 {
		t.Fatalf("%d %v", st, body)
	}
	b := body["ref"].(string)
	refs := func(path, role string) string {
		st, body := w.call(t, role, "GET", path, nil)
		if st != 200 {
			t.Fatalf("%s: %d %v", path, st, body)
		}
		var out []string
		for _, it := range body["items"].([]any) {
			out = append(out, it.(map[string]any)["ref"].(string))
		}
		return strings.Join(out, ",")
	}
	for q, want := range map[string]string{"harbour": b, "HARB": b, a: a, "parcel": a, "reporterB": b,
		"tram laptop": b, "tram parcel": ""} {
		if got := refs("/api/v1/cases?q="+strings.ReplaceAll(q, " ", "+"), "responder"); got != want {
			t.Errorf("q=%s: got %q, want %q", q, got, want)
		}
	}
	if got := refs("/api/v1/cases?q=harbour", "reporterA"); got != "" {
		t.Errorf("reporterA found another's case: %q", got)
	}
	for _, s := range []string{"priority", "due", "created", "updated", "severity"} {
		asc, desc := refs("/api/v1/cases?sort="+s, "lead"), refs("/api/v1/cases?sort=-"+s, "lead")
		if len(asc) == 0 || len(strings.Split(asc, ",")) != 2 || len(strings.Split(desc, ",")) != 2 {
			t.Errorf("sort %s: %q / %q", s, asc, desc)
		}
	}
	if got := refs("/api/v1/cases?sort=created", "lead"); got != a+","+b {
		t.Errorf("created: %q", got)
	}
	if got := refs("/api/v1/cases?sort=-created", "lead"); got != b+","+a {
		t.Errorf("-created: %q", got)
	}
	for path, field := range map[string]string{"/api/v1/cases?sort=title": "sort",
		"/api/v1/cases?q=" + strings.Repeat("x", 201): "q", "/api/v1/cases?unread=maybe": "unread"} {
		st, body := w.call(t, "lead", "GET", path, nil)
		msg := fmt.Sprint(body["error"])
		if st != 400 || !strings.Contains(msg, field+":") {
			t.Errorf("%s: %d %s", path, st, msg)
		}
	}
}

// TestAPIBulkUpdate assigns several cases at once: each reference gets its
// own result, a bad one does not stop the others, and a bad body changes
// nothing.
func TestAPIBulkUpdate(t *testing.T) {
	w := newAPIWorld(t)
	var refs []string
	for range 3 {
		refs = append(refs, w.newCase(t, false))
	}
	st, body := w.call(t, "responder", "POST", "/api/v1/cases/bulk", map[string]any{
		"refs": append(refs, "AL-999999", "nonsense"), "set": map[string]any{"assignee": "responder@example.org",
			"severity": "high"}})
	if st != 200 {
		t.Fatalf("%d %v", st, body)
	}
	results := body["results"].([]any)
	if len(results) != 5 {
		t.Fatalf("%d results: %v", len(results), results)
	}
	for i, r := range results {
		m := r.(map[string]any)
		if want := i < 3; m["done"] != want || (m["error"] == nil) == !want {
			t.Errorf("result %d: %v", i, m)
		}
	}
	for _, ref := range refs {
		_, c := w.call(t, "lead", "GET", "/api/v1/cases/"+ref, nil)
		if c["severity"] != "high" || c["assignee"] == nil {
			t.Errorf("%s not updated: %v %v", ref, c["severity"], c["assignee"])
		}
	}
	if st, body := w.call(t, "reporterA", "POST", "/api/v1/cases/bulk", map[string]any{"refs": refs,
		"set": map[string]any{"status": "resolved"}}); st != 403 {
		t.Errorf("reporter bulk: %d %v", st, body)
	}
	many := make([]string, 501)
	for i := range many {
		many[i] = refs[0]
	}
	for name, in := range map[string]map[string]any{
		"no refs":   {"refs": []string{}, "set": map[string]any{"severity": "low"}},
		"too many":  {"refs": many, "set": map[string]any{"severity": "low"}},
		"empty set": {"refs": refs, "set": map[string]any{}},
		"bad value": {"refs": refs, "set": map[string]any{"severity": "huge"}},
	} {
		if st, body := w.call(t, "lead", "POST", "/api/v1/cases/bulk", in); st != 400 {
			t.Errorf("%s: %d %v", name, st, body)
		}
	}
	_, c := w.call(t, "lead", "GET", "/api/v1/cases/"+refs[0], nil)
	if c["severity"] != "high" {
		t.Errorf("a refused bulk changed the case: %v", c["severity"])
	}
}

// TestAPIBulkLinkDuplicates marks several cases duplicates of one through
// the bulk route: by default the case reported first survives; each
// reference gets its own result (another's confidential case reads as a
// missing one); the survivor lists its duplicates; a bad body changes
// nothing; existing "set" clients are unaffected.
func TestAPIBulkLinkDuplicates(t *testing.T) {
	w := newAPIWorld(t)
	first, second, third := w.newCase(t, false), w.newCase(t, false), w.newCase(t, false)
	hidden := w.newCase(t, true) // reporterA's: the responder may not see it
	bulk := func(role string, in map[string]any) (int, map[string]any) {
		t.Helper()
		return w.call(t, role, "POST", "/api/v1/cases/bulk", in)
	}
	results := func(body map[string]any) string {
		var out []string
		for _, r := range body["results"].([]any) {
			m := r.(map[string]any)
			switch e, _ := m["error"].(map[string]any); {
			case m["survivor"] == true:
				out = append(out, m["ref"].(string)+" survivor")
			case m["done"] == true:
				out = append(out, m["ref"].(string)+" done")
			default:
				out = append(out, m["ref"].(string)+" "+e["code"].(string))
			}
		}
		return strings.Join(out, ", ")
	}
	for name, in := range map[string]map[string]any{
		"set and link": {"refs": []string{second}, "set": map[string]any{"severity": "low"},
			"link": map[string]any{}},
		"neither":         {"refs": []string{second}},
		"unknown field":   {"refs": []string{second}, "link": map[string]any{"related_to": first}},
		"no refs":         {"refs": []string{}, "link": map[string]any{}},
		"hidden survivor": {"refs": []string{second}, "link": map[string]any{"duplicate_of": hidden}},
	} {
		if st, body := bulk("responder", in); st != 400 {
			t.Errorf("%s: %d %v", name, st, body)
		} else if msg := fmt.Sprint(body["error"]); name == "hidden survivor" &&
			!strings.Contains(msg, "link.duplicate_of: no case "+hidden+" was found, or it is not shared with you.") {
			t.Errorf("hidden survivor: %s", msg)
		}
	}
	if st, body := bulk("reporterA", map[string]any{"refs": []string{second}, "link": map[string]any{}}); st != 403 {
		t.Errorf("a reporter linking: %d %v", st, body)
	}
	st, body := bulk("responder", map[string]any{"refs": []string{third, first, hidden, "AL-999999", second},
		"link": map[string]any{}})
	want := third + " done, " + first + " survivor, " + hidden + " not_found, AL-999999 not_found, " + second + " done"
	if got := results(body); st != 200 || got != want {
		t.Fatalf("%d: %s, want %s", st, got, want)
	}
	_, body = bulk("responder", map[string]any{"refs": []string{second}, "link": map[string]any{"duplicate_of": first}})
	if got := results(body); got != second+" conflict" {
		t.Errorf("linking again: %s", got)
	}
	_, links := w.call(t, "lead", "GET", "/api/v1/cases/"+first+"/links", nil)
	var linked []string
	for _, it := range links["items"].([]any) {
		linked = append(linked, fmt.Sprint(it.(map[string]any)["ref"], " ", it.(map[string]any)["role"]))
	}
	if got := strings.Join(linked, ", "); got != second+" duplicate, "+third+" duplicate" {
		t.Errorf("the survivor's links: %s", got)
	}
	_, timeline := w.call(t, "reporterA", "GET", "/api/v1/cases/"+third+"/timeline", nil)
	if !strings.Contains(fmt.Sprint(timeline["items"]), ally.DuplicateJoined) {
		t.Error("the duplicate's reporter was not told")
	}
	// The lead sees the confidential case, and may link it.
	_, body = bulk("lead", map[string]any{"refs": []string{hidden}, "link": map[string]any{"duplicate_of": first}})
	if got := results(body); got != hidden+" done" {
		t.Errorf("the lead linking a confidential case: %s", got)
	}
}
