// Package benchgen makes realistic synthetic messages for benchmarks:
// multipart/alternative newsletters, receipts and lures of about 20 KB
// (median), with Received chains, DKIM-Signature and Authentication-Results
// headers, HTML tables full of tracking links, and some attachments.
package benchgen

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
)

var (
	senders = []string{"news@techweekly.example", "offers@nordichome.example", "service@paypa1-support.com",
		"hr@example-corp.com", "billing@invoices-online.net", "noreply@dhl.de", "alerts@wellsfargo-secure.info",
		"digest@devdigest.example"}
	subjects = []string{"This week in tech", "Last chance: 30% off ends tonight", "Your account access has been limited",
		"Open enrolment closes Friday", "Invoice #%d attached", "Ihre Sendung kommt heute", "Unauthorized sign-in attempt",
		"Go 1.26 released"}
	phrases = []string{"Read the full story on our website.", "Verify your account within 24 hours to avoid suspension.",
		"Our autumn sale ends tonight, don't miss out.", "Please review the attached invoice and process the payment.",
		"Ihre Sendung wird heute zugestellt.", "Estimado cliente, hemos detectado actividad inusual.",
		"Thanks for being a subscriber.", "Click below to see the latest offers from our partners."}
)

// Message returns the i-th synthetic message; the same i always gives the
// same bytes. Sizes vary from about 6 KB to 40 KB, median about 20 KB.
func Message(i int) []byte {
	rng := rand.New(rand.NewPCG(uint64(i), 42))
	from := senders[i%len(senders)]
	dom := from[strings.IndexByte(from, '@')+1:]
	subject := subjects[i%len(subjects)]
	if strings.Contains(subject, "%d") {
		subject = fmt.Sprintf(subject, 10000+i)
	}
	var b strings.Builder
	for h := 0; h < 4; h++ {
		fmt.Fprintf(&b, "Received: from relay%d.%s (relay%d.%s [198.51.100.%d]) by mx%d.example-corp.com with ESMTPS id "+
			"%x; Fri, 27 Nov 2026 07:%02d:00 +0000\r\n", h, dom, h, dom, rng.IntN(250), h, rng.Uint64(), h)
	}
	fmt.Fprintf(&b, "Authentication-Results: mx.example-corp.com; spf=pass smtp.mailfrom=%s; dkim=pass header.d=%s; "+
		"dmarc=pass header.from=%s\r\n", dom, dom, dom)
	fmt.Fprintf(&b, "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s; s=s1; h=from:to:subject:date; bh=%s; "+
		"b=%s\r\n", dom,
		base64.StdEncoding.EncodeToString([]byte(fmt.Sprint(rng.Uint64()))), strings.Repeat("A", 340))
	fmt.Fprintf(&b, "From: \"%s\" <%s>\r\nTo: alex.morgan@example-corp.com\r\nSubject: %s\r\nDate: Fri, 27 Nov 2026 "+
		"07:00:00 +0000\r\nMessage-ID: <%d.%x@%s>\r\n", strings.Split(dom, ".")[0], from, subject, i, rng.Uint64(), dom)
	b.WriteString("List-Unsubscribe: <https://" + dom + "/unsub>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; " +
		"boundary=\"outer\"\r\n\r\n")
	b.WriteString("--outer\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n--alt\r\nContent-Type: " +
		"text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	items := 40 + int(rng.NormFloat64()*12)
	items = max(10, min(items, 90))
	for k := 0; k < items; k++ {
		fmt.Fprintf(&b, "%s https://click.%s/c/%d/%x\r\n", phrases[(i+k)%len(phrases)], dom, k, rng.Uint64())
	}
	b.WriteString("\r\n--alt\r\nContent-Type: text/html; " +
		"charset=utf-8\r\n\r\n<html><head><style>td{font-family:Arial;font-size:14px;padding:8px}</style></head>" +
		"<body><table width=\"600\">")
	for k := 0; k < items; k++ {
		fmt.Fprintf(&b, "<tr><td><img src=\"https://img.%s/%d.png\" width=\"120\" alt=\"\"></td><td><h3>%s</h3><p>%s "+
			"%s</p><a href=\"https://click.%s/c/%d/%x\" style=\"color:#0a66c2\">Read more</a></td></tr>\r\n",
			dom, k, subject, phrases[(i+k)%len(phrases)], phrases[(i+k+3)%len(phrases)], dom, k, rng.Uint64())
	}
	fmt.Fprintf(&b, "</table><p><a href=\"https://%s/unsub\">Unsubscribe</a></p></body></html>\r\n--alt--\r\n", dom)
	if i%4 == 0 {
		data := make([]byte, 2000+rng.IntN(3000))
		for k := range data {
			data[k] = byte(rng.IntN(256))
		}
		fmt.Fprintf(&b, "--outer\r\nContent-Type: application/pdf; name=\"doc%d.pdf\"\r\nContent-Disposition: attachment; "+
			"filename=\"doc%d.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", i, i)
		enc := base64.StdEncoding.EncodeToString(data)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	}
	b.WriteString("--outer--\r\n")
	return []byte(b.String())
}
