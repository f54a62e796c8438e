package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// server is one running ally serve.
type server struct {
	cmd    *exec.Cmd
	url    string
	debug  string // the --debug-addr listener, for profiles
	cgroup string // its own CPU cgroup with -cpu-quota, or ""
	maxRSS atomic.Int64
}

// freeAddr is a loopback address with a port that was free a moment ago.
func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	defer ln.Close()
	return ln.Addr().String()
}

// startServer starts `bin serve` on a free port, with GOMAXPROCS, a CPU
// quota and CPUs of its own when asked, and waits until it is ready.
func startServer(bin, dsn, dir string, gomaxprocs int, quota float64, pin string) *server {
	addr, debug := freeAddr(), freeAddr()
	logs, err := os.Create(filepath.Join(dir, "serve-"+strings.ReplaceAll(addr, ":", "_")+".log"))
	check(err)
	args := []string{"serve", "--db", dsn, "--addr", addr, "--debug-addr", debug, "--log-level", "warn"}
	cmd := exec.Command(bin, args...)
	if pin != "" {
		cmd = exec.Command("taskset", append([]string{"-c", pin, bin}, args...)...) // taskset execs: same pid
	}
	cmd.Env = os.Environ()
	if gomaxprocs > 0 {
		cmd.Env = append(cmd.Env, "GOMAXPROCS="+strconv.Itoa(gomaxprocs))
	}
	s := &server{url: "http://" + addr, debug: "http://" + debug, cmd: cmd}
	s.cmd.Stdout, s.cmd.Stderr = io.Discard, logs
	check(s.cmd.Start())
	if quota > 0 {
		s.cgroup = limitCPU(s.cmd.Process.Pid, quota)
	}
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(s.url + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return s
			}
		}
	}
	log.Fatalf("ally serve at %s did not become ready", addr)
	return nil
}

func (s *server) stop() {
	_ = s.cmd.Process.Kill()
	_, _ = s.cmd.Process.Wait()
	if s.cgroup != "" {
		_ = os.Remove(s.cgroup)
	}
}

// cgroupCPU is the cgroup v1 CPU controller's folder.
const cgroupCPU = "/sys/fs/cgroup/cpu"

// limitCPU moves pid into a new CPU cgroup of its own that may use quota
// cores at most (the CFS bandwidth limit, in 100 ms periods), and returns
// its folder.
func limitCPU(pid int, quota float64) string {
	dir := filepath.Join(cgroupCPU, "ally-load-"+strconv.Itoa(pid))
	if err := os.Mkdir(dir, 0o755); err != nil {
		log.Fatalf("-cpu-quota needs the cgroup v1 CPU controller at %s and root: %v", cgroupCPU, err)
	}
	write := func(name, v string) { check(os.WriteFile(filepath.Join(dir, name), []byte(v), 0o644)) }
	write("cpu.cfs_period_us", "100000")
	write("cpu.cfs_quota_us", strconv.Itoa(int(quota*100000)))
	write("cgroup.procs", strconv.Itoa(pid))
	return dir
}

// throttle is a cgroup's CFS bandwidth figures: periods run, periods in
// which it used up its quota, and the time it waited for the next period.
type throttle struct{ periods, throttled, waited int64 }

func throttleNow(dir string) throttle {
	var t throttle
	if dir == "" {
		return t
	}
	b, _ := os.ReadFile(filepath.Join(dir, "cpu.stat"))
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		n, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "nr_periods":
			t.periods = n
		case "nr_throttled":
			t.throttled = n
		case "throttled_time":
			t.waited = n
		}
	}
	return t
}

// sampleRSS keeps each server's peak resident memory (VmRSS, KiB), looking
// every 200 ms until ctx ends.
func sampleRSS(ctx context.Context, servers []*server) {
	for ctx.Err() == nil {
		for _, s := range servers {
			if kb := statusField(s.cmd.Process.Pid, "VmRSS:"); kb > s.maxRSS.Load() {
				s.maxRSS.Store(kb)
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// statusField reads a kB figure from /proc/PID/status.
func statusField(pid int, name string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == name {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}

// startProfiles takes a CPU profile of every server for d (from the debug
// listener) into dir, named after tag; the function returned waits for them.
func startProfiles(dir string, servers []*server, d time.Duration, tag string) func() {
	if dir == "" {
		return func() {}
	}
	var wg sync.WaitGroup
	for i, s := range servers {
		wg.Go(func() {
			res, err := http.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", s.debug, max(1, int(d.Seconds()))))
			if err != nil {
				log.Printf("profile of instance %d: %v", i+1, err)
				return
			}
			defer res.Body.Close()
			f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%s-i%d.pprof", tag, i+1)))
			check(err)
			defer f.Close()
			_, _ = io.Copy(f, res.Body)
		})
	}
	return wg.Wait
}

// cpu is CPU time used so far, in clock ticks: by each instance, by
// PostgreSQL's processes, by this program, by every other process by name,
// and by the whole machine (busy and all); and each instance's throttling.
type cpu struct {
	instances      []int64
	throttles      []throttle
	postgres, self int64
	busy, total    int64
	others         map[string]int64 // by command name
}

func cpuNow(servers []*server, postgres bool, pgProcs string) cpu {
	c := cpu{others: map[string]int64{}}
	mine := map[string]bool{}
	for _, s := range servers {
		pid := strconv.Itoa(s.cmd.Process.Pid)
		mine[pid] = true
		c.instances = append(c.instances, procTicks(pid))
		c.throttles = append(c.throttles, throttleNow(s.cgroup))
	}
	self := strconv.Itoa(os.Getpid())
	c.self = procTicks(self)
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid := e.Name()
		if _, err := strconv.Atoi(pid); err != nil || mine[pid] || pid == self {
			continue
		}
		comm, _ := os.ReadFile("/proc/" + pid + "/comm")
		name := strings.TrimSpace(string(comm))
		if name == "postgres" && postgres {
			title, _ := os.ReadFile("/proc/" + pid + "/cmdline")
			if strings.Contains(string(title), pgProcs) {
				c.postgres += procTicks(pid)
				continue
			}
		}
		c.others[name] += ownTicks(pid) // a parent that reaps a child would otherwise show its whole life
	}
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		f := strings.Fields(strings.SplitN(string(b), "\n", 2)[0])
		for i, v := range f[1:] {
			n, _ := strconv.ParseInt(v, 10, 64)
			c.total += n
			if i != 3 && i != 4 { // idle and iowait
				c.busy += n
			}
		}
	}
	return c
}

// procTicks is a process's user and system time, children included.
func procTicks(pid string) int64 { return ticks(pid, 11, 12, 13, 14) } // utime stime cutime cstime

// ownTicks is a process's own user and system time.
func ownTicks(pid string) int64 { return ticks(pid, 11, 12) }

// ticks adds fields of /proc/PID/stat, counted from the one after the name.
func ticks(pid string, fields ...int) int64 {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	var t int64
	for _, i := range fields {
		n, _ := strconv.ParseInt(f[i], 10, 64)
		t += n
	}
	return t
}

// clockTicks is the kernel's USER_HZ, the unit of /proc's CPU times.
const clockTicks = 100
