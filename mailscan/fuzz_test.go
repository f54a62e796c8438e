package mailscan

import (
	"bytes"
	"encoding/json"
	"image"
	"image/gif"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzAnalyze feeds arbitrary bytes to the parser and analyser: it must
// never panic or hang, and must return a well-formed report.
func FuzzAnalyze(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/malformed/*.eml")
	more, _ := filepath.Glob("testdata/eval/phish/0[0-4]*.eml")
	qr, _ := filepath.Glob("testdata/qr/*.eml")
	for _, p := range append(append(seeds, more...), qr...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	rars, _ := filepath.Glob("testdata/archives/*.rar")
	for _, p := range rars {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(archiveMail(filepath.Base(p), b))
		}
	}
	f.Add([]byte("From: a\n\n"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: message/rfc822\n\n--x--"))
	o := Options{MaxBytes: 1 << 20, MaxParts: 50, MaxDepth: 6, MaxArchiveEntries: 50, MaxURLs: 100}
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := Analyze(raw, o)
		if err != nil {
			return
		}
		if r.Score < 0 || r.Score > 100 {
			t.Fatalf("score %d out of range", r.Score)
		}
		switch r.Verdict {
		case VerdictClean, VerdictSuspicious, VerdictMalicious:
		default:
			t.Fatalf("verdict %q", r.Verdict)
		}
		if r.ReporterSummary == "" {
			t.Fatal("empty reporter summary")
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzQRImage feeds arbitrary image bytes to the QR path, directly and as an
// inline image of a message: decoder failures and panics must end as a
// Limits note, never a crash, and payloads must be bounded valid UTF-8.
func FuzzQRImage(f *testing.F) {
	// Small seeds (64 px codes): the fuzzer minimises every new input, byte
	// by byte, so large seeds leave it no time to fuzz.
	small := func(content string) image.Image { return qrMatrix(f, content, 64) }
	var jpg, gf bytes.Buffer
	jpeg.Encode(&jpg, small("https://bit.ly/3xQr"), &jpeg.Options{Quality: 40})
	gif.Encode(&gf, small("WIFI:T:WPA;S:Guest;P:x;;"), nil)
	f.Add(encodePNG(f, small("https://rnicrosoft-mfa.com/v")))
	f.Add(jpg.Bytes())
	f.Add(gf.Bytes())
	f.Add(encodePNG(f, inverted(small("https://203.0.113.7/l"))))
	f.Add(hugePNG(f, 30000, 30000))
	f.Add(hugePNG(f, 40, 40))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte("GIF89a\x20\x00\x20\x00"))
	o := Options{MaxImages: 2, MaxImagePixels: 1 << 20, MaxImageBytes: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		if format := imageFormat(data); format != "" {
			if cfg, err := safeDecodeConfig(format, data); err == nil && int64(cfg.Width)*int64(cfg.Height) <= 1<<20 {
				payload, ok, _ := readQR(format, data)
				if ok && (!utf8.ValidString(payload) || len(payload) > 4*maxQRPayload+3) {
					t.Fatalf("payload %q", payload)
				}
			}
		}
		for _, ctype := range []string{"image/png", "application/octet-stream"} {
			raw := qrMail("From: a@b.example\nSubject: x\n", "<p>scan the QR code to verify your account</p>", mailImage{"x.png", ctype, data, true})
			r, err := Analyze([]byte(raw), o)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := json.Marshal(r); err != nil {
				t.Fatal(err)
			}
			for _, u := range r.IOCs.URLs {
				if strings.ContainsAny(u, " \t\r\n") {
					t.Fatalf("url %q", u)
				}
			}
		}
	})
}

// FuzzParseModel: a model file (the embedded one, or one read back from
// storage) is either parsed or rejected with an error, never a panic.
func FuzzParseModel(f *testing.F) {
	f.Add(modelTSV[:min(len(modelTSV), 4096)])
	f.Add([]byte("bias\t1\nw:a\t-2\n"))
	f.Add([]byte("w:a\t1e400\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseModel(data)
		if err == nil {
			m.score([]string{"a", "b"}, []Signal{{ID: "x"}})
		}
	})
}

// FuzzLinkSources: the PDF link reader, the redirect reader and the phone
// number reader take any bytes without panicking, and what they return is
// bounded.
func FuzzLinkSources(f *testing.F) {
	f.Add([]byte("/URI (https://x.example/a\\)b) /URI <68747470733a2f2f782e6578616d706c65>"))
	f.Add([]byte("https://a.example/r?u=a1aHR0cHM6Ly9iLmV4YW1wbGUv&out=%68%74%74%70%3Ac.example"))
	f.Add([]byte("call +1 (888) 555-0199"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if links := pdfLinks(data); len(links) > maxFileLinks {
			t.Fatalf("%d links", len(links))
		}
		s := string(data)
		if u := redirectTarget(s); u != "" && !strings.HasPrefix(u, "https://") {
			t.Fatalf("redirect target %q", u)
		}
		if p := phoneNumber(s); len(p) > 24 {
			t.Fatalf("phone number %q", p)
		}
	})
}

// FuzzDecodeUTF7 feeds the UTF-7 decoder any bytes: it never panics, text
// without a "+" passes through unchanged, and the output stays within
// twice the input (a base64 run of n characters holds 3n/8 UTF-16 units,
// each at most 3 bytes of UTF-8).
func FuzzDecodeUTF7(f *testing.F) {
	for _, s := range []string{"Hi +AKM-1 +- 2", "+ADw-a href+AD0-x+AD4-", "+2D3eAA-", "+", "+-", "+A", "a+/+/+/"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out := decodeUTF7(in)
		if !bytes.Contains(in, []byte("+")) && !bytes.Equal(out, in) {
			t.Errorf("decodeUTF7(%q) = %q, want it unchanged", in, out)
		}
		if len(out) > 2*len(in) {
			t.Errorf("decodeUTF7(%q) grew to %d bytes", in, len(out))
		}
	})
}
