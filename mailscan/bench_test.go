package mailscan

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/allydesk/ally/mailscan/benchgen"
)

// benchCorpus returns the benchmark messages: the files in
// $MAILSCAN_BENCH_DIR when set (as written by bench/mailscan/gen), else
// 500 generated ones.
func benchCorpus(b *testing.B) [][]byte {
	var msgs [][]byte
	if dir := os.Getenv("MAILSCAN_BENCH_DIR"); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			msgs = append(msgs, raw)
		}
	}
	if len(msgs) == 0 {
		for i := 0; i < 500; i++ {
			msgs = append(msgs, benchgen.Message(i))
		}
	}
	return msgs
}

// BenchmarkAnalyze measures parse plus full analysis per message on
// realistic ~20 KB messages; msgs/s is reported per core (run with -cpu 1).
func BenchmarkAnalyze(b *testing.B) { benchAnalyze(b, Options{}) }

// BenchmarkAnalyzeOrg is BenchmarkAnalyze with an organisation's model
// learned from every message of the corpus (odd ones as phishing), as the
// desk analyses once a team has made decisions.
func BenchmarkAnalyzeOrg(b *testing.B) {
	msgs := benchCorpus(b)
	m := NewOrgModel()
	ex, phish := benchExamples(b, msgs)
	m.Learn(ex, phish, make([]string, len(ex)), time.Now())
	b.ReportMetric(float64(m.Features()), "org-features")
	benchAnalyze(b, Options{Org: m})
}

func benchExamples(b *testing.B, msgs [][]byte) ([]*Example, []bool) {
	ex, phish := make([]*Example, len(msgs)), make([]bool, len(msgs))
	for i, raw := range msgs {
		var err error
		if ex[i], err = NewExample(raw, Options{}); err != nil {
			b.Fatal(err)
		}
		phish[i] = i%2 == 1
	}
	return ex, phish
}

// BenchmarkLearn measures ally mail learn's work per message: the analysis
// into an example, then training (six passes) on the whole corpus at once.
func BenchmarkLearn(b *testing.B) {
	msgs := benchCorpus(b)
	cpu := cpuTimer()
	for b.Loop() {
		ex, phish := benchExamples(b, msgs)
		NewOrgModel().Learn(ex, phish, make([]string, len(ex)), time.Now())
	}
	n := float64(b.N * len(msgs))
	b.ReportMetric(n/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(n/cpu().Seconds(), "msgs/cpu-s")
}

// cpuTimer returns a function that says how much CPU time the process
// spent since cpuTimer was called: what one core delivers, whatever else
// the machine runs.
func cpuTimer() func() time.Duration {
	used := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := used()
	return func() time.Duration { return used() - start }
}

func benchAnalyze(b *testing.B, opts Options) {
	msgs := benchCorpus(b)
	sizes := make([]int, len(msgs))
	total := 0
	for i, m := range msgs {
		sizes[i] = len(m)
		total += len(m)
	}
	sort.Ints(sizes)
	b.ReportMetric(float64(sizes[len(sizes)/2]), "median-bytes")
	b.SetBytes(int64(total / len(msgs)))
	cpu := cpuTimer()
	i := 0
	for b.Loop() {
		if _, err := Analyze(msgs[i%len(msgs)], opts); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(b.N)/cpu().Seconds(), "msgs/cpu-s")
}

// BenchmarkAnalyzeImage measures one small message (about 1 KB of HTML,
// no links) without an image, with one QR code image, and with one photo
// of the same kind that holds no QR code (the decoder's cost of looking and
// finding nothing). Run with -cpu 1; the differences between sub-benchmarks
// are the cost of one image: the QR reader's remembered results are
// forgotten before each message, or it would read the image once.
func BenchmarkAnalyzeImage(b *testing.B) {
	const hdr = "Authentication-Results: mx.example-corp.com; spf=pass smtp.mailfrom=shop.example; dmarc=pass header.from=shop.example\nFrom: \"Shop\" <news@shop.example>\nTo: alex@example-corp.com\nSubject: Your order\n"
	html := "<html><body><p>Hello Alex,</p>" + strings.Repeat("<p>Thank you for your order. It will leave our store soon and we will write again when it does.</p>", 8) + "</body></html>"
	photo := image.NewRGBA(image.Rect(0, 0, 800, 600))
	for y := 0; y < 600; y++ {
		for x := 0; x < 800; x++ {
			v := uint8((x*x/7 + y*3 + (x^y)&31) % 251)
			photo.Set(x, y, color.RGBA{v, uint8(x / 4), uint8(y / 3), 255})
		}
	}
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, photo, &jpeg.Options{Quality: 80}); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		imgs []mailImage
	}{
		{"no-image", nil},
		{"qr-png-240px", []mailImage{{"code.png", "image/png", qrPNG(b, "https://shop.example/track?o=12345"), true}}},
		{"qr-jpeg-300px", []mailImage{{"code.jpg", "image/jpeg", qrJPEG(b, "https://shop.example/track?o=12345"), true}}},
		{"photo-jpeg-800x600-no-qr", []mailImage{{"photo.jpg", "image/jpeg", jpg.Bytes(), true}}},
	} {
		raw := []byte(qrMail(hdr, html, c.imgs...))
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				forgetQRResults()
				if _, err := Analyze(raw, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
