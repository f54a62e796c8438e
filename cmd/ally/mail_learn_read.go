package main

import (
	"context"
	"os"
	"sync"
	"time"

	"github.com/allydesk/ally/mailscan"
)

// learnItem is one file of ally mail learn, read and analysed.
type learnItem struct {
	path  string
	phish bool
	ex    *mailscan.Example // nil when the file is empty (skipped) or unreadable
	err   error             // the file could not be read, or the work was stopped
}

// lessonStream reads and analyses the files of ally mail learn on several
// workers at once, and hands them out one by one in the order of the
// files: what is learned never depends on which worker finished first. At
// most ahead files are read past the one handed out last, so memory stays
// bounded however large the folders.
type lessonStream struct {
	order   chan chan learnItem // each file's slot, in the files' order
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	started time.Time
}

// learnJob is one file for a worker, and the slot for its result.
type learnJob struct {
	item learnItem
	slot chan learnItem
}

// startLessons starts reading the sets' files on workers goroutines.
// The caller takes them with next and must call stop.
func startLessons(ctx context.Context, sets []learnSet, workers, ahead int) *lessonStream {
	ctx, cancel := context.WithCancel(ctx)
	s := &lessonStream{order: make(chan chan learnItem, ahead), cancel: cancel, started: time.Now()}
	jobs := make(chan learnJob, workers)
	s.wg.Add(1 + workers)
	go func() {
		defer s.wg.Done()
		defer close(s.order)
		defer close(jobs)
		for _, set := range sets {
			for _, path := range set.files {
				job := learnJob{item: learnItem{path: path, phish: set.phish}, slot: make(chan learnItem, 1)}
				select {
				case s.order <- job.slot:
				case <-ctx.Done():
					return
				}
				select {
				case jobs <- job:
				case <-ctx.Done():
					job.item.err = ctx.Err() // its slot was handed out: it must be filled
					job.slot <- job.item
					return
				}
			}
		}
	}()
	for range workers {
		go func() {
			defer s.wg.Done()
			for job := range jobs {
				if job.item.err = ctx.Err(); job.item.err == nil {
					job.item.read()
				}
				job.slot <- job.item
			}
		}()
	}
	return s
}

// read reads and analyses the item's file.
func (it *learnItem) read() {
	raw, err := os.ReadFile(it.path)
	if err != nil {
		it.err = err
		return
	}
	// The only error is for an empty file: it is skipped.
	it.ex, _ = mailscan.NewExample(raw, mailscan.Options{})
}

// next returns the next file in order; false when all were handed out.
func (s *lessonStream) next() (learnItem, bool) {
	slot, ok := <-s.order
	if !ok {
		return learnItem{}, false
	}
	return <-slot, true
}

// stop ends the workers (those still reading finish their file) and
// waits for them.
func (s *lessonStream) stop() {
	s.cancel()
	s.wg.Wait()
}
