package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"strings"
	"syscall"
	"time"
)

// How often an instance that stands by tries to take over, and how often
// the one that leads checks that it still holds the lock.
var (
	leadRetry = 3 * time.Second
	leadCheck = time.Second
)

// Lead runs run on exactly one of the instances sharing this database at a
// time, until ctx ends: the work that must not run twice at once, such as
// watching one IMAP mailbox. Every instance calls Lead; the one that takes
// the lock called name runs, the others stand by and try again every few
// seconds. The lock is a PostgreSQL session advisory lock on a connection of
// its own (a file lock beside the SQLite file), so it goes when its holder
// dies, and another instance takes over. When the lock's connection breaks,
// run's context is cancelled and this instance stands by again.
func (db *DB) Lead(ctx context.Context, name string, run func(ctx context.Context)) {
	for ctx.Err() == nil {
		lost, release, err := db.takeLead(ctx, name)
		if err == nil {
			leading, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() {
				defer close(done)
				run(leading)
			}()
			select {
			case <-lost:
			case <-done:
			case <-ctx.Done():
			}
			cancel()
			<-done
			release()
		}
		select {
		case <-ctx.Done():
		case <-time.After(leadRetry):
		}
	}
}

// takeLead tries the lock once. lost closes if the lock is lost while held;
// release gives it up.
func (db *DB) takeLead(ctx context.Context, name string) (lost <-chan struct{}, release func(), err error) {
	if !db.postgres {
		f, err := lockFile(db.path + ".lock-" + strings.Map(fileSafe, name))
		if err != nil {
			return nil, nil, err
		}
		return make(chan struct{}), func() { f.Close() }, nil
	}
	conn, err := db.lockConn(ctx, "lead "+name, false)
	if err != nil {
		return nil, nil, err
	}
	gone, stop := make(chan struct{}), make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		watchLock(conn, gone, stop)
	}()
	return gone, func() {
		close(stop)
		<-watched
		unlock(conn, "lead "+name)
	}, nil
}

// watchLock pings the lock's connection until stop closes, and closes gone
// when the connection (and so the lock) is lost.
func watchLock(conn *sql.Conn, gone, stop chan struct{}) {
	t := time.NewTicker(leadCheck)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 2*leadCheck)
			err := conn.PingContext(ctx)
			cancel()
			if err != nil {
				close(gone)
				<-stop
				return
			}
		}
	}
}

// lockFile takes an exclusive lock on the file at path without waiting; the
// lock ends when the file is closed or the process dies.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errNotHeld
		}
		return nil, err
	}
	return f, nil
}

// fileSafe keeps letters and digits of a lock's name for its file name.
func fileSafe(r rune) rune {
	if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
		return r
	}
	return '_'
}
