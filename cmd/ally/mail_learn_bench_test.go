package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/allydesk/ally/mailscan/benchgen"
)

// BenchmarkMailLearnCommand measures the whole `ally mail learn` command,
// as a user runs it: listing the folders, reading and analysing every
// file, learning, and the writes to a fresh SQLite database (migrated
// outside the timer). The folders are $ALLY_LEARN_BENCH_PHISH and
// $ALLY_LEARN_BENCH_HAM when set (e.g. a real archive), else 1,000
// generated messages, odd ones given as phishing. msgs/s is wall clock
// with every core the process is given (GOMAXPROCS); msgs/cpu-s is per
// CPU-second of the process while the command runs (the copying of the
// empty database between runs left out of both).
func BenchmarkMailLearnCommand(b *testing.B) {
	phish, ham := os.Getenv("ALLY_LEARN_BENCH_PHISH"), os.Getenv("ALLY_LEARN_BENCH_HAM")
	if phish == "" || ham == "" {
		tmp := b.TempDir()
		phish, ham = filepath.Join(tmp, "phish"), filepath.Join(tmp, "ham")
		for i := range 1000 {
			dir := ham
			if i%2 == 1 {
				dir = phish
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d.eml", i)), benchgen.Message(i), 0o600); err != nil {
				b.Fatal(err)
			}
		}
	}
	files, err := emlFiles([]string{phish, ham})
	if err != nil {
		b.Fatal(err)
	}
	tmp := b.TempDir()
	empty := filepath.Join(tmp, "empty.db")
	if code := run(context.Background(), []string{"migrate", "--db", empty}, strings.NewReader(""), io.Discard,
		io.Discard); code != 0 {
		b.Fatal("migrate failed")
	}
	schema, err := os.ReadFile(empty)
	if err != nil {
		b.Fatal(err)
	}
	var busy, cpuBusy time.Duration
	n := 0
	for b.Loop() {
		b.StopTimer()
		db := filepath.Join(tmp, fmt.Sprintf("learn-%d.db", n))
		if err := os.WriteFile(db, schema, 0o600); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start, cpu := time.Now(), cpuTimer()
		var out, errb strings.Builder
		code := run(context.Background(), []string{"mail", "learn", "--phish", phish, "--ham", ham, "--db", db},
			strings.NewReader(""), &out, &errb)
		busy, cpuBusy = busy+time.Since(start), cpuBusy+cpu()
		if code != 0 || !strings.Contains(out.String(), fmt.Sprintf("Examples:     %d", len(files))) {
			b.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
		}
		b.StopTimer()
		os.Remove(db)
		b.StartTimer()
		n++
	}
	msgs := float64(n * len(files))
	b.ReportMetric(msgs/busy.Seconds(), "msgs/s")
	b.ReportMetric(msgs/cpuBusy.Seconds(), "msgs/cpu-s")
}

// cpuTimer returns a function that says how much CPU time the process
// spent since cpuTimer was called.
func cpuTimer() func() time.Duration {
	used := func() time.Duration {
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := used()
	return func() time.Duration { return used() - start }
}
