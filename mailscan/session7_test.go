package mailscan

import "testing"

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
