package mailscan

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally/csvsafe"
)

func evalReports(t *testing.T, names ...string) []*Report {
	var out []*Report
	for _, n := range names {
		raw, err := os.ReadFile("testdata/eval/" + n)
		if err != nil {
			t.Fatal(err)
		}
		r := mustAnalyze(t, string(raw), Options{})
		r.Source = n
		out = append(out, r)
	}
	return out
}

var exportTime = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func TestExportSTIX(t *testing.T) {
	rs := evalReports(t, "phish/001-cred-paypal.eml", "phish/048-attach-exe.eml", "benign/001-news-techweekly.eml")
	out, err := ExportSTIX(rs, exportTime)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := ExportSTIX(rs, exportTime)
	if !bytes.Equal(out, again) {
		t.Error("STIX export is not deterministic")
	}
	var bundle struct {
		Type    string           `json:"type"`
		ID      string           `json:"id"`
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal(out, &bundle); err != nil {
		t.Fatal(err)
	}
	types := map[string]int{}
	for _, o := range bundle.Objects {
		types[o["type"].(string)]++
		if o["spec_version"] != "2.1" || !strings.HasPrefix(o["id"].(string), o["type"].(string)+"--") {
			t.Errorf("bad object %v", o)
		}
	}
	for _, want := range []string{"indicator", "email-message", "email-addr", "url", "domain-name", "file"} {
		if types[want] == 0 {
			t.Errorf("no %s object in bundle (types %v)", want, types)
		}
	}
	if strings.Contains(string(out), "techweekly") {
		t.Error("clean message exported as intelligence")
	}
	// Ids depend only on the value: the same URL always gets the same id.
	first := scoID("url", map[string]any{"value": "https://a.example/<x>"})
	same := scoID("url", map[string]any{"value": "https://a.example/<x>"})
	other := scoID("url", map[string]any{"value": "https://b.example/<x>"})
	if first != same {
		t.Errorf("url id not deterministic: %s then %s", first, same)
	}
	if first == other {
		t.Errorf("two urls share the id %s", first)
	}
}

func TestExportMISP(t *testing.T) {
	rs := evalReports(t, "phish/001-cred-paypal.eml", "phish/048-attach-exe.eml")
	out, err := ExportMISP(rs, exportTime)
	if err != nil {
		t.Fatal(err)
	}
	var ev struct {
		Event struct {
			Info      string          `json:"info"`
			Date      string          `json:"date"`
			Attribute []mispAttribute `json:"Attribute"`
		} `json:"Event"`
	}
	if err := json.Unmarshal(out, &ev); err != nil {
		t.Fatal(err)
	}
	types := map[string]bool{}
	for _, a := range ev.Event.Attribute {
		types[a.Type] = true
	}
	for _, want := range []string{"email-src", "url", "domain", "filename|sha256", "email-subject"} {
		if !types[want] {
			t.Errorf("no %s attribute: %v", want, types)
		}
	}
	if ev.Event.Date != "2026-11-27" {
		t.Errorf("date %q", ev.Event.Date)
	}
}

func TestExportCSV(t *testing.T) {
	rs := evalReports(t, "phish/001-cred-paypal.eml", "benign/054-plain-mum.eml")
	out, err := ExportCSV(rs)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "file,verdict,score,from,subject,type,value" || len(rows) < 4 {
		t.Fatalf("rows %v", rows)
	}
	hostile := &Report{Source: "=cmd.eml", From: "@evil", Subject: "=HYPERLINK(1)"} // issue 20 F4
	hostile.IOCs.URLs = []string{"-http://x"}
	out, _ = ExportCSV([]*Report{hostile})
	rows, _ = csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err := csvsafe.Check(rows); err != nil {
		t.Error(err)
	}
}
