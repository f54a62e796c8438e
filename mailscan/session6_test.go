package mailscan

import (
	"encoding/base64"
	"strings"
	"testing"
)

// Every message below is written for these tests (issue 16, session 6).

func TestRedirectTarget(t *testing.T) {
	for _, c := range []struct{ href, want string }{
		{"https://news.example.org/click?id=7&out=http%3A%2F%2Fx7kq.example.sbs%2Fp", "https://x7kq.example.sbs/p"},
		{"https://mail.example.de/deref/?redirectUrl=https%3A%2F%2Ft.ly%2Fabc", "https://t.ly/abc"},
		{"https://api.example.com/c?key=1&out=%68%74%74%70%3Aqz.example.xyz%2Fa", "https://qz.example.xyz/a"},
		{"https://www.bing.com/ck/a?p=1&u=a1aHR0cHM6Ly9ldmlsLmV4YW1wbGUuY29tL3g&ntb=1", "https://evil.example.com/x"},
		{"https://shop.example.com/go?to=https://www.shop.example.com/cart", ""}, // its own site
		{"https://shop.example.com/p?utm_source=mail&ref=home", ""},
		{"https://shop.example.com/p?q=http", ""},
		{"https://x.example.com/r?u=https://intranet.local/", ""}, // leads nowhere
	} {
		if got := redirectTarget(c.href); got != c.want {
			t.Errorf("redirectTarget(%q) = %q, want %q", c.href, got, c.want)
		}
	}
}

// TestRedirectLink: a link through an open redirect on a known site is
// checked for where it leads; a click tracker sending the reader to the
// sender's own shop raises nothing.
func TestRedirectLink(t *testing.T) {
	phish := "From: Alerts <alerts@mailer.example.net>\nTo: pat@example-corp.com\nSubject: Your storage is full\n" +
		"Content-Type: text/html\n\n<p>Your mailbox is full. <a href=\"https://www.example-portal.com/away?" +
		"target=https%3A%2F%2Fbit.ly%2F3xYzAbC\">Get more space</a></p>"
	if r := mustAnalyze(t, phish, Options{}); !hasSignal(r, "url-shortener") {
		t.Errorf("redirect to a shortener not seen: %v", r.Signals)
	}
	benign := "Authentication-Results: mx.example-corp.com; dkim=pass header.d=shop.example.com; " +
		"dmarc=pass header.from=shop.example.com\nFrom: Shop <news@shop.example.com>\nTo: pat@example-corp.com\n" +
		"Subject: New in this week\nContent-Type: text/html\n\n<p>Spring jackets are in. <a href=\"https://click." +
		"example-esp.com/t?u=https%3A%2F%2Fwww.shop.example.com%2Fjackets\">See them</a></p>"
	if r := mustAnalyze(t, benign, Options{}); r.Verdict != VerdictClean {
		t.Errorf("newsletter through a click tracker: %s %v", r.Verdict, r.Signals)
	}
}

// TestModernHostingLists: cloud functions, app platforms and IPFS
// gateways count as free hosting; dynamic links as shorteners.
func TestModernHostingLists(t *testing.T) {
	for host, id := range map[string]string{
		"region-proj-123.cloudfunctions.net": "free-hosting-link", "svc-abc.a.run.app": "free-hosting-link",
		"myapp.onrender.com": "free-hosting-link", "bafy.ipfs.infura-ipfs.io": "free-hosting-link",
		"x.page.link": "url-shortener", "login.example.autos": "risky-tld",
	} {
		found := false
		for _, f := range hostFindings(host) {
			found = found || f.id == id
		}
		if !found {
			t.Errorf("%s: no %s in %v", host, id, hostFindings(host))
		}
	}
}

// TestBrandDomainUnverified: a brand's own domain in the From line that
// nothing authenticates is a forged sender; the brand's signed mail, and
// mail whose only result is Received-SPF, raise nothing.
func TestBrandDomainUnverified(t *testing.T) {
	msg := func(auth string) string {
		return auth + "From: DHL <noreply@dhl.de>\nTo: pat@example-corp.com\nSubject: Your parcel\n\n" +
			"Your parcel is on its way.\n"
	}
	forged := msg("Authentication-Results: spf=none (sender IP is 192.0.2.7) smtp.mailfrom=q7x2.example.org; " +
		"dkim=none (message not signed)\nReturn-Path: bounce@q7x2.example.org\n")
	if r := mustAnalyze(t, forged, Options{}); !hasSignal(r, "brand-domain-unverified") || r.Verdict == VerdictClean {
		t.Errorf("forged DHL sender: %s %v", r.Verdict, r.Signals)
	}
	for name, auth := range map[string]string{
		"signed":            "Authentication-Results: mx.example-corp.com; spf=pass smtp.mailfrom=dhl.de; dkim=pass header.d=dhl.de\n",
		"received-spf only": "Received-SPF: pass (example-corp.com: domain of noreply@dhl.de designates 192.0.2.9)\n",
		"no results":        "",
	} {
		if r := mustAnalyze(t, msg(auth), Options{}); hasSignal(r, "brand-domain-unverified") {
			t.Errorf("%s: %v", name, r.Signals)
		}
	}
	other := strings.Replace(forged, "noreply@dhl.de", "orders@corner-bakery.example", 1)
	if r := mustAnalyze(t, other, Options{}); hasSignal(r, "brand-domain-unverified") {
		t.Errorf("not a brand's domain: %v", r.Signals)
	}
}

// TestRandomBounceDomain: bounces to a domain whose names mix letters and
// digits at random count as a throwaway sender; a list server's name of
// words run together does not.
func TestRandomBounceDomain(t *testing.T) {
	base := "From: Shop <offers@garden-shop.example>\nTo: pat@example-corp.com\nSubject: Spring sale\n" +
		"Return-Path: <%s>\n\nOur spring sale starts today.\n"
	r := mustAnalyze(t, strings.Replace(base, "%s", "b-77@k3x9q2w7z.example.org", 1), Options{})
	if !hasSignal(r, "random-sender") {
		t.Errorf("random bounce domain: %v", r.Signals)
	}
	r = mustAnalyze(t, strings.Replace(base, "%s", "list-bounces@lists.freshrpms.example", 1), Options{})
	if hasSignal(r, "random-sender") {
		t.Errorf("list server: %v", r.Signals)
	}
}

// writtenPDF is a one-page PDF whose only content is a link annotation.
func writtenPDF(uri string) []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
		"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
		"3 0 obj << /Type /Page /Parent 2 0 R /Annots [4 0 R] >> endobj\n" +
		"4 0 obj << /Type /Annot /Subtype /Link /Rect [0 0 600 800] /A << /S /URI /URI " + uri + " >> >> endobj\n" +
		"trailer << /Root 1 0 R >>\n%%EOF\n")
}

func TestPDFLinks(t *testing.T) {
	for in, want := range map[string]string{
		"(https://docs-view.example.net/a\\)b)":    "https://docs-view.example.net/a)b",
		"<68747470733a2f2f782e6578616d706c652f70>": "https://x.example/p",
		"(mailto:a@b.example)":                     "",
	} {
		got := pdfLinks(writtenPDF(in))
		if want == "" && len(got) != 0 || want != "" && (len(got) != 1 || got[0] != want) {
			t.Errorf("pdfLinks(%s) = %q, want %q", in, got, want)
		}
	}
	if got := pdfLinks([]byte("/URI (https://never-closed.example/" + strings.Repeat("x", 5000))); len(got) != 0 {
		t.Errorf("unclosed string read as %q", got)
	}
}

// TestPDFLink: a free-mail message that is a few words and a PDF linking
// elsewhere is flagged, and the PDF's shortener link is checked like any
// other; a long personal note with a PDF linking to its own site is not.
func TestPDFLink(t *testing.T) {
	msg := func(from, body string, pdf []byte) string {
		return "From: " + from + "\nTo: pat@example-corp.com\nSubject: document\n" +
			"Content-Type: multipart/mixed; boundary=\"z\"\n\n--z\nContent-Type: text/plain\n\n" + body +
			"\n--z\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"Doc 4471.pdf\"\n" +
			"Content-Transfer-Encoding: base64\n\n" + base64Std(pdf) + "\n--z--\n"
	}
	r := mustAnalyze(t, msg("Lena <lena.k.1987@gmail.com>", "see the file", writtenPDF("(https://view-doc.example.org/s/9)")),
		Options{})
	if !hasSignal(r, "pdf-link") || r.Verdict == VerdictClean {
		t.Errorf("PDF lure from free mail: %s %v", r.Verdict, r.Signals)
	}
	r = mustAnalyze(t, msg("Lena <lena.k.1987@gmail.com>", "file attached", writtenPDF("(https://bit.ly/4AbCdE)")), Options{})
	if !hasSignal(r, "url-shortener") || !strings.Contains(signalEvidence(r, "url-shortener"), "Doc 4471.pdf") {
		t.Errorf("shortener in a PDF: %v", r.Signals)
	}
	note := strings.Repeat("Here are the minutes from Tuesday's board meeting and the budget we discussed. ", 6)
	r = mustAnalyze(t, msg("Tom <tom@rowing-club.example>", note, writtenPDF("(https://www.rowing-club.example/join)")),
		Options{})
	if hasSignal(r, "pdf-link") || r.Verdict != VerdictClean {
		t.Errorf("club minutes: %s %v", r.Verdict, r.Signals)
	}
}

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// signalEvidence returns the evidence of signal id, "" when it is absent.
func signalEvidence(r *Report, id string) string {
	for _, s := range r.Signals {
		if s.ID == id {
			return s.Evidence
		}
	}
	return ""
}

// TestReplyToOtherFreemail: one free-mail account writing and another
// collecting the replies is a scam's set-up; a person replying from the
// same account, or an organisation's reply address, is not.
func TestReplyToOtherFreemail(t *testing.T) {
	msg := func(from, replyTo string) string {
		return "From: " + from + "\nReply-To: " + replyTo + "\nTo: pat@example-corp.com\nSubject: hello\n\n" +
			"Please get back to me when you can.\n"
	}
	if r := mustAnalyze(t, msg("Ann <ann.m.1962@gmail.com>", "desk.of.ann@outlook.com"), Options{}); !hasSignal(r,
		"reply-to-freemail") || r.Verdict == VerdictClean {
		t.Errorf("free mail replying to another free-mail account: %s %v", r.Verdict, r.Signals)
	}
	for _, c := range [][2]string{{"Ann <ann.m.1962@gmail.com>", "Ann.M.1962@gmail.com"},
		{"Ann <ann.m.1962@gmail.com>", "ann@choir.example.org"}} {
		if r := mustAnalyze(t, msg(c[0], c[1]), Options{}); hasSignal(r, "reply-to-freemail") {
			t.Errorf("%s -> %s: %v", c[0], c[1], r.Signals)
		}
	}
}

// TestCallbackLure: a renewal "invoice" from free mail naming a brand,
// with a number to call to cancel, is a callback scam; the company's own
// signed receipt with its hotline, and a friend's note with a number, are
// not.
func TestCallbackLure(t *testing.T) {
	scam := "From: Billing Dept <billing.desk.4410@gmail.com>\nTo: pat@example-corp.com\n" +
		"Subject: Norton 360 order confirmation\n\nYour Norton 360 annual subscription has been renewed and $399.99 " +
		"will be charged to your account today. If you did not authorize this purchase, call us at +1 (808) 555-0143 " +
		"within 24 hours to cancel and get a refund.\n"
	r := mustAnalyze(t, scam, Options{})
	if !hasSignal(r, "callback-lure") || r.Verdict == VerdictClean {
		t.Errorf("callback scam: %s %v", r.Verdict, r.Signals)
	}
	pt := "From: Central <central.cobranca.77@outlook.com>\nTo: pat@example-corp.com\nSubject: Renovação McAfee\n\n" +
		"Sua assinatura McAfee foi renovada e o valor foi debitado. Para cancelar, ligue para 0800 555 0143.\n"
	if r := mustAnalyze(t, pt, Options{}); !hasSignal(r, "callback-lure") {
		t.Errorf("Portuguese callback scam: %v", r.Signals)
	}
	receipt := "Authentication-Results: mx.example-corp.com; dkim=pass header.d=norton.com; dmarc=pass " +
		"header.from=norton.com\nFrom: Norton <noreply@norton.com>\nTo: pat@example-corp.com\n" +
		"Subject: Your Norton subscription\n\nYour Norton 360 subscription has been renewed. Questions? Call us at " +
		"1-855-555-0100.\n"
	friend := "From: Sam <sam.r@gmail.com>\nTo: pat@example-corp.com\nSubject: gym\n\nMy gym membership has been " +
		"renewed, finally. Call me at 0161 555 0123 when you're free.\n"
	for name, raw := range map[string]string{"receipt": receipt, "friend": friend} {
		if r := mustAnalyze(t, raw, Options{}); hasSignal(r, "callback-lure") {
			t.Errorf("%s: %v", name, r.Signals)
		}
	}
}

func TestPhoneNumber(t *testing.T) {
	for in, want := range map[string]string{
		"call +1 (888) 555-0199 now": "+1 (888) 555-0199", "Call 1-888-555-0199.": "1-888-555-0199",
		"ring 020 7946 0958 today": "020 7946 0958", "order 12345678901234": "", "total $1,299.99": "",
		"ref AB-1234567890": "", "on 2025-06-03 at 10:02": "",
	} {
		if got := phoneNumber(in); got != want {
			t.Errorf("phoneNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNoListUnsubscribe: bulk mail with an unsubscribe line but no
// List-Unsubscribe header raises the signal; a compliant newsletter and a
// personal note do not.
func TestNoListUnsubscribe(t *testing.T) {
	bulk := "From: Offers <offers@deals-daily.example>\nTo: pat@example-corp.com\nSubject: This week only\n\n" +
		"Save on solar panels this week. To stop receiving these emails, unsubscribe here: " +
		"https://deals-daily.example/u?id=7\n"
	if r := mustAnalyze(t, bulk, Options{}); !hasSignal(r, "no-list-unsubscribe") {
		t.Errorf("bulk mail without the header: %v", r.Signals)
	}
	pt := "From: Ofertas <ofertas@planos.example>\nTo: pat@example-corp.com\nSubject: Tabela nova\n\n" +
		"Veja a tabela nova. Para deixar de receber, clique em descadastrar.\n"
	if r := mustAnalyze(t, pt, Options{}); !hasSignal(r, "no-list-unsubscribe") {
		t.Errorf("Portuguese bulk mail without the header: %v", r.Signals)
	}
	compliant := "List-Unsubscribe: <https://deals-daily.example/u?id=7>\nList-Unsubscribe-Post: " +
		"List-Unsubscribe=One-Click\n" + bulk
	note := "From: Sam <sam.r@gmail.com>\nTo: pat@example-corp.com\nSubject: lunch\n\nLunch on Friday?\n"
	for name, raw := range map[string]string{"compliant": compliant, "note": note} {
		if r := mustAnalyze(t, raw, Options{}); hasSignal(r, "no-list-unsubscribe") {
			t.Errorf("%s: %v", name, r.Signals)
		}
	}
}
