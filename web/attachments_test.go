package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"
)

// upload posts a file as role and returns the status and body.
func (w *apiWorld) upload(t *testing.T, role, ref, name string, data []byte) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", w.URL+"/api/v1/cases/"+ref+"/attachments", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+w.tokens[role])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	checkOpenAPI(t, req, resp.StatusCode, resp.Header, raw)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

func (w *apiWorld) get(t *testing.T, role, path string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", w.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+w.tokens[role])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	checkOpenAPI(t, req, resp.StatusCode, resp.Header, b)
	return resp, b
}

func TestAPIAttachmentsAndCampaigns(t *testing.T) {
	raw, err := os.ReadFile("../store/testdata/parcel.eml")
	if err != nil {
		t.Fatal(err)
	}
	w := newAPIWorld(t)
	ref := w.newCase(t, false)
	st, a := w.upload(t, "reporterA", ref, "parcel.eml", raw)
	if st != 201 || a["reporter_summary"] == "" || a["analysis"] != nil || a["campaign_id"] == nil {
		t.Fatalf("upload: %d %v", st, a)
	}
	if st, _ := w.upload(t, "reporterB", ref, "parcel.eml", raw); st != 404 {
		t.Fatalf("upload to another's case: %d", st)
	}
	id := fmt.Sprint(a["id"])
	resp, body := w.get(t, "reporterA", "/api/v1/cases/"+ref+"/attachments/"+id)
	if resp.StatusCode != 200 || !bytes.Equal(body, raw) || resp.Header.Get("Content-Type") != "application/octet-stream" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d %v", resp.StatusCode, resp.Header)
	}
	resp, body = w.get(t, "responder", "/api/v1/cases/"+ref+"/attachments")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"analysis"`) {
		t.Fatalf("responder list: %d %s", resp.StatusCode, body)
	}
	for format, want := range map[string]string{"stix": `"type": "bundle"`, "misp": `"Event"`, "csv": "dhl-parcel-redelivery"} {
		resp, body = w.get(t, "responder", "/api/v1/cases/"+ref+"/attachments/"+id+"/export?format="+format)
		if resp.StatusCode != 200 || !strings.Contains(strings.ReplaceAll(string(body), `"type":"bundle"`, `"type": "bundle"`), want) {
			t.Errorf("export %s: %d %.300s", format, resp.StatusCode, body)
		}
	}
	if resp, _ = w.get(t, "reporterA", "/api/v1/cases/"+ref+"/attachments/"+id+"/export"); resp.StatusCode != 403 {
		t.Fatalf("reporter export: %d", resp.StatusCode)
	}
	camp := fmt.Sprint(a["campaign_id"])
	if resp, _ = w.get(t, "reporterA", "/api/v1/campaigns"); resp.StatusCode != 403 {
		t.Fatalf("reporter campaigns: %d", resp.StatusCode)
	}
	st, c := w.call(t, "responder", "PATCH", "/api/v1/campaigns/"+camp, map[string]any{"verdict": "malicious"})
	if st != 200 || c["verdict"] != "malicious" || c["auto_verdict"] != "malicious" || c["auto_score"].(float64) < 70 {
		t.Fatalf("decide: %d %v", st, c)
	}
	// A false alarm: responders only, on an analysed email of the case.
	falseAlarm := "/api/v1/cases/" + ref + "/attachments/" + id + "/false-alarm"
	if st, _ := w.call(t, "reporterA", "POST", falseAlarm, nil); st != 403 {
		t.Fatalf("reporter marking a false alarm: %d", st)
	}
	if st, _ := w.call(t, "responder", "POST", "/api/v1/cases/"+ref+"/attachments/99999/false-alarm", nil); st != 404 {
		t.Fatalf("false alarm on no file: %d", st)
	}
	if st, _ := w.call(t, "responder", "POST", falseAlarm, nil); st != 204 {
		t.Fatalf("false alarm: %d", st)
	}
	if _, k := w.call(t, "reporterA", "GET", "/api/v1/cases/"+ref, nil); k["status"] != "resolved" {
		t.Fatalf("case after decision: %v", k["status"])
	}
	// Bad uploads change nothing.
	req, _ := http.NewRequest("POST", w.URL+"/api/v1/cases/"+ref+"/attachments", strings.NewReader("x"))
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Authorization", "Bearer "+w.tokens["reporterA"])
	if resp, _ := http.DefaultClient.Do(req); resp.StatusCode != 415 {
		t.Fatalf("non-multipart upload: %d", resp.StatusCode)
	}
	if st, out := w.upload(t, "reporterA", ref, "big.eml", bytes.Repeat([]byte("a"), 26<<20+10)); st != 413 {
		t.Fatalf("huge upload: %d %v", st, out)
	}
	_, list := w.get(t, "reporterA", "/api/v1/cases/"+ref+"/attachments")
	if strings.Count(string(list), `"sha256"`) != 1 {
		t.Fatalf("refused uploads were stored: %s", list)
	}
}
