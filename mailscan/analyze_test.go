package mailscan

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hasSignal reports whether the report carries the signal id.
func hasSignal(r *Report, id string) bool {
	for _, s := range r.Signals {
		if s.ID == id {
			return true
		}
	}
	return false
}

func mustAnalyze(t *testing.T, raw string, o Options) *Report {
	t.Helper()
	r, err := Analyze([]byte(raw), o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestMalformed checks each damaged fixture is analysed without error and
// still yields what it plainly contains.
func TestMalformed(t *testing.T) {
	want := map[string]func(*Report) bool{
		"empty-boundary.eml":      func(r *Report) bool { return hasSignal(r, "sender-lookalike") },
		"bogus-encoding.eml":      func(r *Report) bool { return hasSignal(r, "link-text-mismatch") && hasSignal(r, "ip-url") },
		"wrong-charset.eml":       func(r *Report) bool { return strings.Contains(r.Subject, "Café") && len(r.IOCs.URLs) == 1 },
		"mbox-from-line.eml":      func(r *Report) bool { return r.From == "a@b.example" && hasSignal(r, "url-shortener") },
		"header-no-colon.eml":     func(r *Report) bool { return r.Subject == "broken header" && hasSignal(r, "malformed") },
		"truncated-base64.eml":    func(r *Report) bool { return len(r.Attachments) == 1 && len(r.Limits) > 0 },
		"crlf-nul-form.eml":       func(r *Report) bool { return hasSignal(r, "password-form") },
		"leading-blank-lines.eml": func(r *Report) bool { return r.From == "lead@blank-lines.example" },
	}
	files, _ := filepath.Glob("testdata/malformed/*.eml")
	if len(files) != len(want) {
		t.Fatalf("%d fixtures, %d expectations", len(files), len(want))
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Analyze(raw, Options{})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !want[filepath.Base(f)](r) {
			t.Errorf("%s: unexpected report: from %q subject %q signals %v limits %v", filepath.Base(f), r.From, r.Subject, r.Signals, r.Limits)
		}
	}
}

// TestLimits checks each bound is enforced and recorded rather than crashing.
func TestLimits(t *testing.T) {
	t.Run("depth", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("From: a@b.example\nSubject: deep\n")
		for i := 0; i < 50; i++ {
			fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i)
		}
		b.WriteString("Content-Type: text/plain\n\nhi\n")
		r := mustAnalyze(t, b.String(), Options{MaxDepth: 5})
		if !strings.Contains(strings.Join(r.Limits, " "), "nesting deeper than 5") {
			t.Errorf("limits %v", r.Limits)
		}
	})
	t.Run("parts", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("From: a@b.example\nContent-Type: multipart/mixed; boundary=\"x\"\n\n")
		for i := 0; i < 30; i++ {
			fmt.Fprintf(&b, "--x\nContent-Type: text/plain\n\npart %d\n", i)
		}
		b.WriteString("--x--\n")
		r := mustAnalyze(t, b.String(), Options{MaxParts: 10})
		if !strings.Contains(strings.Join(r.Limits, " "), "more than 10 MIME parts") {
			t.Errorf("limits %v", r.Limits)
		}
	})
	t.Run("size and header", func(t *testing.T) {
		raw := "From: a@b.example\nX-Long: " + strings.Repeat("a", 5000) + "\n\n" + strings.Repeat("body ", 1000)
		r := mustAnalyze(t, raw, Options{MaxBytes: 3000, MaxHeaderBytes: 1000})
		l := strings.Join(r.Limits, " ")
		if !strings.Contains(l, "larger than 3000 bytes") || !strings.Contains(l, "header block longer than 1000") {
			t.Errorf("limits %v", r.Limits)
		}
	})
	t.Run("archive entries", func(t *testing.T) {
		var entries [][2]string
		for i := 0; i < 20; i++ {
			entries = append(entries, [2]string{fmt.Sprintf("f%d.txt", i), "x"})
		}
		raw := withAttachment("files.zip", "application/zip", zipBytes(t, entries, false))
		r := mustAnalyze(t, raw, Options{MaxArchiveEntries: 5})
		if len(r.Attachments) != 1 || len(r.Attachments[0].Entries) != 5 || !strings.Contains(strings.Join(r.Limits, " "), "more than 5 archive entries") {
			t.Errorf("attachments %+v limits %v", r.Attachments, r.Limits)
		}
	})
	t.Run("empty", func(t *testing.T) {
		if _, err := Analyze([]byte("  \n"), Options{}); err == nil {
			t.Error("empty input: want an error")
		}
	})
}

func TestForwardedAsAttachment(t *testing.T) {
	inner := "From: \"PayPal\" <service@paypa1.com>\nSubject: Account limited\n\nverify your account http://paypa1.com/x\n"
	outer := "From: alex@example-corp.com\nSubject: FW: weird email\nContent-Type: multipart/mixed; boundary=\"o\"\n\n--o\nContent-Type: text/plain\n\nIs this real?\n--o\nContent-Type: message/rfc822\n\n" + inner + "--o--\n"
	r := mustAnalyze(t, outer, Options{})
	if r.From != "service@paypa1.com" || !hasSignal(r, "reported-as-attachment") || r.Verdict == VerdictClean {
		t.Errorf("got from %q verdict %s signals %v", r.From, r.Verdict, r.Signals)
	}
}

func TestLookalikes(t *testing.T) {
	for host, want := range map[string]bool{
		"paypa1.com": true, "rnicrosoft.com": true, "paypal.com": false, "www.paypal.com": false,
		"dhl-tracking.info": true, "paypal.com.secure-login.ru": true, "xn--pypal-4ve.com": true,
		"meta.stackexchange.com": false, "groups.google.com": false, "microsfot.com": true, "example.com": false,
		"xn--mnchen-3ya.de": false, "rnicrosoft-online.com": true,
	} {
		if _, got := imitates(host); got != want {
			t.Errorf("imitates(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestDefang(t *testing.T) {
	for in, want := range map[string]string{
		"https://evil.com/a.b?x=1": "hxxps://evil[.]com/a.b?x=1",
		"evil.com":                 "evil[.]com",
		"bob@evil.com":             "bob[@]evil[.]com",
		"185.220.101.5":            "185[.]220[.]101[.]5",
	} {
		if got := Defang(in); got != want {
			t.Errorf("Defang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCuesMultilingual(t *testing.T) {
	for text, group := range map[string]string{
		"Bitte bestätigen Sie Ihre Daten umgehend":  "urgency",
		"Su cuenta será cerrada, actividad inusual": "fear",
		"Escaneie o código QR":                      "qr",
		"Changement de RIB":                         "payment",
		"Kontosperrung droht":                       "fear",
		"keep this between us":                      "secrecy",
	} {
		found := false
		for _, h := range rules.cues.match(tokenize(text)) {
			found = found || h.group == group
		}
		if !found {
			t.Errorf("%q: no %s cue", text, group)
		}
	}
}

func TestSimilar(t *testing.T) {
	base := "From: \"PayPal\" <service@paypa1.com>\nSubject: Your account #%d is limited\n\nDear customer, we noticed unusual activity on your account %d. Verify your account within 24 hours at http://paypa1.com/x or it will be closed. Thank you for being a valued customer of our service.\n"
	a := mustAnalyze(t, fmt.Sprintf(base, 1, 1), Options{})
	b := mustAnalyze(t, fmt.Sprintf(base, 2, 2), Options{})
	other := mustAnalyze(t, "From: friend@fastmail.example\nSubject: Lunch\n\nAre we still on for lunch on Friday? I found a new place near the station.\n", Options{})
	if !Similar(a.Fingerprint, b.Fingerprint) {
		t.Errorf("near-identical messages not similar: %+v %+v", a.Fingerprint, b.Fingerprint)
	}
	if Similar(a.Fingerprint, other.Fingerprint) {
		t.Error("unrelated messages judged similar")
	}
}

// TestReporterSummaryPlain checks every summary on the eval set is short,
// kind and easy to read (Flesch-Kincaid grade 8 or lower), and on the bulk
// mail fixtures (the marketing wording).
func TestReporterSummaryPlain(t *testing.T) {
	files, _ := filepath.Glob("testdata/eval/*/*.eml")
	bulk, _ := filepath.Glob("testdata/bulk/*.eml")
	files = append(files, bulk...)
	blame := []string{"you should have", "your fault", "careless", "why did you", "you failed"}
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		r := mustAnalyze(t, string(raw), Options{})
		s := r.ReporterSummary
		if n := strings.Count(s, ". ") + 1; n < 2 || n > 4 {
			t.Errorf("%s: %d sentences: %q", f, n, s)
		}
		if g := fkGrade(s); g > 8 {
			t.Errorf("%s: grade %.1f: %q", f, g, s)
		}
		for _, b := range blame {
			if strings.Contains(strings.ToLower(s), b) {
				t.Errorf("%s: blaming words %q in %q", f, b, s)
			}
		}
		if r.Verdict == VerdictClean && !strings.Contains(s, "Thank you") {
			t.Errorf("%s: clean summary does not thank: %q", f, s)
		}
	}
}

// fkGrade is the Flesch-Kincaid grade level, counting syllables as vowel groups.
func fkGrade(s string) float64 {
	words := strings.Fields(s)
	sentences := float64(strings.Count(s, ".") + strings.Count(s, "!") + strings.Count(s, "?"))
	syll := 0
	for _, w := range words {
		n, prev := 0, false
		for _, c := range strings.ToLower(strings.Trim(w, ".,:;!?'\"")) {
			v := strings.ContainsRune("aeiouy", c)
			if v && !prev {
				n++
			}
			prev = v
		}
		if strings.HasSuffix(strings.ToLower(strings.Trim(w, ".,:;!?")), "e") && n > 1 {
			n--
		}
		syll += max(n, 1)
	}
	return 0.39*float64(len(words))/max(sentences, 1) + 11.8*float64(syll)/float64(len(words)) - 15.59
}

func TestWriteTextDefangs(t *testing.T) {
	raw, _ := os.ReadFile("testdata/eval/phish/001-cred-paypal.eml")
	r := mustAnalyze(t, string(raw), Options{})
	var b bytes.Buffer
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "https://") || strings.Contains(out, "paypa1-support.com") || !strings.Contains(out, "hxxps://paypa1-support[.]com") {
		t.Errorf("text output not defanged:\n%s", out)
	}
}
