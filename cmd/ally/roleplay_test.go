package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// runRoleplayCmd runs "ally roleplay ..." in-process.
func runRoleplayCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCmd(t, stdin, append([]string{"roleplay"}, args...)...)
}

func transcriptPath(id, name string) string {
	return filepath.Join("..", "..", "roleplay", "testdata", "transcripts", id, name+".txt")
}

func TestRoleplayList(t *testing.T) {
	code, out, _ := runRoleplayCmd(t, "", "list")
	if code != 0 || !strings.Contains(out, "parcel-link-new-hire") || !strings.Contains(out, "TEMPERAMENT") {
		t.Fatalf("list: code %d\n%s", code, out)
	}
	code, out, _ = runRoleplayCmd(t, "", "list", "--format", "json")
	var got struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil || len(got.Items) < 8 {
		t.Fatalf("list json: code %d, err %v\n%s", code, err, out)
	}
	if strings.Contains(out, "min_trust") || strings.Contains(out, "09:14") {
		t.Error("list json leaks hidden facts")
	}
}

func TestRoleplayScriptJSON(t *testing.T) {
	tests := []struct {
		name, id, file string
		ended          string
		minOverall     int
		maxOverall     int
		facts          int
	}{
		{"good", "parcel-link-new-hire", "good", "goals_met", 85, 100, 3},
		{"blaming", "parcel-link-new-hire", "blaming", "disengaged", 0, 40, 0},
		{"angry good", "unrequested-reset-angry", "good", "goals_met", 85, 100, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runRoleplayCmd(t, "", tc.id, "--script", transcriptPath(tc.id, tc.file), "--format", "json")
			var d struct {
				Ended         string         `json:"ended"`
				Scores        map[string]int `json:"scores"`
				FactsRevealed []string       `json:"facts_revealed"`
				Transcript    []any          `json:"transcript"`
			}
			if err := json.Unmarshal([]byte(out), &d); code != 0 || err != nil {
				t.Fatalf("code %d, err %v, stderr %s", code, err, errOut)
			}
			if d.Ended != tc.ended || d.Scores["overall"] < tc.minOverall || d.Scores["overall"] > tc.maxOverall ||
				len(d.FactsRevealed) != tc.facts || len(d.Transcript) == 0 {
				t.Errorf("got ended %s, scores %v, facts %v", d.Ended, d.Scores, d.FactsRevealed)
			}
			for _, k := range []string{"overall", "empathy", "blame_avoided", "facts_gathered", "first_steps", "clarity"} {
				if _, ok := d.Scores[k]; !ok {
					t.Errorf("scores lack %q", k)
				}
			}
		})
	}
}

func TestRoleplayScriptFromStdinText(t *testing.T) {
	script := "# a comment\n\nThat sounds really stressful. Thank you for calling.\nWhy did you click it?\n"
	code, out, _ := runRoleplayCmd(t, script, "parcel-link-new-hire", "--script", "-")
	if code != 0 {
		t.Fatalf("code %d", code)
	}
	for _, want := range []string{"Scores: overall", "1. You: That sounds really stressful", "2. You: Why did you click it?", "Try: ", "What Sam knew"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestRoleplayInteractive(t *testing.T) {
	code, out, _ := runRoleplayCmd(t, "lost-laptop-train\nThanks for calling. Where did you last have it?\n/quit\nnever read\n")
	if code != 0 {
		t.Fatalf("code %d", code)
	}
	for _, want := range []string{"Which scenario?", "Priya: Hi, quick one", "Priya: I got off at London Bridge", "Ended: you stopped early after 1 turn\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runRoleplayCmd(t, "5\nWhy did you click it?\nYou should have known better.\nHello?\n")
	if code != 0 || !strings.Contains(out, "[the conversation has ended: disengaged]") || strings.Contains(out, "Hello?") {
		t.Errorf("pick by number and disengage: code %d\n%s", code, out)
	}
}

func TestRoleplayUsageErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("id: [oops"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"unknown scenario", "", []string{"nope"}, "known: fake-it-support-code, invoice-attachment-malware"},
		{"unknown chosen", "nope\n", nil, `unknown scenario "nope"`},
		{"nothing chosen", "", nil, "no scenario chosen"},
		{"missing script", "", []string{"lost-laptop-train", "--script", filepath.Join(dir, "none.txt")}, "--script"},
		{"script without scenario", "", []string{"--script", "-"}, "needs a SCENARIO"},
		{"bad format", "", []string{"list", "--format", "xml"}, "use text or json"},
		{"bad scenarios folder", "", []string{"list", "--scenarios", dir}, "bad.yaml"},
		{"too many args", "", []string{"a", "b"}, "roleplay --help"},
	}
	for _, tc := range tests {
		code, _, errOut := runRoleplayCmd(t, tc.stdin, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: code %d, stderr %q; want 2 and %q", tc.name, code, errOut, tc.want)
		}
	}
}

// --llm-url lets a model word the replies; the scores stay the engine's, and a
// failing model falls back to the built-in lines with one warning.
func TestRoleplayLLMVoice(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		w.Write([]byte(`{"choices":[{"message":{"role":"assistant","content":"(voiced) Okay."}}]}`))
	}))
	defer srv.Close()
	script := transcriptPath("parcel-link-new-hire", "good")
	_, plain, _ := runRoleplayCmd(t, "", "parcel-link-new-hire", "--script", script, "--format", "json")
	code, voiced, errOut := runRoleplayCmd(t, "", "parcel-link-new-hire", "--script", script, "--format", "json", "--llm-url", srv.URL+"/v1")
	if code != 0 || strings.Count(voiced, "(voiced) Okay.") != 6 || errOut != "" {
		t.Fatalf("code %d, stderr %q\n%s", code, errOut, voiced)
	}
	scores := func(out string) any {
		var d struct{ Scores any }
		json.Unmarshal([]byte(out), &d)
		return d.Scores
	}
	if a, b := scores(plain), scores(voiced); a == nil || !reflect.DeepEqual(a, b) {
		t.Errorf("scores changed with a voice: %v vs %v", a, b)
	}
	status = http.StatusBadGateway
	code, out, errOut := runRoleplayCmd(t, "", "parcel-link-new-hire", "--script", script, "--llm-url", srv.URL)
	if code != 0 || strings.Count(errOut, "did not answer") != 1 || !strings.Contains(out, "Okay. That helps a bit.") {
		t.Errorf("fallback: code %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runRoleplayCmd(t, "", "parcel-link-new-hire", "--llm-url", "localhost:1"); code != 2 || !strings.Contains(errOut, "--llm-url") {
		t.Errorf("bad url: code %d, stderr %q", code, errOut)
	}
}
