package mailscan

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally/mailscan/benchgen"
)

// badInput is one kind of damaged or hostile message.
type badInput struct {
	name string
	raw  []byte
}

// badInputs are messages the analysis and learning must take in their
// stride: the malformed fixtures, generated mail cut short (inside a
// base64 attachment), bytes that are not UTF-8 under a UTF-8 label, and
// gigantic messages past MaxBytes (long text, one endless line, a huge
// attachment, a huge header block, deeply nested HTML).
func badInputs(t testing.TB) []badInput {
	var out []badInput
	files, _ := filepath.Glob("testdata/malformed/*.eml")
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, badInput{"malformed/" + filepath.Base(f), raw})
	}
	for _, i := range []int{3, 7} { // every fourth has a PDF attachment: 3 and 7 do
		m := benchgen.Message(i)
		out = append(out, badInput{fmt.Sprintf("truncated/%d-half", i), m[:len(m)/2]},
			badInput{fmt.Sprintf("truncated/%d-most", i), m[:len(m)*9/10]})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	junk := make([]byte, 256<<10)
	for i := range junk {
		junk[i] = byte(0x80 + rng.IntN(0x80))
		if i%61 == 0 {
			junk[i] = ' '
		}
	}
	out = append(out, badInput{"non-utf8/body-and-header", fmt.Appendf(nil,
		"From: \xff\xfe <a@b.example>\nSubject: \xc3\x28 caf\xe9 \xed\xa0\x80\nContent-Type: text/html; charset=utf-8\n\n"+
			"<p>%s</p><a href=\"http://ex\xffample.com/\xfe\">x\xc0\xaf</a>", junk)})
	const big = 30 << 20 // past MaxBytes (25 MiB)
	words := strings.Repeat("please verify your account password now ", big/40)
	out = append(out,
		badInput{"gigantic/text-30MiB", []byte("From: a@b.example\nSubject: long\n\n" + words)},
		badInput{"gigantic/one-line-30MiB", []byte("From: a@b.example\nSubject: line\n\n" + strings.Repeat("x", big))},
		badInput{"gigantic/base64-attachment-30MiB", []byte("From: a@b.example\nSubject: att\n" +
			"Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nsee attached\n--b\n" +
			"Content-Type: application/octet-stream; name=\"a.bin\"\nContent-Transfer-Encoding: base64\n\n" +
			strings.Repeat(strings.Repeat("QUJD", 19)+"\n", big/77) + "--b--\n")},
		badInput{"gigantic/header-block-4MiB", []byte("From: a@b.example\n" +
			strings.Repeat("X-Junk: "+strings.Repeat("h", 100)+"\n", 40_000) + "\nhello\n")},
		badInput{"gigantic/nested-html-8MiB", []byte("From: a@b.example\nContent-Type: text/html\n\n" +
			strings.Repeat("<div><a href=\"http://a.example/\">", 250_000))},
	)
	return out
}

// Per-message bounds on bad input, checked by TestBadInputBounds: what one
// message may cost to analyse or to learn from (allocations in all,
// whatever is freed on the way, and time on a loaded machine).
const (
	badInputMaxAlloc = 400 << 20
	badInputMaxTime  = 20 * time.Second
)

// TestBadInputBounds: each bad input is analysed and made into an example
// for learning without error (an empty message aside), within the
// per-message bounds on allocations and time. The figures are logged (run
// with -v); docs/mailscan.md records them.
func TestBadInputBounds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds messages of 30 MiB")
	}
	for _, in := range badInputs(t) {
		for _, step := range []struct {
			what string
			run  func([]byte) error
		}{
			{"analyse", func(raw []byte) error { _, err := Analyze(raw, Options{}); return err }},
			{"learn", func(raw []byte) error { _, err := NewExample(raw, Options{}); return err }},
		} {
			alloc, took, err := measure(func() error { return step.run(in.raw) })
			if err != nil {
				t.Errorf("%s: %s: %v", in.name, step.what, err)
			}
			t.Logf("%-40s %-7s %6.1f MiB in, %7.1f MiB allocated, %6.0f ms", in.name, step.what,
				float64(len(in.raw))/(1<<20), float64(alloc)/(1<<20), float64(took.Microseconds())/1000)
			if alloc > badInputMaxAlloc || took > badInputMaxTime {
				t.Errorf("%s: %s took %v and allocated %d MiB; bounds %v, %d MiB", in.name, step.what, took,
					alloc>>20, badInputMaxTime, badInputMaxAlloc>>20)
			}
		}
	}
}

// measure runs fn once and says how much it allocated and how long it took.
func measure(fn func() error) (uint64, time.Duration, error) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	err := fn()
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, took, err
}

// BenchmarkBadInput measures each bad input through the analysis:
// go test ./mailscan -run '^$' -bench BadInput -benchmem -cpu 1.
func BenchmarkBadInput(b *testing.B) {
	for _, in := range badInputs(b) {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.raw)))
			for b.Loop() {
				if _, err := Analyze(in.raw, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
