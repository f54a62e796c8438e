// Command load runs a mixed workload of simulated people against real
// `ally serve` processes built from this tree: reporters reporting,
// replying and checking their cases, responders reading the queue, filtering
// it, opening cases and replying, leads opening the dashboard. It prints the
// p95 of pages, API reads and writes, every answer that was not 2xx,
// throughput, each instance's peak resident memory, and the CPU used by each
// instance, PostgreSQL, the load generator and the rest of the machine (to
// say which resource is the bottleneck).
//
//	go run ./bench/load -instances 1                       # SQLite
//	go run ./bench/load -db postgres://postgres@127.0.0.1:5432/test -instances 2
//	go run ./bench/load -think 0 -people 32                # saturation: throughput
//
// Comparisons run alternately on one prepared database: -bin old,new
// compares two builds (A/B), -instances 1,2 compares instance counts, and
// -rounds repeats the set, in reverse order every other round, so that both
// sides see the same machine. -cpu-quota gives every instance a fixed CPU
// budget (a cgroup), as if each had a machine of its own.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/allydesk/ally/store"
)

// options are the command line.
type options struct {
	dsn        string
	bins       []string
	instances  []int
	rounds     int
	people     int
	think      time.Duration
	duration   time.Duration
	warmup     time.Duration
	cases      int
	pgProcs    string // "": every PostgreSQL process
	postgres   bool   // the database is PostgreSQL: count its processes apart
	gomaxprocs int
	cpuQuota   float64
	pin        []string
	profileDir string
}

func main() {
	var o options
	var bins, instances, pin string
	flag.StringVar(&o.dsn, "db", "", "postgres:// URL (a fresh schema is made in it), or empty for a fresh SQLite file")
	flag.StringVar(&bins, "bin", "", "prebuilt ally binaries to compare, comma-separated (default: build this tree)")
	flag.StringVar(&instances, "instances", "1", "how many ally serve processes share the database; "+
		"a comma-separated list (1,2) compares them")
	flag.IntVar(&o.rounds, "rounds", 1, "how many times to run every binary × instances setting, alternately")
	flag.IntVar(&o.people, "people", 200, "simulated people at once")
	flag.DurationVar(&o.think, "think", time.Second, "mean pause between one person's actions (0: none, to saturate)")
	flag.DurationVar(&o.duration, "duration", 30*time.Second, "how long to measure each run")
	flag.DurationVar(&o.warmup, "warmup", 3*time.Second, "load before measuring each run (not counted)")
	flag.IntVar(&o.cases, "cases", 2000, "cases in the database before the run")
	flag.StringVar(&o.pgProcs, "pg-procs", "", "count only PostgreSQL processes whose title has this (e.g. 15/main)")
	flag.IntVar(&o.gomaxprocs, "gomaxprocs", 0, "GOMAXPROCS of every instance (0: Go's default)")
	flag.Float64Var(&o.cpuQuota, "cpu-quota", 0, "CPU budget of every instance in cores, e.g. 0.3 "+
		"(a cgroup of its own; needs root; 0: none)")
	flag.StringVar(&pin, "pin", "", "CPUs of each instance for taskset, '/' between instances, e.g. 0/1")
	flag.StringVar(&o.profileDir, "profile", "", "folder for a CPU profile of every instance during each run")
	flag.Parse()
	if bins != "" {
		o.bins = strings.Split(bins, ",")
	}
	for _, s := range strings.Split(instances, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			log.Fatalf("-instances: %q is not a number of instances", s)
		}
		o.instances = append(o.instances, n)
	}
	if pin != "" {
		o.pin = strings.Split(pin, "/")
	}
	run(o)
}

// setting is one side of a comparison: a binary and a number of instances.
type setting struct {
	label     string
	bin       string
	instances int
}

func run(o options) {
	dir, err := os.MkdirTemp("", "ally-load")
	check(err)
	defer os.RemoveAll(dir)
	if len(o.bins) == 0 {
		bin := filepath.Join(dir, "ally")
		build := exec.Command("go", "build", "-o", bin, "github.com/allydesk/ally/cmd/ally")
		build.Stderr = os.Stderr
		check(build.Run())
		o.bins = []string{bin}
	}
	if o.profileDir != "" {
		check(os.MkdirAll(o.profileDir, 0o755))
	}
	var sets []setting
	for bi, bin := range o.bins {
		for _, n := range o.instances {
			label := fmt.Sprintf("%d instance(s)", n)
			if len(o.bins) > 1 {
				label = fmt.Sprintf("%c %s, %s", 'A'+bi, filepath.Base(bin), label)
			}
			sets = append(sets, setting{label: label, bin: bin, instances: n})
		}
	}

	db := o.dsn
	if db == "" {
		db = filepath.Join(dir, "load.db")
	} else {
		var drop func()
		db, drop = freshSchema(db)
		defer drop()
	}
	crowd := prepare(db, o.people, o.cases)
	engine := "SQLite"
	if o.postgres = store.IsPostgres(db); o.postgres {
		engine = "PostgreSQL"
	}
	fmt.Printf("%s, %d people, think %s, %s per run after %s warm-up, %d cases at start, GOMAXPROCS %s, "+
		"CPU quota %s, pin %q\n", engine, o.people, o.think, o.duration, o.warmup, o.cases,
		orDefault(o.gomaxprocs), quotaWords(o.cpuQuota), o.pin)
	var all []*outcome
	for round := range o.rounds {
		order := sets
		if round%2 == 1 {
			order = reversed(sets)
		}
		for _, s := range order {
			out := runOnce(o, s, db, dir, crowd, fmt.Sprintf("r%d", round+1))
			out.print()
			all = append(all, out)
		}
	}
	if len(sets) > 1 || o.rounds > 1 {
		summarise(sets, all)
	}
}

// runOnce starts the setting's instances, lets the crowd use them for the
// warm-up and then the measured duration, and stops them.
func runOnce(o options, s setting, db, dir string, crowd []*person, tag string) *outcome {
	var servers []*server
	for i := range s.instances {
		pin := ""
		if len(o.pin) > 0 {
			pin = o.pin[i%len(o.pin)]
		}
		servers = append(servers, startServer(s.bin, db, dir, o.gomaxprocs, o.cpuQuota, pin))
	}
	defer func() {
		for _, srv := range servers {
			srv.stop()
		}
	}()
	r := newResults()
	ctx, cancel := context.WithTimeout(context.Background(), o.warmup+o.duration)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		crowdLive(ctx, crowd, servers, o.think, r)
	}()
	time.Sleep(o.warmup)
	load0 := loadAverage()
	r.recording.Store(true)
	measure, stopMeasure := context.WithCancel(context.Background())
	go sampleRSS(measure, servers)
	profiles := startProfiles(o.profileDir, servers, o.duration, tag+"-"+strings.NewReplacer(" ", "", ",", "-",
		"(", "", ")", "").Replace(s.label))
	c0 := cpuNow(servers, o.postgres, o.pgProcs)
	start := time.Now()
	<-ctx.Done()
	r.recording.Store(false)
	elapsed := time.Since(start)
	c1 := cpuNow(servers, o.postgres, o.pgProcs)
	stopMeasure()
	<-done
	profiles()
	return &outcome{setting: s, tag: tag, res: r, servers: servers, elapsed: elapsed, cpu0: c0, cpu1: c1,
		load0: load0, load1: loadAverage(), quota: o.cpuQuota}
}

func reversed[T any](s []T) []T {
	out := make([]T, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

func orDefault(n int) string {
	if n == 0 {
		return "default"
	}
	return strconv.Itoa(n)
}

func quotaWords(q float64) string {
	if q == 0 {
		return "none"
	}
	return fmt.Sprintf("%.2f core per instance", q)
}

// loadAverage is the 1-minute load average, as `uptime` shows it.
func loadAverage() string {
	b, _ := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "?"
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
