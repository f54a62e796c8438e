package main

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/csvsafe"
)

// checkCSV fails t unless out is CSV holding want and no cell that starts a
// spreadsheet formula.
func checkCSV(t *testing.T, name, out, want string) {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
	if err := csvsafe.Check(rows); err != nil {
		t.Errorf("%s: %v", name, err)
	}
	if !strings.Contains(out, want) {
		t.Errorf("%s: the hostile cell %q is missing (the test would prove nothing):\n%s", name, want, out)
	}
}

// Issue 20 F4: every CSV export neutralises cells that start a formula.
func TestCSVExportsNeutraliseFormulas(t *testing.T) {
	audit := writeFile(t, "comments.csv", "team,comment\n\"=HYPERLINK(\"\"http://x\"\")\",Thanks for telling us.\n")
	code, out, errOut := runCmd(t, "", "tone", "audit", audit, "--text-column", "comment", "--group-by", "team",
		"--format", "csv")
	if code != 0 {
		t.Fatalf("tone audit: %d %s", code, errOut)
	}
	checkCSV(t, "tone audit", out, "HYPERLINK")

	eml := writeFile(t, "@evil.eml", "From: =cmd|' /C calc'!A0 <-x@example.org>\r\nTo: a@example.org\r\n"+
		"Subject: =HYPERLINK(\"http://x\")\r\nDate: Mon, 7 Dec 2026 09:00:00 +0000\r\n\r\nSee +http://evil.example/login\r\n")
	code, out, errOut = runCmd(t, "", "analyze", eml, "--format", "csv")
	if code > 1 {
		t.Fatalf("analyze: %d %s", code, errOut)
	}
	checkCSV(t, "analyze", out, "HYPERLINK")

	var sb strings.Builder
	in := &ally.Insights{Departments: []ally.Group{{Name: "=SUM(A1)", Count: 1}},
		Recommendations: []ally.Recommendation{{Topic: "-2+3", Why: "@because"}}}
	if err := writeInsightsCSV(&sb, in); err != nil {
		t.Fatal(err)
	}
	checkCSV(t, "insights", sb.String(), "SUM(A1)")
}
