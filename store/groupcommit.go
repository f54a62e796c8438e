package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// maxGroup is the most write jobs committed together.
const maxGroup = 128

// errClosed answers writes attempted after Close.
var errClosed = errors.New("store: the database is closed")

// writeJob is one caller's write transaction, waiting for the committer.
type writeJob struct {
	ctx  context.Context
	fn   func(tx *Tx) error
	done chan error
}

// committer serialises SQLite writes through the one writer connection and
// commits whatever queued up together: each job runs inside its own
// savepoint, so a failing job is undone alone, and all of them share one
// durable commit (one WAL sync instead of one each). A job's caller hears
// back only after that commit.
type committer struct {
	db   *DB
	jobs chan writeJob
	quit chan struct{}
	done chan struct{}
	stop sync.Once
}

func newCommitter(db *DB) *committer {
	c := &committer{db: db, jobs: make(chan writeJob), quit: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c
}

// submit queues fn and waits for its outcome.
func (c *committer) submit(ctx context.Context, fn func(tx *Tx) error) error {
	j := writeJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case c.jobs <- j:
	case <-c.quit:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-j.done
}

// close stops the committer once; later calls just wait for it.
func (c *committer) close() {
	c.stop.Do(func() { close(c.quit) })
	<-c.done
}

func (c *committer) loop() {
	defer close(c.done)
	for {
		var batch []writeJob
		select {
		case j := <-c.jobs:
			batch = append(batch, j)
		case <-c.quit:
			return
		}
	drain:
		for len(batch) < maxGroup {
			select {
			case j := <-c.jobs:
				batch = append(batch, j)
			default:
				break drain
			}
		}
		c.commit(batch)
		c.db.stmts.prepareMissed(context.Background())
	}
}

// commit runs a batch in one transaction and tells every caller.
func (c *committer) commit(batch []writeJob) {
	errs := make([]error, len(batch))
	tx, err := c.db.write.BeginTx(context.Background(), nil)
	if err != nil {
		for _, j := range batch {
			j.done <- err
		}
		return
	}
	for i, j := range batch {
		errs[i] = c.runJob(tx, j)
	}
	commitErr := tx.Commit()
	for i, j := range batch {
		if errs[i] == nil {
			errs[i] = commitErr
		}
		j.done <- errs[i]
	}
}

// runJob runs one job inside a savepoint, undoing it alone on error or panic.
func (c *committer) runJob(tx *sql.Tx, j writeJob) (err error) {
	if err := j.ctx.Err(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(j.ctx, "SAVEPOINT job"); err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("store: write panicked: %v", p)
		}
		if err != nil {
			if _, rbErr := tx.Exec("ROLLBACK TO job"); rbErr != nil {
				err = errors.Join(err, rbErr)
			}
		}
		if _, relErr := tx.Exec("RELEASE job"); relErr != nil && err == nil {
			err = relErr
		}
	}()
	return j.fn(&Tx{Tx: tx, on: tx, db: c.db, pool: c.db.write, now: c.db.txTime()})
}
