package mailscan

import (
	"strings"
	"testing"
)

// Every message below is written for these tests (issue 16, session 7).

func TestDecodeUTF7(t *testing.T) {
	for in, want := range map[string]string{
		"+ADw-p+AD4-Hi+ADw-/p+AD4-": "<p>Hi</p>",
		"1 +- 1 = 2":                "1 + 1 = 2",
		"today +IBM 50 +IKw.":       "today \u2013 50 \u20ac.",
		"A+ImIDkQ.":                 "A\u2262\u0391.", // RFC 2152's example
		"+AGEAYgBj-":                "abc",
		"plain text":                "plain text",
		"broken +A":                 "broken +A",
	} {
		if got := string(decodeUTF7([]byte(in))); got != want {
			t.Errorf("decodeUTF7(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestUTF7Body: a body in UTF-7 is read as what it says (its link is seen)
// and the encoding itself is a sign of hiding from filters.
func TestUTF7Body(t *testing.T) {
	raw := "From: Wallet Rewards <rewards@mailer.example.net>\nTo: pat@example-corp.com\nSubject: Your reward\n" +
		"Content-Type: text/html; charset=\"utf-7\"\n\n" +
		"+ADw-p+AD4-Your wallet reward is ready. +ADw-a href+AD0AIg-https://claims.example.xyz/r+ACIAPg-Claim it" +
		"+ADw-/a+AD4APA-/p+AD4-"
	r := mustAnalyze(t, raw, Options{})
	for _, id := range []string{"utf7-text", "risky-tld"} {
		if !hasSignal(r, id) {
			t.Errorf("%s not raised: %v", id, r.Signals)
		}
	}
	plain := "From: Pat <pat@example-corp.com>\nTo: sam@example-corp.com\nSubject: notes\n" +
		"Content-Type: text/plain; charset=utf-8\n\nSee you at 3 +- or later."
	if r := mustAnalyze(t, plain, Options{}); hasSignal(r, "utf7-text") {
		t.Errorf("utf7-text on a UTF-8 body: %v", r.Signals)
	}
}

// TestStorageBuckets: pages in cloud storage buckets are free hosting,
// whatever region the bucket's name carries.
func TestStorageBuckets(t *testing.T) {
	for host, want := range map[string]bool{
		"files.s3.us-east-2.amazonaws.com":            true,
		"s3-eu-west-1.amazonaws.com":                  true,
		"site.s3-website.eu-central-1.amazonaws.com":  true,
		"docs.oss-cn-hangzhou.aliyuncs.com":           true,
		"objectstorage.sa-saopaulo-1.oraclecloud.com": true,
		"bucket.s3.eu-central-1.wasabisys.com":        true,
		"ec2-3-4-5-6.compute-1.amazonaws.com":         false,
		"console.aws.amazon.com":                      false,
		"cdn.s3shop.example.com":                      false,
		"ecs.cn-hangzhou.aliyuncs.com":                false,
		"login.us-ashburn-1.oraclecloud.com":          false,
	} {
		if got := freeHosted(host); got != want {
			t.Errorf("freeHosted(%q) = %v, want %v", host, got, want)
		}
	}
}

// TestJobAndDatingThemes: fake jobs and dating spam are scam themes, and an
// address at another domain to write to is a way to act on them.
func TestJobAndDatingThemes(t *testing.T) {
	job := "From: Recruitment <jobs@staffing-news.example.com>\nTo: pat@example-corp.com\nSubject: Opening for you\n\n" +
		"We have a part-time job for you: work from home, flexible hours, no experience needed and a weekly salary " +
		"of 900 USD.\nTo apply, email the coordinator at hiring.desk@career-team.example.net today.\n"
	if r := mustAnalyze(t, job, Options{}); !hasSignal(r, "scam-theme") && !hasSignal(r, "scam-theme-strong") {
		t.Errorf("fake job with an address elsewhere not seen as a scam theme: %v", r.Signals)
	}
	ownDomain := strings.Replace(job, "hiring.desk@career-team.example.net", "hiring.desk@staffing-news.example.com", 1)
	if r := mustAnalyze(t, ownDomain, Options{}); hasSignal(r, "scam-theme") || hasSignal(r, "scam-theme-strong") {
		t.Errorf("a job ad answered at the sender's own domain is not a way to act elsewhere: %v", r.Signals)
	}
	dating := "From: Mila <mila@chat-notify.example.org>\nTo: pat@example-corp.com\nSubject: new message\n" +
		"Content-Type: text/html\n\n<p>Hi! I am a single woman, 27, only 3 miles from you. My private photos are on " +
		"<a href=\"https://meet-now.example.org/p/77\">her profile</a> page. Naughty and discreet.</p>"
	if r := mustAnalyze(t, dating, Options{}); !hasSignal(r, "scam-theme") && !hasSignal(r, "scam-theme-strong") {
		t.Errorf("dating spam not seen as a scam theme: %v", r.Signals)
	}
	news := "From: Tech Weekly <news@weekly.example.org>\nTo: pat@example-corp.com\nSubject: This week\n\n" +
		"A court ruled on web filters for schools; parents of girls and boys were heard. More at " +
		"https://weekly.example.org/filters\n"
	if r := mustAnalyze(t, news, Options{}); hasSignal(r, "scam-theme") {
		t.Errorf("news about filters is no scam theme: %v", r.Signals)
	}
}

func TestPathTarget(t *testing.T) {
	for href, want := range map[string]string{
		"https://www.google.com/amp/s/login-check.example.xyz/m":          "https://login-check.example.xyz/m",
		"https://news-example-com.cdn.ampproject.org/c/s/qz.example.top/": "https://qz.example.top/",
		"https://go.example.com/out/https://t.ly/abc":                     "https://t.ly/abc",
		"https://go.example.com/out/http:/evil.example.sbs/p":             "https://evil.example.sbs/p",
		"https://news.example.com/amp/s/news.example.com/story":           "",
		"https://news.example.com/amp/story-of-the-day":                   "",
		"https://shop.example.com/c/s/shoes":                              "",
		"https://shop.example.com/help/https-and-you":                     "",
	} {
		if got := pathTarget(href); got != want {
			t.Errorf("pathTarget(%q) = %q, want %q", href, got, want)
		}
	}
}

// TestCalendarLinks: the links of a calendar invitation are checked like
// the body's, folded lines and escapes undone; a normal invitation to a
// meeting on the sender's own site raises nothing about its link.
func TestCalendarLinks(t *testing.T) {
	invite := func(url string) string {
		return "From: Planning <planning@events.example.com>\nTo: pat@example-corp.com\nSubject: Invitation: Q3 review\n" +
			"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n" +
			"You have been invited.\n--b\nContent-Type: text/calendar; method=REQUEST\n\nBEGIN:VCALENDAR\r\n" +
			"BEGIN:VEVENT\r\nSUMMARY:Q3 review\r\nDESCRIPTION:Agenda and documents:\\n" + url[:20] + "\r\n " + url[20:] +
			"\\, see you there\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n--b--\n"
	}
	r := mustAnalyze(t, invite("https://review-docs-portal.pages.dev/q3/login"), Options{})
	if !hasSignal(r, "free-hosting-link") {
		t.Errorf("link in the invitation not checked: %v", r.Signals)
	}
	for _, s := range r.Signals {
		if s.ID == "free-hosting-link" && !strings.Contains(s.Evidence, "review-docs-portal.pages.dev") {
			t.Errorf("folded link read wrongly: %q", s.Evidence)
		}
	}
	if r := mustAnalyze(t, invite("https://meet.events.example.com/j/4471"), Options{}); hasSignal(r, "free-hosting-link") {
		t.Errorf("own meeting link flagged: %v", r.Signals)
	}
}
