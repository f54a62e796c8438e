package main

import (
	"fmt"

	"github.com/allydesk/ally/store"
	"github.com/spf13/cobra"
)

// learner teaches the database's model the chunks of ally mail learn on
// one goroutine, one chunk (one transaction) at a time, in the order they
// were given, while the next chunk is being read.
type learner struct {
	chunks chan []store.MailLesson
	failed chan struct{} // closed when a chunk could not be learned
	done   chan struct{} // closed when the goroutine has ended
	sum    store.MailLearned
	err    error
}

func startLearner(cmd *cobra.Command, d *store.DB) *learner {
	l := &learner{chunks: make(chan []store.MailLesson), failed: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		for chunk := range l.chunks {
			got, err := d.LearnMail(cmd.Context(), chunk, "ally mail learn")
			if err != nil {
				l.err = err
				close(l.failed)
				return
			}
			if got.Reset != "" {
				fmt.Fprintf(cmd.ErrOrStderr(), "\nthe stored model could not be read (%s): it starts again from these messages\n",
					got.Reset)
			}
			l.sum.Learned, l.sum.Relabelled, l.sum.Known = l.sum.Learned+got.Learned,
				l.sum.Relabelled+got.Relabelled, l.sum.Known+got.Known
			l.sum.Model, l.sum.Bytes = got.Model, got.Bytes
		}
	}()
	return l
}

// learn hands over a chunk; false when an earlier chunk failed (finish
// says why). It waits while the chunk before is still being learned.
func (l *learner) learn(chunk []store.MailLesson) bool {
	select {
	case l.chunks <- chunk:
		return true
	case <-l.failed:
		return false
	}
}

// finish learns the last chunk (even an empty one: that makes the model's
// row, or starts a corrupt one again, as a learning always does), waits
// for the learning to end and says what was learned in all. Model in the
// sum is the model the last chunk stored (nil when it changed nothing).
func (l *learner) finish(last []store.MailLesson) (store.MailLearned, error) {
	l.learn(last)
	return l.abort()
}

// abort waits for the chunks handed over to be learned, and learns no
// more.
func (l *learner) abort() (store.MailLearned, error) {
	close(l.chunks)
	<-l.done
	return l.sum, l.err
}
