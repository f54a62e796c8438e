package web

import (
	"strings"
	"testing"
)

// The retention policy through the API: a bad rule is refused naming it
// and changes nothing; a good policy is stored whole and read back.
func TestAPIRetention(t *testing.T) {
	w := newAPIWorld(t)
	good := map[string]any{"rules": []map[string]any{{"kind": "*", "action": "deidentify", "days": 365},
		{"kind": "lost_device", "action": "delete", "days": 90}}}
	if st, body := w.call(t, "admin", "PUT", "/api/v1/retention", good); st != 200 || len(body["rules"].([]any)) != 2 {
		t.Fatalf("set: %d %v", st, body)
	}
	for _, bad := range []struct {
		body    any
		mention string
	}{
		{map[string]any{"rules": []map[string]any{{"kind": "laptop", "action": "delete", "days": 90}}}, "rules[0].kind"},
		{map[string]any{"rules": []map[string]any{{"kind": "*", "action": "delete", "days": 2}}}, "rules[0].days"},
		{map[string]any{}, "rules"},
	} {
		st, body := w.call(t, "admin", "PUT", "/api/v1/retention", bad.body)
		e, _ := body["error"].(map[string]any)
		if msg, _ := e["message"].(string); st != 400 || !strings.Contains(msg, bad.mention) {
			t.Errorf("%v: %d %v; want 400 naming %s", bad.body, st, body, bad.mention)
		}
	}
	if st, body := w.call(t, "admin", "GET", "/api/v1/retention", nil); st != 200 || len(body["rules"].([]any)) != 2 {
		t.Fatalf("a refused policy changed the rules: %d %v", st, body)
	}
}
