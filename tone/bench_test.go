package tone

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

// benchMessages builds messages of about 120 characters from the corpus by
// joining neighbouring messages.
func benchMessages(tb testing.TB) []string {
	fh, err := os.Open("testdata/corpus.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer fh.Close()
	items, err := ReadLabelled(fh)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	var cur strings.Builder
	for _, it := range items {
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(it.Text)
		if cur.Len() >= 100 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	return out
}

// BenchmarkCheck measures one message of about 120 characters per op.
func BenchmarkCheck(b *testing.B) {
	msgs := benchMessages(b)
	e := Default()
	total := 0
	for _, m := range msgs {
		total += len(m)
	}
	b.SetBytes(int64(total / len(msgs)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		e.Check(msgs[i%len(msgs)], AudienceReporter)
	}
}

// BenchmarkCheckSize shows that time grows linearly with the text: MB/s
// stays about the same from 1 KB to 100 KB.
func BenchmarkCheckSize(b *testing.B) {
	base := strings.Join(benchMessages(b), " ")
	for _, size := range []int{1 << 10, 100 << 10} {
		text := strings.Repeat(base, size/len(base)+1)[:size]
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				Default().Check(text, AudienceReporter)
			}
		})
	}
}

// BenchmarkCheckBadInput: empty, 1 MiB of random bytes and 1 MiB of mixed
// scripts keep the time bound of ordinary text (MB/s about the same).
func BenchmarkCheckBadInput(b *testing.B) {
	rnd := make([]byte, 1<<20)
	for i, x := 0, uint32(17); i < len(rnd); i++ {
		x = x*1664525 + 1013904223
		rnd[i] = byte(x >> 24)
	}
	mixed := strings.Repeat("Why did you click it? 你为什么点击 это ссылка, ما هذا 🙂 next time check. ", 1<<20/90)
	for _, c := range []struct{ name, text string }{{"empty", ""}, {"binary1MB", string(rnd)}, {"mixed1MB", mixed}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.text)))
			for b.Loop() {
				Default().Check(c.text, AudienceReporter)
			}
		})
	}
}

// BenchmarkReadModel: loading the embedded model (B/op is its memory).
func BenchmarkReadModel(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadModel(bytes.NewReader(defaultModelGz)); err != nil {
			b.Fatal(err)
		}
	}
}
