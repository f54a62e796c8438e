package mailscan

import (
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var updateQRFixtures = flag.Bool("update-qr", false, "rewrite testdata/qr/*.eml from qrFixtures")

const quishURL = "https://rnicrosoft-mfa.com/verify?u=alex"

// qrFixtures are the committed .eml fixtures in testdata/qr, rebuilt with
// go test ./mailscan -run TestQRFixtures -update-qr.
func qrFixtures(t testing.TB) map[string]string {
	return map[string]string{
		"quish-lookalike.eml": qrMail(
			"Authentication-Results: mx.example-corp.com; spf=pass smtp.mailfrom=account-notice.net; dkim=none; dmarc=none header.from=account-notice.net\n"+
				"From: \"Microsoft 365\" <no-reply@account-notice.net>\nTo: alex@example-corp.com\nSubject: Action required: re-enable multi-factor authentication\n"+
				"Date: Mon, 16 Nov 2026 08:12:00 +0000\nMessage-ID: <q1@account-notice.net>\n",
			"<html><body><p>Dear user,</p><p>Your multi-factor authentication expires today. Scan the QR code below with your phone to verify your account within 24 hours, or your mailbox will be suspended.</p><img src=\"cid:img0@mail\" alt=\"QR\"></body></html>",
			mailImage{"mfa-code.png", "image/png", qrPNG(t, quishURL), true}),
		"quish-no-wording.eml": qrMail(
			"Authentication-Results: mx.example-corp.com; spf=pass smtp.mailfrom=docs-delivery.net; dkim=pass header.d=docs-delivery.net; dmarc=pass header.from=docs-delivery.net\n"+
				"From: \"Document Center\" <share@docs-delivery.net>\nTo: alex@example-corp.com\nSubject: Q4 bonus statement shared with you\n"+
				"Date: Mon, 16 Nov 2026 09:30:00 +0000\nMessage-ID: <q2@docs-delivery.net>\n",
			"<html><body><p>Hello Alex,</p><p>A document was shared with you. Open it from the picture below.</p><img src=\"cid:img0@mail\"></body></html>",
			mailImage{"document.jpg", "image/jpeg", qrJPEG(t, "https://paypa1-secure.com/statement/q4"), true}),
		"newsletter-own-domain.eml": qrMail(
			"Authentication-Results: mx.example-corp.com; spf=pass smtp.mailfrom=greenleaf-coffee.com; dkim=pass header.d=greenleaf-coffee.com; dmarc=pass header.from=greenleaf-coffee.com\n"+
				"From: \"Green Leaf Coffee\" <news@greenleaf-coffee.com>\nTo: alex@example-corp.com\nSubject: Autumn menu and a treat for you\n"+
				"Date: Tue, 17 Nov 2026 07:00:00 +0000\nMessage-ID: <n1@greenleaf-coffee.com>\n",
			"<html><body><h1>Autumn is here</h1><p>Hi Alex, our pumpkin latte is back. Last chance: scan the QR code at the till for 10% off, today only!</p><img src=\"cid:img0@mail\"><p><a href=\"https://www.greenleaf-coffee.com/menu\">See the menu</a> · <a href=\"https://www.greenleaf-coffee.com/unsubscribe?u=42\">Unsubscribe</a></p></body></html>",
			mailImage{"offer.png", "image/png", qrPNG(t, "https://www.greenleaf-coffee.com/offers/autumn?utm_source=newsletter"), true}),
		"broken-images.eml": qrMail(
			"From: \"Front desk\" <desk@hotel-aurora.com>\nTo: alex@example-corp.com\nSubject: Your booking\nDate: Wed, 18 Nov 2026 10:00:00 +0000\n",
			"<html><body><p>See the pictures of your room.</p></body></html>",
			mailImage{"huge.png", "image/png", hugePNG(t, 30000, 30000), false},
			mailImage{"broken.png", "image/png", append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0xde, 0xad}, 300)...), false},
			mailImage{"noise.jpg", "image/jpeg", bytes.Repeat([]byte("not a jpeg "), 40), false}),
	}
}

// TestQRFixtures keeps testdata/qr in step with qrFixtures.
func TestQRFixtures(t *testing.T) {
	for name, raw := range qrFixtures(t) {
		path := filepath.Join("testdata", "qr", name)
		if *updateQRFixtures {
			if err := os.WriteFile(path, []byte(raw), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != raw {
			t.Errorf("%s is out of date (err %v): run go test ./mailscan -run TestQRFixtures -update-qr", path, err)
		}
	}
}

func readFixture(t *testing.T, name string) *Report {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "qr", name))
	if err != nil {
		t.Fatal(err)
	}
	return mustAnalyze(t, string(raw), Options{})
}

func signalOf(r *Report, id string) *Signal {
	for i := range r.Signals {
		if r.Signals[i].ID == id {
			return &r.Signals[i]
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestQRQuishing: a QR code pointing at a look-alike domain is decoded,
// checked like a link, exported as an indicator and explained.
func TestQRQuishing(t *testing.T) {
	r := readFixture(t, "quish-lookalike.eml")
	if r.Verdict != VerdictMalicious {
		t.Errorf("verdict %s (%d), want malicious: %v", r.Verdict, r.Score, r.Signals)
	}
	qs := signalOf(r, "qr-code-link")
	if qs == nil || !strings.Contains(qs.Evidence, "mfa-code.png: "+quishURL) {
		t.Fatalf("qr-code-link = %+v", qs)
	}
	la := signalOf(r, "link-lookalike")
	if la == nil || !strings.Contains(la.Evidence, "rnicrosoft-mfa.com imitates Microsoft") || !strings.Contains(la.Evidence, "QR code in mfa-code.png") {
		t.Errorf("link-lookalike = %+v", la)
	}
	if !contains(r.IOCs.URLs, quishURL) || !contains(r.IOCs.Domains, "rnicrosoft-mfa.com") {
		t.Errorf("iocs %+v", r.IOCs)
	}
	if !contains(r.Fingerprint.LinkDomains, "rnicrosoft-mfa.com") {
		t.Errorf("fingerprint %+v", r.Fingerprint)
	}
	if len(r.Attachments) != 1 || !contains(r.Attachments[0].QRCodes, quishURL) {
		t.Errorf("attachments %+v", r.Attachments)
	}
	if !strings.Contains(r.ReporterSummary, "scanning a code that opens a site made to look like Microsoft") {
		t.Errorf("reporter summary %q", r.ReporterSummary)
	}
	if g := fkGrade(r.ReporterSummary); g > 8 {
		t.Errorf("summary grade %.1f: %q", g, r.ReporterSummary)
	}
	for name, export := range map[string]func() ([]byte, error){
		"stix": func() ([]byte, error) { return ExportSTIX([]*Report{r}, r.Date) },
		"misp": func() ([]byte, error) { return ExportMISP([]*Report{r}, r.Date) },
		"csv":  func() ([]byte, error) { return ExportCSV([]*Report{r}) },
	} {
		out, err := export()
		if err != nil || !bytes.Contains(out, []byte(quishURL)) || !bytes.Contains(out, []byte("rnicrosoft-mfa.com")) {
			t.Errorf("%s export lacks the QR link (err %v)", name, err)
		}
	}
	var text bytes.Buffer
	if err := WriteText(&text, r); err != nil || strings.Contains(text.String(), "rnicrosoft-mfa.com") || !strings.Contains(text.String(), "rnicrosoft-mfa[.]com") {
		t.Errorf("text view not defanged (err %v)", err)
	}
}

// TestQRLinkWithoutWording: with no "scan the code" wording and a sender
// whose own authentication passes, only the decoded link shows the trick.
func TestQRLinkWithoutWording(t *testing.T) {
	r := readFixture(t, "quish-no-wording.eml")
	if r.Verdict == VerdictClean || !hasSignal(r, "qr-code-link") || !hasSignal(r, "link-lookalike") {
		t.Errorf("verdict %s (%d), signals %v", r.Verdict, r.Score, r.Signals)
	}
	if !contains(r.IOCs.URLs, "https://paypa1-secure.com/statement/q4") || !contains(r.IOCs.Domains, "paypa1-secure.com") {
		t.Errorf("iocs %+v", r.IOCs)
	}
}

// TestQRNewsletterOwnDomain: a genuine sender's QR code to its own site is
// no lure and the message stays clean.
func TestQRNewsletterOwnDomain(t *testing.T) {
	r := readFixture(t, "newsletter-own-domain.eml")
	if r.Verdict != VerdictClean || hasSignal(r, "qr-code-lure") {
		t.Errorf("verdict %s (%d), signals %v", r.Verdict, r.Score, r.Signals)
	}
	const want = "https://www.greenleaf-coffee.com/offers/autumn?utm_source=newsletter"
	if !hasSignal(r, "qr-code-link") || !contains(r.IOCs.URLs, want) {
		t.Errorf("QR link not read: signals %v iocs %v", r.Signals, r.IOCs.URLs)
	}
}

// TestQRBrokenImages: oversized and corrupt images are skipped with a note.
func TestQRBrokenImages(t *testing.T) {
	r := readFixture(t, "broken-images.eml")
	l := strings.Join(r.Limits, "\n")
	for _, want := range []string{
		"huge.png: image of 30000×30000 pixels is over the 16000000-pixel budget",
		"broken.png: not a readable png image",
		"noise.jpg: not a readable image/jpeg image",
	} {
		if !strings.Contains(l, want) {
			t.Errorf("limits lack %q:\n%s", want, l)
		}
	}
	if hasSignal(r, "qr-code-link") || len(r.Attachments) != 3 {
		t.Errorf("signals %v attachments %d", r.Signals, len(r.Attachments))
	}
}

func TestQRFormatsAndPayloads(t *testing.T) {
	const hdr = "From: a@shop.example\nTo: alex@example-corp.com\nSubject: hi\n"
	inv := encodePNG(t, inverted(qrMatrix(t, "https://203.0.113.7/login", 240)))
	// A large photo-sized image with a QR code in one corner: read after
	// shrinking to maxQRSide.
	big := image.NewGray(image.Rect(0, 0, 4200, 3000))
	for i := range big.Pix {
		big.Pix[i] = 255
	}
	code := qrMatrix(t, "https://bit.ly/3xQr", 1400)
	for y := 0; y < 1400; y++ {
		for x := 0; x < 1400; x++ {
			big.SetGray(2600+x, 1400+y, color.GrayModel.Convert(code.At(x, y)).(color.Gray))
		}
	}
	cases := []struct {
		name   string
		img    mailImage
		signal string
		url    string
	}{
		{"gif", mailImage{"code.gif", "image/gif", qrGIF(t, "https://login.example-portal.top/x"), true}, "risky-tld", "https://login.example-portal.top/x"},
		{"jpeg as octet-stream", mailImage{"scan.jpg", "application/octet-stream", qrJPEG(t, "https://paypal.com.account-check.ru/"), false}, "link-lookalike", "https://paypal.com.account-check.ru/"},
		{"inverted png", mailImage{"inv.png", "image/png", inv, true}, "ip-url", "https://203.0.113.7/login"},
		{"large image, shrunk", mailImage{"poster.png", "image/png", encodePNG(t, big), false}, "url-shortener", "https://bit.ly/3xQr"},
		{"URLTO record", mailImage{"u.png", "image/png", qrPNG(t, "URLTO:https://tinyurl.com/abc"), true}, "url-shortener", "https://tinyurl.com/abc"},
		{"wifi card", mailImage{"wifi.png", "image/png", qrPNG(t, "WIFI:T:WPA;S:Guest;P:welcome123;;"), true}, "qr-code-data", ""},
		{"mailto is not a link", mailImage{"m.png", "image/png", qrPNG(t, "mailto:help@shop.example"), true}, "qr-code-data", ""},
	}
	for _, c := range cases {
		r := mustAnalyze(t, qrMail(hdr, "<p>hello</p>", c.img), Options{})
		if !hasSignal(r, c.signal) {
			t.Errorf("%s: no %s: %v limits %v", c.name, c.signal, r.Signals, r.Limits)
		}
		if c.url != "" && (!hasSignal(r, "qr-code-link") || !contains(r.IOCs.URLs, c.url)) {
			t.Errorf("%s: url %q not read: %v %v", c.name, c.url, r.Signals, r.IOCs.URLs)
		}
		if c.url == "" && (hasSignal(r, "qr-code-link") || len(r.IOCs.URLs) > 0) {
			t.Errorf("%s: a non-URL payload became a link: %v %v", c.name, r.Signals, r.IOCs.URLs)
		}
	}
}

// TestQRTextLinkParity: a QR link counts at least as much as the same link
// written in the body.
func TestQRTextLinkParity(t *testing.T) {
	const hdr = "From: \"Payroll\" <payroll@hr-notices.net>\nTo: alex@example-corp.com\nSubject: Confirm your salary details\n"
	const words = "<p>Please verify your account today to avoid a delay in your salary payment.</p>"
	for _, u := range []string{quishURL, "https://bit.ly/pay-2026", "https://198.51.100.23/hr", "https://payroll-update.top/login", "https://hr-notices.net/login"} {
		text := mustAnalyze(t, qrMail(hdr, words+"<p><a href=\""+u+"\">"+u+"</a></p>"), Options{})
		qr := mustAnalyze(t, qrMail(hdr, words, mailImage{"code.png", "image/png", qrPNG(t, u), true}), Options{})
		if qr.Score < text.Score {
			t.Errorf("%s: QR score %d < text score %d\nqr:   %v\ntext: %v", u, qr.Score, text.Score, qr.Signals, text.Signals)
		}
	}
}

func TestQRLimits(t *testing.T) {
	const hdr = "From: a@shop.example\nSubject: codes\n"
	var imgs []mailImage
	for i := 0; i < 10; i++ {
		imgs = append(imgs, mailImage{fmt.Sprintf("c%d.png", i), "image/png", qrPNG(t, fmt.Sprintf("https://shop.example/c/%d", i)), true})
	}
	raw := qrMail(hdr, "<p>codes</p>", imgs...)
	r := mustAnalyze(t, raw, Options{})
	if len(r.IOCs.URLs) != 8 || !strings.Contains(strings.Join(r.Limits, " "), "more than 8 images: only 8 were checked") {
		t.Errorf("default: urls %v limits %v", r.IOCs.URLs, r.Limits)
	}
	r = mustAnalyze(t, raw, Options{MaxImages: 3})
	if len(r.IOCs.URLs) != 3 || !strings.Contains(strings.Join(r.Limits, " "), "more than 3 images") {
		t.Errorf("MaxImages 3: urls %v limits %v", r.IOCs.URLs, r.Limits)
	}
	r = mustAnalyze(t, raw, Options{MaxImageBytes: 100})
	if len(r.IOCs.URLs) != 0 || !strings.Contains(strings.Join(r.Limits, " "), "c0.png: image larger than 100 bytes") {
		t.Errorf("MaxImageBytes: urls %v limits %v", r.IOCs.URLs, r.Limits)
	}
	r = mustAnalyze(t, raw, Options{MaxImagePixels: 240 * 240})
	if len(r.IOCs.URLs) != 3 || !strings.Contains(strings.Join(r.Limits, " "), "c3.png: the images together are over 3× the pixel budget") {
		t.Errorf("message pixel budget: urls %v limits %v", r.IOCs.URLs, r.Limits)
	}
	r = mustAnalyze(t, raw, Options{MaxImagePixels: 100 * 100})
	if len(r.IOCs.URLs) != 0 || !strings.Contains(strings.Join(r.Limits, " "), "over the 10000-pixel budget") {
		t.Errorf("MaxImagePixels: urls %v limits %v", r.IOCs.URLs, r.Limits)
	}
}

// TestQRDecoderPanic: a panic inside the third-party decoder is contained
// and noted.
func TestQRDecoderPanic(t *testing.T) {
	saved := qrDecode
	defer func() { qrDecode = saved; forgetQRResults() }()
	qrDecode = func([]byte, int, int) (string, bool) { panic("index out of range") }
	forgetQRResults()
	raw := qrMail("From: a@shop.example\nSubject: x\n", "<p>scan</p>", mailImage{"code.png", "image/png", qrPNG(t, quishURL), true})
	r := mustAnalyze(t, raw, Options{})
	if !strings.Contains(strings.Join(r.Limits, " "), "code.png: the image or QR decoder failed") || hasSignal(r, "qr-code-link") {
		t.Errorf("limits %v signals %v", r.Limits, r.Signals)
	}
}

// TestQRFinderPatternFlood: an image tiled with finder patterns would make
// the QR reader's cubic search hang; it is cut off and noted.
func TestQRFinderPatternFlood(t *testing.T) {
	const mod, tile = 2, 9 // a 7-module finder pattern plus a 2-module gap
	side := 80 * tile * mod
	img := image.NewGray(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for ty := 0; ty < side/(tile*mod); ty++ {
		for tx := 0; tx < side/(tile*mod); tx++ {
			for y := 0; y < 7; y++ {
				for x := 0; x < 7; x++ {
					ring := max(abs(x-3), abs(y-3))
					if ring == 3 || ring <= 1 {
						for dy := 0; dy < mod; dy++ {
							for dx := 0; dx < mod; dx++ {
								img.SetGray((tx*tile+x)*mod+dx, (ty*tile+y)*mod+dy, color.Gray{0})
							}
						}
					}
				}
			}
		}
	}
	raw := qrMail("From: a@shop.example\nSubject: x\n", "<p>x</p>", mailImage{"flood.png", "image/png", encodePNG(t, img), true})
	start := time.Now()
	r := mustAnalyze(t, raw, Options{})
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	if !strings.Contains(strings.Join(r.Limits, " "), "flood.png: too many QR-like patterns") {
		t.Errorf("limits %v", r.Limits)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestQRDataImages: a QR code drawn by an <img src="data:image/…;base64,…">
// in the HTML body is read like an attached one; pictures too large or not
// base64 are noted in Limits and skipped.
func TestQRDataImages(t *testing.T) {
	headers := "From: \"Microsoft 365\" <no-reply@account-notice.net>\nTo: alex@example-corp.com\nSubject: Verify your sign-in\n" +
		"Date: Mon, 16 Nov 2026 08:12:00 +0000\n"
	img := func(data []byte) string {
		return `<img alt="QR" src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(data) + `">`
	}
	raw := qrMail(headers, "<html><body><p>Scan the QR code below with your phone to keep your mailbox.</p>"+
		img(qrPNG(t, quishURL))+`<img src="data:image/png;base64,!!!not base64!!!">`+
		`<img src="data:image/svg+xml,%3Csvg%3E%3C/svg%3E"></body></html>`)
	r, err := Analyze([]byte(raw), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if qs := signalOf(r, "qr-code-link"); qs == nil || !strings.Contains(qs.Evidence, "embedded image 1: "+quishURL) {
		t.Fatalf("qr-code-link = %+v (signals %v)", qs, r.Signals)
	}
	if !contains(r.IOCs.URLs, quishURL) || r.Verdict != VerdictMalicious {
		t.Errorf("verdict %s, iocs %+v", r.Verdict, r.IOCs)
	}
	if !strings.Contains(strings.Join(r.Limits, "\n"), "embedded image 2: not readable base64") {
		t.Errorf("limits %q", r.Limits)
	}
	if len(r.Attachments) != 0 {
		t.Errorf("embedded pictures listed as attachments: %+v", r.Attachments)
	}
	r, err = Analyze([]byte(raw), Options{MaxImageBytes: 100})
	if err != nil || signalOf(r, "qr-code-link") != nil || !strings.Contains(strings.Join(r.Limits, "\n"), "embedded image 1: image larger than 100 bytes") {
		t.Errorf("over the byte limit: %v %q", err, r.Limits)
	}
}
