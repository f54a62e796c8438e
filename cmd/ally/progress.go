package main

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// progress prints "done/total" on a terminal, and nothing elsewhere.
type progress struct {
	w     io.Writer
	what  string
	shown bool
}

func newProgress(w io.Writer, what string) *progress {
	if f, ok := w.(*os.File); !ok || !term.IsTerminal(int(f.Fd())) {
		w = nil
	}
	return &progress{w: w, what: what}
}

func (p *progress) update(done, total int) {
	if p.w == nil {
		return
	}
	p.shown = true
	fmt.Fprintf(p.w, "\r%d/%d %s (%d%%)", done, total, p.what, done*100/max(total, 1))
}

// rows prints how many rows of table are done, for work whose total is
// not known ahead.
func (p *progress) rows(table string, n int64) {
	if p.w == nil {
		return
	}
	p.shown = true
	fmt.Fprintf(p.w, "\r\033[K%s: %d rows %s", table, n, p.what)
}

// note adds a word on what happens next to the last count shown.
func (p *progress) note(msg string) {
	if p.shown {
		fmt.Fprint(p.w, " "+msg)
	}
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprintln(p.w)
	}
}
