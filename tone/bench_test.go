package tone

import (
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
