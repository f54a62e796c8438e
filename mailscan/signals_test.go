package mailscan

import (
	"strings"
	"testing"
)

func TestHostOf(t *testing.T) {
	for in, want := range map[string]string{
		"https://PayPal.com/x":                   "paypal.com",
		"http://user:pw@evil.example:8080/a?b=c": "evil.example",
		"https://paypal.com@evil.example/":       "evil.example",
		"www.Example.org/path":                   "www.example.org",
		"http://[2001:db8::1]:80/":               "2001:db8::1",
		"mailto:a@b.example":                     "",
		"not a url":                              "",
	} {
		if got := hostOf(in); got != want {
			t.Errorf("hostOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSignals checks single signals on minimal messages, both ways.
func TestSignals(t *testing.T) {
	const to = "To: alex@example-corp.com\n"
	cases := []struct {
		name, raw, id string
		want          bool
	}{
		{"dmarc fail", "Authentication-Results: mx; spf=fail smtp.mailfrom=x.example; dmarc=fail header.from=bank.example\nFrom: a@bank.example\n\nhi", "auth-dmarc-fail", true},
		{"aligned pass", "Authentication-Results: mx; dkim=pass header.d=shop.example; dmarc=pass header.from=shop.example\nFrom: a@shop.example\n\nhi", "auth-aligned-pass", true},
		{"no aligned pass for freemail", "Authentication-Results: mx; dmarc=pass header.from=gmail.com\nFrom: \"CEO\" <boss@gmail.com>\n" + to + "\nhi", "auth-aligned-pass", false},
		{"display name with address", "From: \"support@paypal.com\" <x@evil.example>\n\nhi", "display-name-address", true},
		{"role from outside", "From: \"IT Helpdesk\" <it@helpdesk-mail.example>\n" + to + "\nhi", "role-impersonation", true},
		{"role from inside", "From: \"IT Helpdesk\" <it@example-corp.com>\n" + to + "\nhi", "role-impersonation", false},
		{"brand name, brand domain", "From: \"PayPal\" <service@paypal.com>\n\nhi", "display-name-brand", false},
		{"person named like a brand", "From: \"Chase Miller\" <chase@miller.example>\n\nhi", "display-name-brand", false},
		{"capital I for l", "From: \"PayPaI Service\" <notice@acct-mail.example>\n\nhi", "display-name-brand", true},
		{"capital I in a person's name", "From: \"Ivo Ilic\" <ivo@home.example>\n\nhi", "display-name-brand", false},
		{"bank of america", "From: \"Bank of America\" <alerts@boa-alerts.example>\n\nhi", "display-name-brand", true},
		{"userinfo url", "From: a@b.example\n\nhttps://paypal.com@evil.example/login", "url-userinfo", true},
		{"userinfo word", "From: a@b.example\n\nhttps://secure-login@evil.example/", "url-userinfo", true},
		{"userinfo host with port", "From: a@b.example\n\nhttps://bank.example:443@evil.example/", "url-userinfo", true},
		{"login written for wget", "From: a@b.example\n\nwget --mirror https://someone:secret@files.example/a/", "url-userinfo", false},
		{"bounces to another domain", "From: a@shop.example\nReturn-Path: <b@mailer.example>\n\nhi", "return-path-mismatch", true},
		{"bounces to the list", "From: a@home.example\nReturn-Path: <users-admin@lists.example>\n" +
			"List-Id: Users <users.lists.example>\n\nhi", "return-path-mismatch", false},
		{"list id elsewhere", "From: a@home.example\nReturn-Path: <b@mailer.example>\n" +
			"List-Id: Users <users.lists.example>\n\nhi", "return-path-mismatch", true},
		{"shortener", "From: a@b.example\n\nsee https://bit.ly/abc", "url-shortener", true},
		{"fake reply", "From: a@b.example\nSubject: RE: invoice\n\nhi", "fake-reply", true},
		{"real reply", "From: a@b.example\nSubject: RE: invoice\nIn-Reply-To: <x@y>\n\nhi", "fake-reply", false},
		{"double extension", withAttachment("invoice.pdf.exe", "application/octet-stream", []byte("MZ")), "double-extension", true},
		{"pdf is fine", withAttachment("invoice.pdf", "application/pdf", []byte("%PDF")), "executable-attachment", false},
		{"zip with js", withAttachment("a.zip", "application/zip", zipBytes(t, [][2]string{{"a.js", "x"}}, false)), "archive-risky-entry", true},
		{"encrypted zip", withAttachment("a.zip", "application/zip", zipBytes(t, [][2]string{{"a.pdf", "x"}}, true)), "encrypted-archive", true},
		{"docx with macros", withAttachment("a.docx", "application/octet-stream", zipBytes(t, [][2]string{{"word/vbaProject.bin", "x"}}, false)), "macro-attachment", true},
		{"invisible text", "From: a@b.example\n\n" + strings.Repeat("a\u200b", 30), "invisible-text", true},
	}
	for _, c := range cases {
		r := mustAnalyze(t, c.raw, Options{})
		if got := hasSignal(r, c.id); got != c.want {
			t.Errorf("%s: signal %s = %v, want %v (signals %v)", c.name, c.id, got, c.want, r.Signals)
		}
	}
}
