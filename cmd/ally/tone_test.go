package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestToneCheck(t *testing.T) {
	blaming := "Thanks for the report.\nWhy did you click that link?"
	kind := "Thank you for telling us. It's not your fault. Please change your password now and I'll check your account."
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		out, errOut string
	}{
		{"text blame", blaming, []string{"tone", "check"}, 1, `2:1 error A "why did you" question`, ""},
		{"text suggestion", blaming, []string{"tone", "check", "-"}, 1, "try:   Ask what happened instead", ""},
		{"text kind", kind, []string{"tone", "check"}, 0, "0 finding(s), no blame found", ""},
		{"json", blaming, []string{"tone", "check", "--format", "json"}, 1, `"rule":"why-did-you","category":"blame","severity":"error","start":23,"end":34,"match":"Why did you"`, ""},
		{"responder audience skips jargon", "We saw C2 beaconing.", []string{"tone", "check", "--audience", "responder"}, 0, "0 finding(s)", ""},
		{"reporter audience flags jargon", "We saw C2 traffic.", []string{"tone", "check"}, 0, "(jargon-c2)", ""},
		{"bad format", "", []string{"tone", "check", "--format", "xml"}, 2, "", `--format "xml": use text, json or jsonl`},
		{"bad audience", "", []string{"tone", "check", "--audience", "boss"}, 2, "", `--audience "boss"`},
		{"missing file", "", []string{"tone", "check", "no/such/file.txt"}, 2, "", "cannot read the input"},
		{"bad jsonl", "{not json}\n", []string{"tone", "check", "--format", "jsonl"}, 2, "", "input line 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, tc.stdin, tc.args...)
			if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errOut, tc.errOut) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stdout to hold %q and stderr %q", code, tc.code, out, errOut, tc.out, tc.errOut)
			}
		})
	}
}

func TestToneCheckJSONL(t *testing.T) {
	in := `{"id": "a", "text": "Why did you open it?"}` + "\n\n" +
		`{"id": 7, "text": "Thanks, it's not your fault."}` + "\n" +
		`{"id": "c", "text": "You should have checked."}` + "\n"
	code, out, errOut := runCmd(t, in, "tone", "check", "--format", "jsonl")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (error-level findings); stderr %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 output lines, got %d:\n%s", len(lines), out)
	}
	wantIDs := []string{`"a"`, `7`, `"c"`}
	wantBlame := []bool{true, false, true}
	for i, l := range lines {
		var got struct {
			ID       json.RawMessage `json:"id"`
			Blame    bool            `json:"blame"`
			Findings []any           `json:"findings"`
		}
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if string(got.ID) != wantIDs[i] || got.Blame != wantBlame[i] || got.Findings == nil {
			t.Errorf("line %d: %s; want id %s, blame %v, findings present", i+1, l, wantIDs[i], wantBlame[i])
		}
	}
}

func TestToneCheckCustomRules(t *testing.T) {
	rules := writeFile(t, "rules.yaml", `
rules:
  - id: no-asap
    category: condescension
    severity: error
    message: ASAP pressures the reader.
    suggestion: Give a time instead.
    patterns: [asap]
    examples: {match: ["Reply ASAP."], clean: ["Reply by noon."]}
  - id: why-did-you
    disabled: true
`)
	code, out, _ := runCmd(t, "Why did you click? Reply ASAP.", "tone", "check", "--rules", rules)
	if code != 1 || !strings.Contains(out, "(no-asap)") || strings.Contains(out, "(why-did-you)") {
		t.Errorf("exit %d; the custom rule should fire and the disabled one should not:\n%s", code, out)
	}
	code, out, _ = runCmd(t, "", "tone", "test-rules", rules)
	if code != 0 || !strings.Contains(out, " passed, 0 failed") {
		t.Errorf("test-rules with a good file: exit %d\n%s", code, out)
	}
	broken := writeFile(t, "broken.yaml", `
rules:
  - id: wrong-example
    category: blame
    severity: error
    message: m
    suggestion: s
    patterns: [banana]
    examples: {match: ["apple"]}
`)
	code, out, _ = runCmd(t, "", "tone", "test-rules", broken)
	if code != 1 || !strings.Contains(out, `FAIL wrong-example should flag: "apple"`) || !strings.Contains(out, "1 failed") {
		t.Errorf("test-rules with a failing example: exit %d\n%s", code, out)
	}
	bad := writeFile(t, "bad.yaml", "rules:\n  - id: x\n    category: nonsense\n")
	code, _, errOut := runCmd(t, "", "tone", "check", "--rules", bad)
	if code != 2 || !strings.Contains(errOut, `category "nonsense"`) {
		t.Errorf("bad rule file: exit %d, stderr %s", code, errOut)
	}
}

func TestToneTestRulesDefaults(t *testing.T) {
	code, out, _ := runCmd(t, "", "tone", "test-rules")
	if code != 0 || !strings.Contains(out, " passed, 0 failed") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestToneEval(t *testing.T) {
	corpus := writeFile(t, "c.jsonl",
		`{"id":"1","text":"Why did you click it?","blame":true}`+"\n"+
			`{"id":"2","text":"Thanks for telling us!","blame":false}`+"\n"+
			`{"id":"3","text":"The printer on floor two is fixed.","blame":true}`+"\n")
	code, out, _ := runCmd(t, "", "tone", "eval", corpus, "--verbose")
	for _, want := range []string{"precision  1.000", "recall     0.500", "F1         0.667", "TP 1  FP 0  TN 1  FN 1", "missed      3: The printer on floor two"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}
	if code != 0 {
		t.Errorf("exit %d", code)
	}
	code, out, _ = runCmd(t, "", "tone", "eval", filepath.Join("..", "..", "tone", "testdata", "corpus.jsonl"))
	if code != 0 || !strings.Contains(out, "precision") {
		t.Errorf("eval on the repository corpus: exit %d\n%s", code, out)
	}
	code, _, errOut := runCmd(t, "", "tone", "eval", writeFile(t, "bad.jsonl", "nope\n"))
	if code != 2 || !strings.Contains(errOut, "line 1") {
		t.Errorf("bad corpus: exit %d, stderr %s", code, errOut)
	}
}

func TestToneAudit(t *testing.T) {
	csvFile := writeFile(t, "comments.csv", "team,comment\n"+
		"blue,Why did you click that?\n"+
		"blue,Thanks for reporting!\n"+
		"red,\"You should have checked, honestly.\"\n"+
		"red,Your fault.\n")
	code, out, _ := runCmd(t, "", "tone", "audit", csvFile, "--text-column", "comment", "--group-by", "team")
	if code != 0 || !strings.Contains(out, "blame rate") || !strings.Contains(out, "why-did-you (1)") {
		t.Errorf("text audit: exit %d\n%s", code, out)
	}
	code, out, _ = runCmd(t, "", "tone", "audit", csvFile, "--text-column", "comment", "--group-by", "team", "--format", "csv")
	if code != 0 || !strings.Contains(out, "red,2,2,1.0000,") || !strings.Contains(out, "blue,2,1,0.5000,") || !strings.Contains(out, "all,4,3,0.7500,") {
		t.Errorf("csv audit: exit %d\n%s", code, out)
	}
	code, out, _ = runCmd(t, "", "tone", "audit", csvFile, "--text-column", "comment", "--format", "json")
	var rep struct {
		Total struct {
			Messages int     `json:"messages"`
			Rate     float64 `json:"blame_rate"`
		} `json:"total"`
	}
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil || rep.Total.Messages != 4 || rep.Total.Rate != 0.75 {
		t.Errorf("json audit: exit %d, err %v\n%s", code, err, out)
	}
	code, _, errOut := runCmd(t, "", "tone", "audit", csvFile, "--text-column", "body")
	if code != 2 || !strings.Contains(errOut, `no column "body"`) {
		t.Errorf("missing column: exit %d, stderr %s", code, errOut)
	}
	code, _, errOut = runCmd(t, "", "tone", "audit", csvFile)
	if code != 2 || !strings.Contains(errOut, "--text-column is required") {
		t.Errorf("no text column: exit %d, stderr %s", code, errOut)
	}
}

// TestToneLearn stores an organisation's examples and shows eval and check
// with --db using them: the team's idiom is caught only with the database.
func TestToneLearn(t *testing.T) {
	t.Setenv("ALLY_DB", "")
	db := filepath.Join(t.TempDir(), "tone.db")
	examples := writeFile(t, "org.jsonl",
		`{"text":"Dana went full pineapple on that invoice.","blame":true,"kind":"sarcasm"}`+"\n"+
			`{"text":"Next steps for you: restart the laptop.","blame":false}`+"\n")
	if code, _, errOut := runCmd(t, "", "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate: exit %d\n%s", code, errOut)
	}
	code, out, errOut := runCmd(t, "", "tone", "learn", examples, "--db", db)
	if code != 0 || !strings.Contains(out, "learned 2 example(s); the organisation now has 2") {
		t.Fatalf("learn: exit %d\n%s%s", code, out, errOut)
	}
	corpus := writeFile(t, "c.jsonl", `{"id":"f","text":"Full pineapple on the invoice today.","blame":true}`+"\n")
	_, out, _ = runCmd(t, "", "tone", "eval", corpus)
	if !strings.Contains(out, "recall     0.000") || !strings.Contains(out, "missed      f: Full pineapple") {
		t.Errorf("without --db the idiom should be missed:\n%s", out)
	}
	_, out, _ = runCmd(t, "", "tone", "eval", corpus, "--db", db)
	if !strings.Contains(out, "recall     1.000") {
		t.Errorf("with --db the idiom should be caught:\n%s", out)
	}
	code, out, _ = runCmd(t, "Full pineapple on the invoice today.", "tone", "check", "--db", db)
	if code != 1 || !strings.Contains(out, "org-example") {
		t.Errorf("check --db: exit %d\n%s", code, out)
	}
	code, _, errOut = runCmd(t, "", "tone", "learn", writeFile(t, "bad.jsonl", `{"text":"","blame":true}`+"\n"), "--db", db)
	if code != 2 || !strings.Contains(errOut, "example 1: the text is empty") {
		t.Errorf("bad example: exit %d, stderr %s", code, errOut)
	}
	code, _, errOut = runCmd(t, "", "tone", "learn", examples)
	if code != 2 || !strings.Contains(errOut, "--db is required") {
		t.Errorf("no --db: exit %d, stderr %s", code, errOut)
	}
}

// TestToneEvalNoModel compares the rules alone with rules and model on the
// issue-17 holdout, as docs/tone.md does: the learned layer must add recall.
func TestToneEvalNoModel(t *testing.T) {
	holdout := filepath.Join("..", "..", "tone", "corpus", "holdout.jsonl")
	recall := func(args ...string) string {
		code, out, errOut := runCmd(t, "", append([]string{"tone", "eval", holdout}, args...)...)
		if code > 1 {
			t.Fatalf("tone eval %v: exit %d\n%s", args, code, errOut)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "recall") {
				return strings.TrimSpace(strings.TrimPrefix(line, "recall"))
			}
		}
		t.Fatalf("tone eval %v printed no recall:\n%s", args, out)
		return ""
	}
	rules, both := recall("--no-model"), recall()
	if rules >= both {
		t.Errorf("recall: rules alone %s, rules and model %s; the model should add recall", rules, both)
	}
}
