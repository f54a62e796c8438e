package csvsafe

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "",
		"plain":                "plain",
		"=HYPERLINK(\"x\")":    "'=HYPERLINK(\"x\")",
		"+1+cmd|' /C calc'!A0": "'+1+cmd|' /C calc'!A0",
		"-2+3":                 "'-2+3",
		"@SUM(A1)":             "'@SUM(A1)",
		"\t=1":                 "'\t=1",
		"\r=1":                 "'\r=1",
		"-":                    "-",
		"--":                   "'--",
		"-3.5":                 "-3.5",
		"+12":                  "+12",
		"+Inf":                 "'+Inf",
		"=5":                   "'=5",
		"@1":                   "'@1",
		"a=b":                  "a=b",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriterNeutralisesEveryCell(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	_ = w.Write([]string{"=1+1", "ok", "@x"})
	_ = w.Write([]string{"-cmd", "2", "x"})
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(rows); err != nil {
		t.Fatal(err)
	}
	if rows[0][1] != "ok" || rows[1][1] != "2" {
		t.Fatalf("plain cells changed: %q", rows)
	}
}

// FuzzCell checks that no cell comes out starting a formula.
func FuzzCell(f *testing.F) {
	for _, s := range []string{"=1", "-1", "+x", "@", "\t", "\r\n", "plain", "-1e5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if err := Check([][]string{{Cell(s)}}); err != nil {
			t.Fatal(err)
		}
	})
}
