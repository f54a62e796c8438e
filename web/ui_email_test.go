package web

import (
	"bytes"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// postFile sends a multipart form as a browser does, with the remembered
// CSRF token first and the file in the field "file". A nil data sends the
// empty file field of a form where no file was chosen.
func (pc *pageClient) postFile(path string, form url.Values, name string, data []byte) (int, string, string) {
	pc.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if form.Get("csrf_token") == "" {
		form.Set("csrf_token", pc.csrf)
	}
	mw.WriteField("csrf_token", form.Get("csrf_token"))
	for k, vs := range form {
		for _, v := range vs {
			if k != "csrf_token" {
				mw.WriteField(k, v)
			}
		}
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		pc.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	res, err := pc.c.Post(pc.base+path, mw.FormDataContentType(), &buf)
	if err != nil {
		pc.t.Fatal(err)
	}
	return res.StatusCode, readAll(pc.t, res), res.Header.Get("Location")
}

// fixture reads a sample email from the repository.
func fixture(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	parcelEmail    = "../store/testdata/parcel.eml"
	giftCardsEmail = "../demo/emails/gift-cards.eml"
)

// refFromSent returns the case reference in a /cases/REF/sent location.
func refFromSent(t *testing.T, loc string) string {
	t.Helper()
	m := regexp.MustCompile(`^/cases/([^/?]+)/sent`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("redirected to %q, want the confirmation page", loc)
	}
	return m[1]
}

// reporterMustNotSee are words of the responders' analysis.
var reporterMustNotSee = []string{"Score", "score", "sender-lookalike", "Email analysis", "Signals", "export?format", "hxxp"}

func TestReportWithEmail(t *testing.T) {
	ts := newTestServer(t)
	pc := newPageClient(t, ts)
	pc.signIn("rita@example.com", ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance"))
	_, body, _ := pc.get("/report")
	for _, want := range []string{`enctype="multipart/form-data"`, "Add the email (if you have it)",
		`accept=".eml,.msg,message/rfc822,application/vnd.ms-outlook"`, "In Outlook or Gmail, save or download the email as a file, then add it here."} {
		if !strings.Contains(body, want) {
			t.Errorf("the report form lacks %q", want)
		}
	}
	if strings.Count(body, `type="file"`) != len(emailKinds) {
		t.Errorf("the report form has %d file fields, want one per email kind (%d)", strings.Count(body, `type="file"`), len(emailKinds))
	}

	code, body, loc := pc.postFile("/report", url.Values{"kind": {"suspicious_email"}, "js": {"1"}, "when": {"now"}},
		"parcel.eml", fixture(t, parcelEmail))
	if code != http.StatusSeeOther || strings.Contains(loc, "?") {
		t.Fatalf("report with email: %d to %q: %s", code, loc, body)
	}
	ref := refFromSent(t, loc)
	files, err := ts.DB.Attachments(asUser(t, ts, "rita@example.com"), ref)
	if err != nil || len(files) != 1 || files[0].Verdict != "malicious" || files[0].ReporterSummary == "" {
		t.Fatalf("attachments = %v, %v", files, err)
	}
	_, body, _ = pc.get(loc)
	if !strings.Contains(body, "We checked the email you sent us") || !strings.Contains(body, html.EscapeString(files[0].ReporterSummary)) {
		t.Error("the confirmation does not show the plain summary")
	}
	for _, bad := range reporterMustNotSee {
		if strings.Contains(body, bad) {
			t.Errorf("the reporter's confirmation shows %q", bad)
		}
	}
	if strings.Contains(body, "could not add your file") {
		t.Error("the confirmation says the file failed")
	}
}

// TestReportEmailWithoutJavaScript: the file field comes on the second
// step, with the questions, and the first step's empty file field is fine.
func TestReportEmailWithoutJavaScript(t *testing.T) {
	ts := newTestServer(t)
	pc := newPageClient(t, ts)
	pc.signIn("rita@example.com", ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance"))
	pc.get("/report")
	first := url.Values{"kind": {"clicked_link"}, "when": {"minutes"}, "details": {"A parcel email."}}
	code, body, _ := pc.postFile("/report", first, "", nil)
	if code != http.StatusOK || !strings.Contains(body, `name="step" value="questions"`) || !strings.Contains(body, "A few quick questions") {
		t.Fatalf("first step: %d, want the questions", code)
	}
	if !strings.Contains(body, `enctype="multipart/form-data"`) || strings.Count(body, `type="file"`) != 1 {
		t.Fatal("the second step does not offer the file field once")
	}
	first.Set("step", "questions")
	code, _, loc := pc.postFile("/report", first, "parcel.eml", fixture(t, parcelEmail))
	if code != http.StatusSeeOther {
		t.Fatalf("second step: %d", code)
	}
	ref := refFromSent(t, loc)
	c, err := ts.DB.FindCase(asUser(t, ts, "rita@example.com"), ref)
	if err != nil || c.Details != "A parcel email." {
		t.Fatalf("case = %+v, %v", c, err)
	}
	if files, _ := ts.DB.Attachments(asUser(t, ts, "rita@example.com"), ref); len(files) != 1 {
		t.Errorf("the case has %d files, want the email", len(files))
	}
	// A kind that is not about an email has no file field.
	code, body, _ = pc.postFile("/report", url.Values{"kind": {"lost_device"}}, "", nil)
	if code == http.StatusOK && strings.Contains(body, `type="file"`) {
		t.Error("the lost-device step offers an email file")
	}
}

func TestReportEmailTooBig(t *testing.T) {
	ts := newTestServer(t)
	pc := newPageClient(t, ts)
	pc.signIn("rita@example.com", ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance"))
	pc.get("/report")
	// Larger than an upload's whole multipart limit, so the form itself is
	// over it: the report must still be saved.
	big := bytes.Repeat([]byte("x"), maxUpload+1<<20)
	code, _, loc := pc.postFile("/report", url.Values{"kind": {"suspicious_email"}, "js": {"1"}}, "huge.eml", big)
	if code != http.StatusSeeOther || !strings.HasSuffix(loc, "/sent?file=toobig") {
		t.Fatalf("oversized email: %d to %q", code, loc)
	}
	ref := refFromSent(t, loc)
	if _, err := ts.DB.FindCase(asUser(t, ts, "rita@example.com"), ref); err != nil {
		t.Fatalf("the case was not created: %v", err)
	}
	if files, _ := ts.DB.Attachments(asUser(t, ts, "rita@example.com"), ref); len(files) != 0 {
		t.Errorf("the oversized file was stored")
	}
	_, body, _ := pc.get(loc)
	for _, want := range []string{"We have your report", "bigger than 25 MB", "Your report is saved", "Add a file"} {
		if !strings.Contains(body, want) {
			t.Errorf("the confirmation lacks %q", want)
		}
	}
}

// emailCase opens a case for email and adds the sample email as its reporter.
func emailCase(t *testing.T, ts *testServer, email, path string) (*ally.Case, *ally.Attachment) {
	t.Helper()
	ctx := asUser(t, ts, email)
	c, err := ts.DB.CreateCase(ctx, &ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: "A strange parcel email"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := ts.DB.AddAttachment(ctx, c.Ref, ally.NewAttachment{Name: "parcel.eml", ContentType: "message/rfc822", Data: fixture(t, path)})
	if err != nil {
		t.Fatal(err)
	}
	return c, a
}

func TestCaseFilesForReporter(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	c, a := emailCase(t, ts, "rita@example.com", parcelEmail)
	pc := newPageClient(t, ts)
	pc.signIn("rita@example.com", testPassword)
	_, body, _ := pc.get("/cases/" + c.Ref)
	if !strings.Contains(body, "We checked the email you sent us. "+html.EscapeString(a.ReporterSummary)) {
		t.Error("the reporter's case page does not show the plain summary")
	}
	for _, bad := range reporterMustNotSee {
		if strings.Contains(body, bad) {
			t.Errorf("the reporter's case page shows %q", bad)
		}
	}
	if !strings.Contains(body, `action="/cases/`+c.Ref+`/attachments" enctype="multipart/form-data"`) {
		t.Fatal("no upload form on the reporter's case page")
	}
	code, _, loc := pc.postFile("/cases/"+c.Ref+"/attachments", url.Values{}, "screenshot.txt", []byte("what I saw"))
	if code != http.StatusSeeOther || loc != "/cases/"+c.Ref+"?file=added#files" {
		t.Fatalf("add a file: %d to %q", code, loc)
	}
	if _, body, _ = pc.get(loc); !strings.Contains(body, uploadAdded) || !strings.Contains(body, "screenshot.txt") {
		t.Error("the added file or the thanks is missing")
	}
	for _, c2 := range []struct {
		name string
		data []byte
		key  string
	}{{"empty.eml", []byte{}, "failed"}, {"", nil, "none"}} {
		code, _, loc = pc.postFile("/cases/"+c.Ref+"/attachments", url.Values{}, c2.name, c2.data)
		if code != http.StatusSeeOther || loc != "/cases/"+c.Ref+"?file="+c2.key+"#files" {
			t.Errorf("%q: %d to %q", c2.name, code, loc)
		}
		if _, body, _ = pc.get(loc); !strings.Contains(body, uploadProblems[c2.key]) {
			t.Errorf("%q: the page does not say what went wrong", c2.name)
		}
	}
	if files, _ := ts.DB.Attachments(asUser(t, ts, "rita@example.com"), c.Ref); len(files) != 2 {
		t.Errorf("the case has %d files, want 2", len(files))
	}
	other := newPageClient(t, ts)
	other.signIn("omar@example.com", ts.addUser(t, "omar@example.com", "Omar Haddad", ally.RoleReporter, "Sales"))
	other.get("/")
	if code, _, _ := other.postFile("/cases/"+c.Ref+"/attachments", url.Values{}, "x.txt", []byte("x")); code != http.StatusNotFound {
		t.Errorf("another reporter adding a file: %d", code)
	}
}

func TestCaseEmailAnalysisForResponder(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	c, a := emailCase(t, ts, "rita@example.com", parcelEmail)
	pc := newPageClient(t, ts)
	pc.signIn("sam@example.com", ts.addUser(t, "sam@example.com", "Sam Okafor", ally.RoleResponder, "Security"))
	code, body, _ := pc.get("/cases/" + c.Ref)
	if code != http.StatusOK {
		t.Fatalf("case: %d", code)
	}
	file := fmt.Sprintf("/api/v1/cases/%s/attachments/%d", c.Ref, a.ID)
	for _, want := range []string{"Email analysis", "Malicious", "Score 100 out of 100", "sender-lookalike",
		"The sender&#39;s domain imitates", "dhl-parcel-redelivery[.]top imitates DHL", "hxxps://dhl-parcel-redelivery[.]top/confirm?id=88231",
		"notice[@]dhl-parcel-redelivery[.]top", "Lure cues", "within 24 hours", html.EscapeString(a.ReporterSummary),
		fmt.Sprintf(`href="/campaigns/%d">Part of campaign #%d — 1 report<`, *a.CampaignID, *a.CampaignID),
		`href="` + file + `">Download the original`, file + "/export?format=stix", file + "/export?format=misp", file + "/export?format=csv"} {
		if !strings.Contains(body, want) {
			t.Errorf("the responder's case page lacks %q", want)
		}
	}
	if strings.Contains(body, "dhl-parcel-redelivery.top") || strings.Contains(body, `href="http`) {
		t.Error("an indicator is shown live, not defanged")
	}
	res, err := pc.c.Get(ts.URL + file)
	if err != nil {
		t.Fatal(err)
	}
	readAll(t, res)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("download with the session: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	res, err = pc.c.Get(ts.URL + file + "/export?format=csv")
	if err != nil {
		t.Fatal(err)
	}
	if b := readAll(t, res); res.StatusCode != http.StatusOK || !strings.Contains(b, "dhl-parcel-redelivery") {
		t.Errorf("CSV export with the session: %d", res.StatusCode)
	}
	// "Mark as a false alarm" teaches the mail check and says so.
	action := fmt.Sprintf("/cases/%s/attachments/%d/false-alarm", c.Ref, a.ID)
	if !strings.Contains(body, `action="`+action+`"`) || !strings.Contains(body, "Mark as a false alarm") {
		t.Fatal("the analysis lacks the false-alarm form")
	}
	code, _, loc := pc.post(action, url.Values{})
	if code != http.StatusSeeOther || loc != "/cases/"+c.Ref+"?done=falsealarm#timeline" {
		t.Fatalf("false alarm: %d to %q", code, loc)
	}
	if _, body, _ = pc.get(loc); !strings.Contains(body, notices["falsealarm"]) ||
		!strings.Contains(body, "Marked parcel.eml as a false alarm") {
		t.Error("the false alarm is not confirmed on the case page")
	}
}

func TestCampaignPages(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	ts.addUser(t, "omar@example.com", "Omar Haddad", ally.RoleReporter, "Sales")
	c1, a1 := emailCase(t, ts, "rita@example.com", parcelEmail)
	c2, a2 := emailCase(t, ts, "omar@example.com", parcelEmail)
	c3, a3 := emailCase(t, ts, "omar@example.com", giftCardsEmail)
	if *a1.CampaignID != *a2.CampaignID || *a3.CampaignID == *a1.CampaignID {
		t.Fatalf("campaigns %d %d %d: want the parcel emails together", *a1.CampaignID, *a2.CampaignID, *a3.CampaignID)
	}
	id := strconv.FormatInt(*a1.CampaignID, 10)

	rep := newPageClient(t, ts)
	rep.signIn("rita@example.com", testPassword)
	if _, body, _ := rep.get("/"); strings.Contains(body, `href="/campaigns"`) {
		t.Error("a reporter's menu offers campaigns")
	}
	for _, path := range []string{"/campaigns", "/campaigns/" + id} {
		if code, _, _ := rep.get(path); code != http.StatusForbidden && code != http.StatusNotFound {
			t.Errorf("a reporter asking for %s: %d", path, code)
		}
	}
	if code, _, _ := rep.post("/campaigns/"+id+"/decide", url.Values{"verdict": {"clean"}, "resolve": {"1"}}); code != http.StatusForbidden {
		t.Errorf("a reporter deciding: %d", code)
	}

	pc := newPageClient(t, ts)
	pc.signIn("sam@example.com", ts.addUser(t, "sam@example.com", "Sam Okafor", ally.RoleResponder, "Security"))
	_, body, _ := pc.get("/campaigns")
	if !strings.Contains(body, `href="/campaigns"`) {
		t.Error("the responder's menu lacks Campaigns")
	}
	for _, want := range []string{"Your parcel could not be delivered", "dhl-parcel-redelivery[.]top", "2 reports", "1 report<",
		"Waiting for a decision", `class="qitem pending"`, "First seen", "Last seen", "Automatic check: Malicious, score "} {
		if !strings.Contains(body, want) {
			t.Errorf("the campaigns list lacks %q", want)
		}
	}
	if strings.Contains(body, "dhl-parcel-redelivery.top") {
		t.Error("the campaigns list shows the sender domain live, not defanged")
	}
	if strings.Index(body, "/campaigns/"+strconv.FormatInt(*a3.CampaignID, 10)) > strings.Index(body, "/campaigns/"+id+`"`) {
		t.Error("the list is not newest first")
	}
	_, body, _ = pc.get("/campaigns/" + id)
	for _, want := range []string{`href="/cases/` + c1.Ref + `"`, `href="/cases/` + c2.Ref + `"`, "Decide for all 2 reports",
		`name="resolve" value="1" checked`, "Every reporter gets a thank-you and the outcome in their case",
		`name="blocked" value="1"`, "<dt>Automatic check</dt><dd>Malicious, score "} {
		if !strings.Contains(body, want) {
			t.Errorf("the campaign page lacks %q", want)
		}
	}
	if strings.Contains(body, c3.Ref) {
		t.Error("the campaign lists a case of another email")
	}
	if code, body, _ := pc.post("/campaigns/"+id+"/decide", url.Values{"resolve": {"1"}}); code != http.StatusBadRequest || !strings.Contains(body, "Please choose a verdict") {
		t.Errorf("no verdict: %d", code)
	}
	code, _, loc := pc.post("/campaigns/"+id+"/decide", url.Values{"verdict": {"malicious"}, "resolve": {"1"}})
	if code != http.StatusSeeOther || loc != "/campaigns/"+id+"?decided=1" {
		t.Fatalf("decide: %d to %q", code, loc)
	}
	if _, body, _ = pc.get(loc); !strings.Contains(body, campaignDecided) || !strings.Contains(body, "Malicious by Sam Okafor") {
		t.Error("the decision is not confirmed on the campaign page")
	}
	for _, c := range []*ally.Case{c1, c2} {
		got, _ := ts.DB.FindCase(asUser(t, ts, "sam@example.com"), c.Ref)
		es, _ := ts.DB.Timeline(asUser(t, ts, "sam@example.com"), c.Ref, 0, 100)
		if got.Status != ally.StatusResolved || countMessages(es) != 1 {
			t.Errorf("%s: status %s, %d messages; want resolved with the outcome", c.Ref, got.Status, countMessages(es))
		}
		// The box "We blocked it for everyone" was not ticked: no reporter
		// is told it was blocked; they are asked to delete it.
		for _, e := range es {
			if e.Type == ally.EntryMessage && (strings.Contains(e.Body, "blocked") || !strings.Contains(e.Body, "delete it")) {
				t.Errorf("%s: outcome without a block: %q", c.Ref, e.Body)
			}
		}
	}
	// Without "Resolve open cases" the reporters hear the outcome, and the cases stay open.
	other := strconv.FormatInt(*a3.CampaignID, 10)
	if code, _, _ := pc.post("/campaigns/"+other+"/decide", url.Values{"verdict": {"suspicious"}}); code != http.StatusSeeOther {
		t.Fatalf("decide without resolving: %d", code)
	}
	if got, _ := ts.DB.FindCase(asUser(t, ts, "sam@example.com"), c3.Ref); !got.Status.Open() {
		t.Errorf("%s was resolved though the box was unticked", c3.Ref)
	}
	for _, path := range []string{"/campaigns/99999", "/campaigns/abc"} {
		if code, _, _ := pc.get(path); code != http.StatusNotFound {
			t.Errorf("%s: %d", path, code)
		}
	}
}

func TestCampaignsPaging(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	ctx := asUser(t, ts, "rita@example.com")
	c, err := ts.DB.CreateCase(ctx, &ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: "Many emails"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range campaignLimit + 2 {
		raw := fmt.Sprintf("From: offers@shop%d.example\r\nTo: rita@example.com\r\nSubject: Offer number %d\r\n\r\nHello %d, this is offer %d.\r\n", i, i, i, i*7919)
		if _, err := ts.DB.AddAttachment(ctx, c.Ref, ally.NewAttachment{Name: fmt.Sprintf("offer%d.eml", i), Data: []byte(raw)}); err != nil {
			t.Fatal(err)
		}
	}
	pc := newPageClient(t, ts)
	pc.signIn("sam@example.com", ts.addUser(t, "sam@example.com", "Sam Okafor", ally.RoleResponder, "Security"))
	_, body, _ := pc.get("/campaigns")
	if n := strings.Count(body, `class="qlink"`); n != campaignLimit {
		t.Fatalf("the first page has %d campaigns, want %d", n, campaignLimit)
	}
	next := regexp.MustCompile(`href="(/campaigns\?cursor=\d+)&amp;back=" rel="next"`).FindStringSubmatch(body)
	if next == nil {
		t.Fatal("no next page link")
	}
	_, body, _ = pc.get(next[1])
	if n := strings.Count(body, `class="qlink"`); n != 2 || !strings.Contains(body, "Offer number 0") {
		t.Errorf("the second page has %d campaigns, want the 2 oldest", n)
	}
	if code, _, _ := pc.get("/campaigns?cursor=x"); code != http.StatusBadRequest {
		t.Errorf("a bad cursor: %d", code)
	}
}

// TestCampaignPageHidesConfidentialCases: a responder's campaign page links
// only the cases they may open, says how many it leaves out, and still
// decides for every report.
func TestCampaignPageHidesConfidentialCases(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	ts.addUser(t, "omar@example.com", "Omar Haddad", ally.RoleReporter, "Sales")
	ctx := asUser(t, ts, "rita@example.com")
	secret, err := ts.DB.CreateCase(ctx, &ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: "Parcel email about a private matter", Confidential: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.DB.AddAttachment(ctx, secret.Ref, ally.NewAttachment{Name: "parcel.eml", Data: fixture(t, parcelEmail)}); err != nil {
		t.Fatal(err)
	}
	open, a := emailCase(t, ts, "omar@example.com", parcelEmail)
	pc := newPageClient(t, ts)
	pc.signIn("sam@example.com", ts.addUser(t, "sam@example.com", "Sam Okafor", ally.RoleResponder, "Security"))
	_, body, _ := pc.get("/campaigns/" + strconv.FormatInt(*a.CampaignID, 10))
	for _, want := range []string{`href="/cases/` + open.Ref + `"`, "1 confidential case is not shown.", "Decide for all 2 reports"} {
		if !strings.Contains(body, want) {
			t.Errorf("the responder's campaign page lacks %q", want)
		}
	}
	if strings.Contains(body, secret.Ref) {
		t.Error("the responder's campaign page shows a confidential case's reference")
	}
}
