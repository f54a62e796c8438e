// Command tonebench measures the tone engine on one core: messages per
// second (by wall clock and by the thread's CPU time) and per-message
// latency percentiles, on messages of about 120 characters built from the
// labelled corpora. It also prints how many blaming corpus messages the
// engine flags, for comparison with alex.js (see alex.mjs and docs/tone.md).
//
//	go run ./bench/tone [-d 5s] [corpus.jsonl...]
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/allydesk/ally/tone"
)

func main() {
	dur := flag.Duration("d", 5*time.Second, "how long to measure")
	flag.Parse()
	files := flag.Args()
	if len(files) == 0 {
		files = []string{"tone/testdata/corpus.jsonl", "tone/testdata/corpus_holdout.jsonl"}
	}
	var items []tone.Labelled
	for _, name := range files {
		fh, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "tonebench:", err)
			os.Exit(2)
		}
		its, err := tone.ReadLabelled(fh)
		fh.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, "tonebench:", name+":", err)
			os.Exit(2)
		}
		items = append(items, its...)
	}
	e := tone.Default()
	blaming, flagged := 0, 0
	for _, it := range items {
		if it.Blame {
			blaming++
			if e.Check(it.Text, tone.AudienceReporter).Blame {
				flagged++
			}
		}
	}
	msgs := joinTo(items, 100)
	chars := 0
	for _, m := range msgs {
		chars += len([]rune(m))
	}

	runtime.LockOSThread() // so the thread's CPU time is this loop's
	lat := make([]time.Duration, 0, 1<<20)
	cpu0 := threadCPU()
	start := time.Now()
	n := 0
	for time.Since(start) < *dur {
		for _, m := range msgs {
			t := time.Now()
			e.Check(m, tone.AudienceReporter)
			lat = append(lat, time.Since(t))
		}
		n += len(msgs)
	}
	wall := time.Since(start)
	cpu := threadCPU() - cpu0
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	fmt.Printf("corpus: %d messages, %d blaming, %d of them flagged by ally\n", len(items), blaming, flagged)
	fmt.Printf("bench: %d messages of %d characters on average, %d checks in %v\n", len(msgs), chars/len(msgs), n,
		wall.Round(time.Millisecond))
	fmt.Printf("throughput: %.0f messages/s (wall clock), %.0f messages/s per CPU-second of this thread\n",
		float64(n)/wall.Seconds(), float64(n)/cpu.Seconds())
	fmt.Printf("latency: p50 %v, p99 %v, p99.9 %v, max %v\n", pct(0.50), pct(0.99), pct(0.999), lat[len(lat)-1])
}

// joinTo joins neighbouring corpus messages until each is at least min bytes.
func joinTo(items []tone.Labelled, min int) []string {
	var out []string
	var cur strings.Builder
	for _, it := range items {
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(it.Text)
		if cur.Len() >= min {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	return out
}

// threadCPU is the CPU time used by the calling OS thread.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	const rusageThread = 1 // RUSAGE_THREAD on Linux
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
