package store_test

import (
	"os"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

func TestEmailAttachmentsAndCampaigns(t *testing.T) {
	raw, err := os.ReadFile("testdata/parcel.eml")
	if err != nil {
		t.Fatal(err)
	}
	each(t, func(t *testing.T, f *fixture) {
		upload := func(u *ally.User, to string) (*ally.Case, *ally.Attachment) {
			t.Helper()
			c := mustCase(t, f, u, ally.NewCase{Kind: ally.KindSuspiciousEmail})
			data := strings.Replace(string(raw), "sam.taylor@example.com", to, 1)
			a, err := f.db.AddAttachment(f.as(u), c.Ref, ally.NewAttachment{Name: "C:\\Users\\me\\parcel.eml", Data: []byte(data)})
			if err != nil {
				t.Fatal(err)
			}
			return c, a
		}
		c1, a1 := upload(f.alice, "alice@example.org")
		if a1.Name != "parcel.eml" || a1.Verdict == "" || a1.Verdict == "clean" || a1.ReporterSummary == "" || a1.Analysis != nil {
			t.Fatalf("reporter's view of the upload: %+v", a1)
		}
		c2, a2 := upload(f.bob, "bob@example.org")
		if a1.CampaignID == nil || a2.CampaignID == nil || *a1.CampaignID != *a2.CampaignID {
			t.Fatalf("the same email went to campaigns %v and %v", a1.CampaignID, a2.CampaignID)
		}
		// The reporter sees the plain summary on the timeline; responders also see the analysis.
		tl, _ := f.db.Timeline(f.as(f.alice), c1.Ref, 0, 50)
		if !timelineHas(tl, a1.ReporterSummary) || timelineHas(tl, "Signals:") {
			t.Fatalf("reporter timeline: %+v", tl)
		}
		list, _ := f.db.Attachments(f.as(f.resp), c1.Ref)
		if len(list) != 1 || list[0].Analysis == nil || len(list[0].Analysis.IOCs.URLs) == 0 {
			t.Fatalf("responder attachments: %+v", list)
		}
		_, data, err := f.db.AttachmentData(f.as(f.alice), c1.Ref, a1.ID)
		if err != nil || !strings.Contains(string(data), "alice@example.org") {
			t.Fatalf("download: %v", err)
		}
		_, _, err = f.db.AttachmentData(f.as(f.bob), c1.Ref, a1.ID)
		wantCode(t, err, ally.ENOTFOUND)

		_, err = f.db.DecideCampaign(f.as(f.alice), *a1.CampaignID, ally.CampaignDecision{Verdict: "malicious"})
		wantCode(t, err, ally.EFORBIDDEN)
		_, err = f.db.DecideCampaign(f.as(f.resp), *a1.CampaignID, ally.CampaignDecision{Verdict: "evil"})
		wantCode(t, err, ally.EINVALID)
		camp, err := f.db.DecideCampaign(f.as(f.resp), *a1.CampaignID, ally.CampaignDecision{Verdict: "malicious"})
		if err != nil || camp.Reports != 2 || len(camp.Cases) != 2 || camp.DecidedBy == nil {
			t.Fatalf("decide: %+v %v", camp, err)
		}
		for _, c := range []*ally.Case{c1, c2} {
			got, _ := f.db.FindCase(f.as(f.lead), c.Ref)
			tl, _ := f.db.Timeline(f.as(f.lead), c.Ref, 0, 50)
			if got.Status != ally.StatusResolved || got.AcknowledgedAt == nil || !timelineHas(tl, "phishing attack") {
				t.Fatalf("%s after the decision: %s %+v", c.Ref, got.Status, tl)
			}
		}
		// A later report of the same email is told the outcome at once.
		c3, a3 := upload(f.resp2, "ravi@example.org")
		if *a3.CampaignID != *a1.CampaignID {
			t.Fatal("late report not grouped")
		}
		got, _ := f.db.FindCase(f.as(f.lead), c3.Ref)
		if got.Status != ally.StatusResolved {
			t.Fatalf("late report status %s", got.Status)
		}
		// A file that is not an email is kept without analysis.
		plain, err := f.db.AddAttachment(f.as(f.alice), c1.Ref, ally.NewAttachment{Name: "screen.png", ContentType: "image/png", Data: []byte("\x89PNG....")})
		if err != nil || plain.Verdict != "" || plain.CampaignID != nil {
			t.Fatalf("plain file: %+v %v", plain, err)
		}
		_, err = f.db.AddAttachment(f.as(f.alice), c1.Ref, ally.NewAttachment{Name: "empty.eml"})
		wantCode(t, err, ally.EINVALID)
		_, err = f.db.AddAttachment(f.as(f.bob), c1.Ref, ally.NewAttachment{Name: "x.eml", Data: raw})
		wantCode(t, err, ally.ENOTFOUND)
		camps, err := f.db.FindCampaigns(f.as(f.resp), 0, 10)
		if err != nil || len(camps) != 1 || camps[0].Verdict != "malicious" {
			t.Fatalf("campaigns: %+v %v", camps, err)
		}
	})
}

// TestCampaignOfOnlyConfidentialCasesHidesTheEmail: a responder who may see
// none of a campaign's cases learns only that it exists and how many reports
// it has, in the list and alone (issue 20 F3).
func TestCampaignOfOnlyConfidentialCasesHidesTheEmail(t *testing.T) {
	raw, err := os.ReadFile("testdata/parcel.eml")
	if err != nil {
		t.Fatal(err)
	}
	each(t, func(t *testing.T, f *fixture) {
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindSuspiciousEmail, Confidential: true})
		a, err := f.db.AddAttachment(f.as(f.alice), c.Ref, ally.NewAttachment{Name: "parcel.eml", Data: raw})
		if err != nil || a.CampaignID == nil {
			t.Fatalf("upload: %+v %v", a, err)
		}
		one, err := f.db.FindCampaign(f.as(f.resp), *a.CampaignID)
		list, lerr := f.db.FindCampaigns(f.as(f.resp), 0, 10)
		if err != nil || lerr != nil || len(list) != 1 {
			t.Fatal(err, lerr, list)
		}
		for _, seen := range []*ally.Campaign{one, list[0]} {
			if seen.Subject != ally.HiddenCampaignSubject || seen.SenderDomain != "" || len(seen.Cases) != 0 {
				t.Errorf("the responder sees the confidential email: %+v", seen)
			}
		}
		if lead, err := f.db.FindCampaign(f.as(f.lead), *a.CampaignID); err != nil ||
			lead.Subject == ally.HiddenCampaignSubject || lead.SenderDomain == "" {
			t.Errorf("the lead sees %+v %v", lead, err)
		}
	})
}

func timelineHas(tl []*ally.Entry, s string) bool {
	for _, e := range tl {
		if strings.Contains(e.Body, s) {
			return true
		}
	}
	return false
}

// TestCampaignHidesConfidentialCases: a responder sees the refs of the
// linked cases they may open and only a count of the confidential rest; their
// decision leaves the confidential case alone (issue 20 F3).
func TestCampaignHidesConfidentialCases(t *testing.T) {
	raw, err := os.ReadFile("testdata/parcel.eml")
	if err != nil {
		t.Fatal(err)
	}
	each(t, func(t *testing.T, f *fixture) {
		var campaign int64
		report := func(u *ally.User, confidential bool) *ally.Case {
			c := mustCase(t, f, u, ally.NewCase{Kind: ally.KindSuspiciousEmail, Confidential: confidential})
			a, err := f.db.AddAttachment(f.as(u), c.Ref, ally.NewAttachment{Name: "parcel.eml", Data: raw})
			if err != nil || a.CampaignID == nil {
				t.Fatalf("upload: %+v %v", a, err)
			}
			campaign = *a.CampaignID
			return c
		}
		secret, open := report(f.alice, true), report(f.bob, false)
		for _, tc := range []struct {
			who    *ally.User
			refs   []string
			hidden int
		}{
			{f.resp, []string{open.Ref}, 1},
			{f.lead, []string{secret.Ref, open.Ref}, 0},
		} {
			c, err := f.db.FindCampaign(f.as(tc.who), campaign)
			if err != nil || strings.Join(c.Cases, " ") != strings.Join(tc.refs, " ") || c.HiddenCases != tc.hidden {
				t.Fatalf("%s sees %+v (%v), want refs %v and %d hidden", tc.who.Email, c, err, tc.refs, tc.hidden)
			}
		}
		c, err := f.db.DecideCampaign(f.as(f.resp), campaign, ally.CampaignDecision{Verdict: "malicious"})
		if err != nil || len(c.Cases) != 1 || c.HiddenCases != 1 {
			t.Fatalf("decision as seen by the responder: %+v %v", c, err)
		}
		tl, _ := f.db.Timeline(f.as(f.alice), secret.Ref, 0, 50)
		if timelineHas(tl, "phishing attack") {
			t.Fatalf("a responder who cannot see the confidential case answered its reporter: %+v", tl)
		}
		if k, err := f.db.FindCase(f.as(f.lead), secret.Ref); err != nil || !k.Status.Open() {
			t.Fatalf("a responder who cannot see the confidential case changed it: %+v %v", k, err)
		}
		// The outcome is stored with its tone check, like any responder reply.
		tl, _ = f.db.Timeline(f.as(f.lead), open.Ref, 0, 50)
		checked := false
		for _, e := range tl {
			if strings.Contains(e.Body, "phishing attack") {
				checked = e.Tone != nil && !e.Tone.HasError()
			}
		}
		if !checked {
			t.Fatalf("the outcome message has no clean tone check: %+v", tl)
		}
	})
}

// TestMaliciousEmailRaisesSeverity: an email analysed as malicious raises
// its case to high with the reason on the timeline; a clean one does not,
// and the campaign shows the automatic verdict and score.
func TestMaliciousEmailRaisesSeverity(t *testing.T) {
	raw, err := os.ReadFile("testdata/parcel.eml")
	if err != nil {
		t.Fatal(err)
	}
	each(t, func(t *testing.T, f *fixture) {
		low := ally.SeverityLow
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindSuspiciousEmail})
		if _, err := f.db.UpdateCase(f.as(f.resp), c.Ref, ally.CaseUpdate{Severity: &low}); err != nil {
			t.Fatal(err)
		}
		a, err := f.db.AddAttachment(f.as(f.alice), c.Ref, ally.NewAttachment{Name: "parcel.eml", Data: raw})
		if err != nil || a.Verdict != "malicious" {
			t.Fatalf("upload: %+v %v", a, err)
		}
		got, _ := f.db.FindCase(f.as(f.lead), c.Ref)
		tl, _ := f.db.Timeline(f.as(f.lead), c.Ref, 0, 50)
		if got.Severity != ally.SeverityHigh || !timelineHas(tl, "Severity raised from low to high: the email analysis "+
			"judged parcel.eml malicious") {
			t.Fatalf("after a malicious email: %s %+v", got.Severity, tl)
		}
		camp, err := f.db.FindCampaign(f.as(f.resp), *a.CampaignID)
		if err != nil || camp.AutoVerdict != "malicious" || camp.AutoScore < 70 {
			t.Fatalf("campaign: %+v %v", camp, err)
		}

		quiet := mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindSuspiciousEmail})
		before, _ := f.db.FindCase(f.as(f.lead), quiet.Ref)
		if _, err := f.db.AddAttachment(f.as(f.bob), quiet.Ref, ally.NewAttachment{Name: "statement.eml",
			Data: statementMail(1, "bob@example.org")}); err != nil {
			t.Fatal(err)
		}
		after, _ := f.db.FindCase(f.as(f.bob), quiet.Ref)
		if after.Severity != before.Severity {
			t.Fatalf("a clean email changed the severity: %s -> %s", before.Severity, after.Severity)
		}
		// Before anyone decided, the reporter is never told "safe" beside
		// first aid that says to leave its links alone.
		tl, _ = f.db.Timeline(f.as(f.bob), quiet.Ref, 0, 50)
		firstAid := strings.ToLower(strings.Join(after.Guidance.Steps, " "))
		for _, e := range tl {
			if low := strings.ToLower(e.Body); strings.Contains(low, "safe:") || strings.Contains(low, "looks safe") ||
				strings.Contains(low, "it is safe") {
				if strings.Contains(firstAid, "click") {
					t.Errorf("told %q beside first aid %q", e.Body, firstAid)
				}
			}
		}
	})
}

// TestUploadedOutlookMsgIsAnalysed: an Outlook .msg file uploaded to a case
// is kept as it came and analysed as the email it holds.
func TestUploadedOutlookMsgIsAnalysed(t *testing.T) {
	raw, err := os.ReadFile("../outlookmsg/testdata/mscfb-test.msg")
	if err != nil {
		t.Fatal(err)
	}
	each(t, func(t *testing.T, f *fixture) {
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindSuspiciousEmail})
		a, err := f.db.AddAttachment(f.as(f.alice), c.Ref, ally.NewAttachment{Name: "odd.msg", Data: raw})
		if err != nil {
			t.Fatal(err)
		}
		list, err := f.db.Attachments(f.as(f.resp), c.Ref)
		if err != nil || len(list) != 1 || a.Name != "odd.msg" || list[0].Size != int64(len(raw)) ||
			list[0].Analysis == nil || list[0].Verdict == "" || list[0].CampaignID == nil {
			t.Fatalf("upload %+v, stored %+v: %v", a, list, err)
		}
	})
}

// Issue 18: the cases of one email campaign are related to each other,
// derived from the campaign at each read (nothing stored); a reporter sees
// only their own of them, and a case linked by hand is listed once.
func TestCampaignCasesLinked(t *testing.T) {
	raw, err := os.ReadFile("testdata/parcel.eml")
	if err != nil {
		t.Fatal(err)
	}
	each(t, func(t *testing.T, f *fixture) {
		upload := func(u *ally.User, to string) *ally.Case {
			t.Helper()
			c := mustCase(t, f, u, ally.NewCase{Kind: ally.KindSuspiciousEmail})
			data := strings.Replace(string(raw), "sam.taylor@example.com", to, 1)
			if _, err := f.db.AddAttachment(f.as(u), c.Ref, ally.NewAttachment{Name: "parcel.eml",
				Data: []byte(data)}); err != nil {
				t.Fatal(err)
			}
			return c
		}
		c1, c2, c3 := upload(f.alice, "alice@example.org"), upload(f.bob, "bob@example.org"),
			upload(f.alice, "alice@example.org")
		other := mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindSuspiciousEmail})
		refs := func(u *ally.User, ref string) string {
			t.Helper()
			links, err := f.db.Links(f.as(u), ref)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, l := range links {
				s := l.Ref + ":" + string(l.Type)
				if l.Campaign != 0 {
					s += ":campaign"
				}
				out = append(out, s)
			}
			return strings.Join(out, " ")
		}
		if got, want := refs(f.resp, c1.Ref), c2.Ref+":related:campaign "+c3.Ref+":related:campaign"; got != want {
			t.Errorf("responder's links of %s: %q, want %q", c1.Ref, got, want)
		}
		if got, want := refs(f.alice, c1.Ref), c3.Ref+":related:campaign"; got != want {
			t.Errorf("Alice's links of her case: %q, want only her other report %q", got, want)
		}
		if got := refs(f.bob, c2.Ref); got != "" {
			t.Errorf("Bob's links of his case: %q, want none of Alice's", got)
		}
		if got := refs(f.resp, other.Ref); got != "" {
			t.Errorf("a case without the email: %q", got)
		}
		if _, err := f.db.LinkCases(f.as(f.resp), c1.Ref, ally.NewLink{Ref: c2.Ref, Type: ally.LinkRelated}); err != nil {
			t.Fatal(err)
		}
		if got, want := refs(f.resp, c1.Ref), c2.Ref+":related "+c3.Ref+":related:campaign"; got != want {
			t.Errorf("after linking %s by hand: %q, want %q", c2.Ref, got, want)
		}
		if got, want := refs(f.resp, c3.Ref), c1.Ref+":related:campaign "+c2.Ref+":related:campaign"; got != want {
			t.Errorf("links of %s: %q, want %q", c3.Ref, got, want)
		}
	})
}
