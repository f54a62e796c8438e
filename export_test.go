package ally

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/allydesk/ally/mailscan"
)

func TestExportIndicators(t *testing.T) {
	r := &mailscan.Report{Verdict: "malicious", Subject: "Your parcel", From: "post@parcel-track.example",
		Fingerprint: mailscan.Fingerprint{SenderDomain: "parcel-track.example"}}
	created := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		format, ctype string
		json          bool
	}{
		{"", "application/json", true},
		{"stix", "application/json", true},
		{"misp", "application/json", true},
		{"csv", "text/csv; charset=utf-8", false},
	} {
		out, err := ExportIndicators(r, tc.format, created)
		if err != nil || out.ContentType != tc.ctype || len(out.Data) == 0 || json.Valid(out.Data) != tc.json {
			t.Errorf("%q: %v, %+v", tc.format, err, out)
		}
	}
	if def, _ := ExportIndicators(r, "", created); !bytes.Equal(def.Data, must(ExportIndicators(r, "stix", created)).Data) {
		t.Errorf("the default format is not STIX")
	}
	if _, err := ExportIndicators(r, "pdf", created); ErrorCode(err) != EINVALID {
		t.Errorf("pdf: %v, want invalid", err)
	}
}

func must(e *Export, err error) *Export {
	if err != nil {
		panic(err)
	}
	return e
}
