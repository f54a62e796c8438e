package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const evalDir = "../../mailscan/testdata/eval/"

func runAnalyze(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCmd(t, "", append([]string{"analyze"}, args...)...)
}

func TestAnalyzeJSONL(t *testing.T) {
	code, out, errOut := runAnalyze(t, evalDir+"heldout/phish", "--format", "jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 20 {
		t.Fatalf("%d lines, want 20", len(lines))
	}
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"file", "verdict", "score", "signals", "lures", "iocs", "reporter_summary"} {
			if _, ok := rec[k]; !ok {
				t.Errorf("line lacks %q: %s", k, l)
			}
		}
	}
}

func TestAnalyzeTextDefangedAndExitZero(t *testing.T) {
	code, out, _ := runAnalyze(t, evalDir+"phish/001-cred-paypal.eml", evalDir+"benign/054-plain-mum.eml")
	if code != 0 {
		t.Fatalf("exit %d for a malicious message: analysis is not a check", code)
	}
	for _, want := range []string{"Verdict: MALICIOUS", "Verdict: CLEAN", "hxxps://paypa1-support[.]com", "2 messages: 1 malicious, 0 suspicious, 1 clean"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestAnalyzeExports(t *testing.T) {
	for format, want := range map[string]string{"stix": `"type": "bundle"`, "misp": `"Event"`, "csv": "file,verdict,score", "json": `"reporter_summary"`} {
		code, out, errOut := runAnalyze(t, evalDir+"phish/001-cred-paypal.eml", "--format", format)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("--format %s: exit %d, stderr %q, output lacks %q", format, code, errOut, want)
		}
	}
}

func TestAnalyzeBadInput(t *testing.T) {
	for _, args := range [][]string{{"/no/such/file.eml"}, {evalDir + "phish/001-cred-paypal.eml", "--format", "xml"}, {}} {
		code, _, errOut := runAnalyze(t, args...)
		if code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 with a message", args, code, errOut)
		}
	}
}
