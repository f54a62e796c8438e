package store

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/allydesk/ally"
	"github.com/jackc/pgx/v5"
)

// caseChange is what the store tells the hub about a change: the case's
// reference and the fields that decide who may hear of it (ally.CanSeeCase).
type caseChange struct {
	ID           int64  `json:"id"`
	Reporter     int64  `json:"r"`
	Assignee     int64  `json:"a"`
	Confidential bool   `json:"c"`
	Change       string `json:"x"`
}

func changeOf(c *ally.Case, change string) caseChange {
	return caseChange{ID: c.ID, Reporter: c.ReporterID, Assignee: c.AssigneeID, Confidential: c.Confidential,
		Change: change}
}

// visibleTo reports whether u may hear of the change.
func (ch caseChange) visibleTo(u *ally.User) bool {
	return ch.Change == ally.EventResync || ally.CanSeeCase(u, &ally.Case{ID: ch.ID, ReporterID: ch.Reporter,
		AssigneeID: ch.Assignee, Confidential: ch.Confidential})
}

// liveHub fans case changes out to this process's subscribers. On SQLite
// the store publishes after each commit; on PostgreSQL every instance's
// writes are sent with NOTIFY in their transaction (so only committed
// changes are heard) and each instance's one listener publishes them.
type liveHub struct {
	mu      sync.Mutex
	subs    map[*liveSub]struct{}
	once    sync.Once
	ready   chan struct{} // closed once the PostgreSQL listener is listening
	stop    context.CancelFunc
	channel string // the NOTIFY channel: one per schema, so tests sharing a database stay apart
}

type liveSub struct {
	u  *ally.User
	ch chan ally.CaseEvent
}

func (h *liveHub) publish(changes ...caseChange) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		for _, ch := range changes {
			if !ch.visibleTo(s.u) {
				continue
			}
			ev := ally.CaseEvent{Change: ch.Change}
			if ch.Change != ally.EventResync {
				ev.Ref = ally.CaseRef(ch.ID)
			}
			select {
			case s.ch <- ev:
			default: // a slow reader misses a hint, and reads again on the next
			}
		}
	}
}

// changed records that c was created or changed in this transaction: a
// NOTIFY on PostgreSQL, or an event published after commit on SQLite.
func (tx *Tx) changed(ctx context.Context, c *ally.Case, change string) error {
	ch := changeOf(c, change)
	if !tx.db.postgres {
		tx.events = append(tx.events, ch)
		return nil
	}
	b, _ := json.Marshal(ch)
	_, err := tx.exec(ctx, "SELECT pg_notify(?, ?)", tx.db.live.channel, string(b))
	return err
}

// Subscribe implements ally.LiveService.
func (db *DB) Subscribe(ctx context.Context) (_ <-chan ally.CaseEvent, err error) {
	defer wrap(&err, "subscribe")
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if db.postgres {
		db.live.once.Do(db.startListener)
		select {
		case <-db.live.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	s := &liveSub{u: u, ch: make(chan ally.CaseEvent, 16)}
	db.live.mu.Lock()
	if db.live.subs == nil {
		db.live.subs = map[*liveSub]struct{}{}
	}
	db.live.subs[s] = struct{}{}
	db.live.mu.Unlock()
	go func() {
		<-ctx.Done()
		db.live.mu.Lock()
		delete(db.live.subs, s)
		db.live.mu.Unlock()
	}()
	return s.ch, nil
}

// startListener runs the PostgreSQL listener until the store closes.
func (db *DB) startListener() {
	ctx, stop := context.WithCancel(context.Background())
	db.live.stop = stop
	go db.listen(ctx)
}

// listen LISTENs on its own connection and publishes what it hears. After
// a lost connection it reconnects and tells everyone to read again, since
// notifications sent meanwhile are lost.
func (db *DB) listen(ctx context.Context) {
	first := true
	for ctx.Err() == nil {
		_ = db.listenOnce(ctx, func() { // any error: reconnect after a pause
			if first {
				close(db.live.ready)
				first = false
			} else {
				db.live.publish(caseChange{Change: ally.EventResync})
			}
		})
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (db *DB) listenOnce(ctx context.Context, listening func()) error {
	conn, err := pgx.Connect(ctx, db.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{db.live.channel}.Sanitize()); err != nil {
		return err
	}
	listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var ch caseChange
		if json.Unmarshal([]byte(n.Payload), &ch) == nil {
			db.live.publish(ch)
		}
	}
}
