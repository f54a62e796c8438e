package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// openPTY opens a pseudo-terminal: tty is the terminal side, to give a
// command as its stderr; what the command writes there is read from pt.
func openPTY(t *testing.T) (pt, tty *os.File) {
	t.Helper()
	pt, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	var unlock, n uint32
	for _, c := range []struct {
		req uintptr
		arg *uint32
	}{{syscall.TIOCSPTLCK, &unlock}, {syscall.TIOCGPTN, &n}} {
		if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, pt.Fd(), c.req, uintptr(unsafe.Pointer(c.arg))); e != 0 {
			pt.Close()
			t.Skipf("no pseudo-terminal here: %v", e)
		}
	}
	tty, err = os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		pt.Close()
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() { tty.Close(); pt.Close() })
	return pt, tty
}

// ally retention run draws its progress on stderr when that is a terminal
// (and nothing elsewhere), then prints what it removed; with no rules it
// says so instead of counting zeros.
func TestRetentionRunProgress(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	if code, _, errs := runCmd(t, "", "demo", "--db", db, "--cases", "200", "--days", "400"); code != 0 {
		t.Fatalf("demo: %d %s", code, errs)
	}
	if code, out, errs := runCmd(t, "", "retention", "run", "--db", db); code != 0 ||
		!strings.Contains(out, "No retention rules, so nothing was removed") || errs != "" {
		t.Fatalf("run with no rules: %d %q %q", code, out, errs)
	}
	if code, _, errs := runCmd(t, "", "retention", "set", "--db", db, "--rule", "*=deidentify:60"); code != 0 {
		t.Fatalf("set: %d %s", code, errs)
	}
	pt, tty := openPTY(t)
	drawn := make(chan string)
	go func() {
		b, _ := io.ReadAll(pt) // until the terminal side is closed
		drawn <- string(b)
	}()
	var out bytes.Buffer
	code := run(context.Background(), []string{"retention", "run", "--db", db}, strings.NewReader(""), &out, tty)
	tty.Close()
	progress := <-drawn
	if code != 0 || !strings.Contains(out.String(), "cases de-identified") {
		t.Fatalf("run: %d %q", code, out.String())
	}
	if !regexp.MustCompile(`cases and signals: [1-9]\d* rows de-identified or deleted so far\r?\n$`).MatchString(progress) {
		t.Fatalf("the terminal showed %q, want the count of cases done, ended by a new line", progress)
	}
}
