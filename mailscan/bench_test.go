package mailscan

import (
	"os"
	"path/filepath"
	"sort"
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
func BenchmarkAnalyze(b *testing.B) {
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
	var before syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	i := 0
	for b.Loop() {
		if _, err := Analyze(msgs[i%len(msgs)], Options{}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	var after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	// CPU time is what one core spends, whatever else the machine runs.
	b.ReportMetric(float64(b.N)/cpu.Seconds(), "msgs/cpu-s")
}
