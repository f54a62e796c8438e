package main

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"
)

// outcome is what one run measured.
type outcome struct {
	setting
	tag          string
	res          *results
	servers      []*server
	elapsed      time.Duration
	cpu0, cpu1   cpu
	load0, load1 string
	quota        float64
}

func (o *outcome) requests() (total, ok int) {
	for k, n := range o.res.status {
		total += n
		if is2xx(k) {
			ok += n
		}
	}
	return total, ok
}

func is2xx(statusKey string) bool {
	st := statusKey[strings.LastIndexByte(statusKey, ' ')+1:]
	return st >= "200" && st < "300"
}

func (o *outcome) rate() float64 {
	total, _ := o.requests()
	return float64(total) / o.elapsed.Seconds()
}

// p95 is the 95th percentile of kind's latencies.
func (o *outcome) quantile(kind string, q float64) time.Duration {
	l := o.res.lat[kind]
	if len(l) == 0 {
		return 0
	}
	slices.Sort(l)
	return l[min(len(l)-1, int(q*float64(len(l))))].Round(100 * time.Microsecond)
}

// cpuSeconds is the CPU used in the run by every instance together and by
// PostgreSQL.
func (o *outcome) cpuSeconds() (ally, postgres float64) {
	for i := range o.cpu1.instances {
		ally += float64(o.cpu1.instances[i]-o.cpu0.instances[i]) / clockTicks
	}
	return ally, float64(o.cpu1.postgres-o.cpu0.postgres) / clockTicks
}

// perRequest is CPU milliseconds per request.
func (o *outcome) perRequest(seconds float64) float64 {
	total, _ := o.requests()
	return 1000 * seconds / float64(max(total, 1))
}

func (o *outcome) print() {
	total, ok := o.requests()
	fmt.Printf("%s · %s: load average %s → %s; %d requests in %s, %.0f/s, %d answered 2xx\n", o.tag, o.label,
		o.load0, o.load1, total, o.elapsed.Round(time.Second), o.rate(), ok)
	for _, kind := range []string{"page", "api read", "write"} {
		if n := len(o.res.lat[kind]); n > 0 {
			fmt.Printf("  %-8s n=%-6d p50 %-8s p95 %-8s p99 %s\n", kind, n, o.quantile(kind, 0.50),
				o.quantile(kind, 0.95), o.quantile(kind, 0.99))
		}
	}
	var other []string
	for k, n := range o.res.status {
		if !is2xx(k) {
			other = append(other, fmt.Sprintf("%s: %d", k, n))
		}
	}
	slices.Sort(other)
	fmt.Printf("  not 2xx: %v\n", other)
	for _, f := range o.res.first {
		fmt.Printf("    e.g. %s\n", f)
	}
	secs := o.elapsed.Seconds()
	for i, s := range o.servers {
		used := float64(o.cpu1.instances[i]-o.cpu0.instances[i]) / clockTicks
		fmt.Printf("  instance %d: peak RSS %.0f MiB, CPU %.2f cores", i+1, float64(s.maxRSS.Load())/1024, used/secs)
		if t0, t1 := o.cpu0.throttles[i], o.cpu1.throttles[i]; t1.periods > t0.periods {
			fmt.Printf(" of its %.2f budget, throttled in %.0f%% of periods", o.quota,
				100*float64(t1.throttled-t0.throttled)/float64(t1.periods-t0.periods))
		}
		fmt.Println()
	}
	ally, pg := o.cpuSeconds()
	fmt.Printf("  CPU per request: ally %.2f ms, postgres %.2f ms (%.0f requests per ally CPU-second)\n",
		o.perRequest(ally), o.perRequest(pg), float64(total)/max(ally, 0.001))
	busy, all := float64(o.cpu1.busy-o.cpu0.busy), float64(o.cpu1.total-o.cpu0.total)
	share := func(ticks int64) float64 { return 100 * float64(ticks) / all }
	self := share(o.cpu1.self - o.cpu0.self)
	rest := 100*busy/all - 100*(ally+pg)*clockTicks/all - self
	fmt.Printf("  CPU of the machine's %d cores: %.0f%% busy — ally %.0f%%, postgres %.0f%%, load generator %.0f%%, "+
		"other %.0f%% (%s)\n", runtime.NumCPU(), 100*busy/all, 100*ally*clockTicks/all, 100*pg*clockTicks/all, self,
		rest, o.topOthers(all))
	fmt.Printf("  binding: %s\n", o.binding(100*busy/all))
}

// topOthers names the other processes that used the most CPU in the run.
func (o *outcome) topOthers(all float64) string {
	type use struct {
		name  string
		ticks int64
	}
	var uses []use
	for name, t := range o.cpu1.others {
		if d := t - o.cpu0.others[name]; d > 0 {
			uses = append(uses, use{name, d})
		}
	}
	slices.SortFunc(uses, func(a, b use) int { return cmp.Compare(b.ticks, a.ticks) })
	var out []string
	for _, u := range uses[:min(4, len(uses))] {
		out = append(out, fmt.Sprintf("%s %.0f%%", u.name, 100*float64(u.ticks)/all))
	}
	return strings.Join(out, ", ")
}

// binding says which resource limited the run, from what was measured.
func (o *outcome) binding(busy float64) string {
	var periods, throttled int64
	for i := range o.cpu1.throttles {
		periods += o.cpu1.throttles[i].periods - o.cpu0.throttles[i].periods
		throttled += o.cpu1.throttles[i].throttled - o.cpu0.throttles[i].throttled
	}
	switch {
	case periods > 0 && float64(throttled) >= 0.5*float64(periods):
		return fmt.Sprintf("each instance's own CPU budget (throttled in %.0f%% of its periods; machine %.0f%% busy)",
			100*float64(throttled)/float64(periods), busy)
	case busy >= 95:
		return fmt.Sprintf("the machine's CPU (%.0f%% busy), shared by Ally, PostgreSQL, the generator and others",
			busy)
	}
	return fmt.Sprintf("no CPU limit reached (machine %.0f%% busy): the people's pace, or waiting "+
		"(locks, disk)", busy)
}

// summarise prints, per setting, the median over the rounds, and its
// throughput over the first setting's in each round.
func summarise(sets []setting, all []*outcome) {
	fmt.Println("\nmedians over the rounds:")
	fmt.Println("  setting | runs | requests/s | page p95 | API read p95 | ally CPU ms/request | " +
		"postgres CPU ms/request | requests/s over the first setting's, round by round")
	for _, s := range sets {
		var runs []*outcome
		for _, o := range all {
			if o.setting == s {
				runs = append(runs, o)
			}
		}
		med := func(f func(*outcome) float64) float64 {
			v := make([]float64, len(runs))
			for i, o := range runs {
				v[i] = f(o)
			}
			slices.Sort(v)
			return v[len(v)/2]
		}
		var ratios []string // this setting's rate over the first's, round by round
		for _, o := range runs {
			for _, first := range all {
				if first.setting == sets[0] && first.tag == o.tag {
					ratios = append(ratios, fmt.Sprintf("×%.2f", o.rate()/first.rate()))
				}
			}
		}
		fmt.Printf("  %s | %d | %.0f | %s | %s | %.2f | %.2f | %s\n", s.label, len(runs),
			med((*outcome).rate),
			time.Duration(med(func(o *outcome) float64 { return float64(o.quantile("page", 0.95)) })),
			time.Duration(med(func(o *outcome) float64 { return float64(o.quantile("api read", 0.95)) })),
			med(func(o *outcome) float64 { a, _ := o.cpuSeconds(); return o.perRequest(a) }),
			med(func(o *outcome) float64 { _, p := o.cpuSeconds(); return o.perRequest(p) }),
			strings.Join(ratios, " "))
	}
}
