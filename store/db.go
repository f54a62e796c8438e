// Package store implements Ally's domain services over database/sql, for
// SQLite (the embedded default, pure Go) and PostgreSQL. Each query is
// written once with ? placeholders and rebound for PostgreSQL; migrations
// are embedded per dialect.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/playbook"
	"github.com/allydesk/ally/signals"
	"github.com/allydesk/ally/tone"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite"
)

// Options configure a DB.
type Options struct {
	// Playbooks give new cases their guidance, severity, tasks and SLA.
	Playbooks *playbook.Set
	// Tone checks responders' messages as they are stored.
	Tone *tone.Engine
	// Now returns the current time; tests may fix it.
	Now func() time.Time
	// Location is the organisation's time zone, for times of day, weekdays
	// and quarter ends in insights; nil means UTC.
	Location *time.Location
	// Mail words the email each event queues in the outbox (store/mail.go);
	// nil means mail is off and nothing is queued.
	Mail *mailtext.Set
	// PublicURL is where people reach Ally, for links in mail.
	PublicURL string
	// Signals are the signal types (package signals); nil means the
	// built-in ones.
	Signals *signals.Set
	// SlackDM also asks a signal's subject by Slack direct message (queued
	// in slack_dms for the Slack worker); set when a bot token is configured.
	SlackDM bool
}

// DB is an open Ally database. It implements every ally service interface
// (the compiler checks it below). Its exported methods' errors name the
// operation ("store: find cases: …") and keep the domain error inside.
type DB struct {
	write    *sql.DB // the single writer (SQLite) or the pool (PostgreSQL)
	read     *sql.DB // pooled readers; the same pool on PostgreSQL
	postgres bool
	path     string // the SQLite file; lock files sit beside it (lead.go)
	opts     Options
	stmts    stmtCache
	writes   *committer // SQLite only: group commit through the one writer
	previous periodCache
	// outcomeTone is the tone check of each campaign outcome message, by
	// its text, worked out once.
	outcomeTone map[string]*tone.Result
	// tone is the engine in use: opts.Tone with the organisation's
	// examples on top (tone_marks.go), swapped whole when a lead marks one.
	tone atomic.Pointer[tone.Engine]
	// limitSweep is when this process last swept expired rate limits
	// (Unix ms; limits.go).
	limitSweep atomic.Int64
	// toneMu orders rebuilds, so that the last one stored has read every
	// example stored before it.
	toneMu sync.Mutex
	// migrateCeiling, when set, is the newest migration Migrate applies: a
	// restore loads a backup at its own schema version, then migrates on.
	migrateCeiling int
	// mailModel is the organisation's mail model as last read
	// (store/mailmodel.go).
	mailModel orgModelCache
	// shardTurn turns through the shards of the running counts
	// (counterShard).
	shardTurn atomic.Uint64
	// toneVersion is the version of the examples the engine in use was
	// built from (toneExamplesVersion); guarded by toneMu.
	toneVersion string
	// live fans case events out to subscribers (store/live.go); dsn is
	// kept for its PostgreSQL listener's own connection.
	live liveHub
	dsn  string
	// readCommitted is set on PostgreSQL at its default isolation, READ
	// COMMITTED, where each statement reads a snapshot of its own inside a
	// transaction or out of it (readFew).
	readCommitted bool
}

var (
	_ ally.CaseService       = (*DB)(nil)
	_ ally.TaskService       = (*DB)(nil)
	_ ally.AttachmentService = (*DB)(nil)
	_ ally.UserService       = (*DB)(nil)
	_ ally.AuditService      = (*DB)(nil)
	_ ally.MetricsService    = (*DB)(nil)
	_ ally.InsightService    = (*DB)(nil)
	_ ally.PracticeService   = (*DB)(nil)
	_ ally.LiveService       = (*DB)(nil)
	_ ally.MailService       = (*DB)(nil)
	_ ally.ReplyService      = (*DB)(nil)
	_ ally.OutboxService     = (*DB)(nil)
	_ ally.MailQueue         = (*DB)(nil)
	_ ally.DigestQueue       = (*DB)(nil)
	_ ally.RetentionService  = (*DB)(nil)
)

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens (creating if needed, for SQLite) the database named by dsn: a
// file path for SQLite or a postgres:// URL. It does not migrate.
func Open(ctx context.Context, dsn string, opts Options) (_ *DB, err error) {
	defer wrap(&err, "open")
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Playbooks == nil {
		opts.Playbooks = playbook.Default()
	}
	if opts.Tone == nil {
		opts.Tone = tone.Default()
	}
	if opts.Signals == nil {
		opts.Signals = signals.Default()
	}
	db := &DB{opts: opts, outcomeTone: map[string]*tone.Result{}, dsn: dsn}
	db.shardTurn.Store(rand.Uint64())
	db.live.ready = make(chan struct{})
	db.tone.Store(opts.Tone)
	for _, text := range ally.AllCampaignOutcomes() {
		r := opts.Tone.Check(text, tone.AudienceReporter)
		db.outcomeTone[text] = &r
	}
	if IsPostgres(dsn) {
		db.postgres = true
		if db.write, err = sql.Open("pgx", dsn); err != nil {
			return nil, err
		}
		// Keep the connections open: with database/sql's default of two idle
		// ones, a busy instance closed and reopened connections all the time
		// (a PostgreSQL backend started, and statements prepared again, for
		// most requests; issue 19, docs/performance.md).
		db.write.SetMaxOpenConns(16)
		db.write.SetMaxIdleConns(16)
		db.write.SetConnMaxIdleTime(5 * time.Minute)
		db.read = db.write
	} else if err = db.openSQLite(dsn); err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		if readOnly(err) {
			return nil, ally.Errorf(ally.EINVALID, "Ally cannot write to the database %s, or to the folder it is in "+
				"(SQLite keeps %s-wal and %s-shm beside it): check their owner and permissions.", dsn, dsn, dsn)
		}
		return nil, fmt.Errorf("cannot reach the database: %w", err)
	}
	if db.postgres {
		var schema, isolation string
		if err := db.write.QueryRowContext(ctx, "SELECT current_schema(), current_setting('default_transaction_isolation')").
			Scan(&schema, &isolation); err != nil {
			db.Close()
			return nil, err
		}
		db.readCommitted = isolation == "read committed"
		db.live.channel = "ally_cases_" + schema
	}
	return db, nil
}

// readerCacheKiB is each SQLite read connection's page cache, set rather
// than left to the library's default (about the same). Reads are served
// from the operating system's cache of the file behind it; at 1,000,000
// cases, 16 and 64 MiB per reader (8 readers) saved no time on the queue,
// search or metrics reads and cost up to 250 MB more memory and 2.5 times the
// system CPU (docs/performance.md, "SQLite readers' page cache").
const readerCacheKiB = 2048

func (db *DB) openSQLite(path string) error {
	db.path = path
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return ally.Errorf(ally.EINVALID, "%s is a folder, not a database file; name a file, such as %s.",
			path, filepath.Join(path, "ally.db"))
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	// Only the owner may read the database; SQLite gives its WAL and SHM
	// files the same mode as the database file.
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	pragmas := "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(FULL)&_time_format=sqlite"
	u := "file:" + (&url.URL{Path: path}).EscapedPath() + pragmas
	if db.write, err = sql.Open("sqlite", u+"&_txlock=immediate&_pragma=cache_size(-65536)"); err != nil {
		return err
	}
	db.write.SetMaxOpenConns(1)
	reader := u + "&_pragma=query_only(1)" + fmt.Sprintf("&_pragma=cache_size(%d)", -readerCacheKiB)
	if db.read, err = sql.Open("sqlite", reader); err != nil {
		return err
	}
	db.read.SetMaxOpenConns(8)
	db.read.SetMaxIdleConns(8)
	db.writes = newCommitter(db)
	return nil
}

// location is the organisation's time zone.
func (db *DB) location() *time.Location {
	if db.opts.Location == nil {
		return time.UTC
	}
	return db.opts.Location
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) (err error) {
	defer wrap(&err, "ping")
	if err := db.write.PingContext(ctx); err != nil {
		return err
	}
	return db.read.PingContext(ctx)
}

// Close closes every connection.
func (db *DB) Close() (err error) {
	defer wrap(&err, "close")
	if db.live.stop != nil {
		db.live.stop()
	}
	if db.writes != nil {
		db.writes.close()
	}
	db.stmts.close()
	err = db.write.Close()
	if db.read != db.write {
		if err2 := db.read.Close(); err == nil {
			err = err2
		}
	}
	return err
}

// Postgres reports whether the database is PostgreSQL.
func (db *DB) Postgres() bool { return db.postgres }

// Tx is a transaction that carries its start time, so every write in it
// agrees on "now".
type Tx struct {
	*sql.Tx
	// on runs the statements of exec, query and queryRow: the transaction,
	// or the pool itself for a single-statement read (readOne).
	on   statements
	db   *DB
	pool *sql.DB
	now  time.Time
	// replied holds the cases whose reporter was mailed a responder's
	// message in this transaction (store/mail.go).
	replied map[int64]bool
	// automatic is set when the event came from automatic mail, which is
	// never answered: no acknowledgement goes to its sender.
	automatic bool
	// verdict is set while a campaign's outcome is posted: its mail is the
	// verdict's own template (store/mail.go).
	verdict *ally.CampaignDecision
	// shard is the row of the running counts this transaction adds to
	// (store/counters.go).
	shard int
	// hot holds the counter changes written just before commit (hot.go).
	hot *hotRows
	// events are the case changes to publish after commit (SQLite).
	events []caseChange
	// readOnly is set on every read, in a transaction or bare: exec
	// refuses (errWriteInRead), so a read-only error from the driver always
	// means the database itself may not be written (mapError).
	readOnly bool
}

// begin starts a write transaction (or a read-only one on the reader pool).
func (db *DB) begin(ctx context.Context, write bool) (*Tx, error) {
	pool := db.read
	var opts *sql.TxOptions
	if write {
		pool = db.write
	} else if db.postgres {
		opts = &sql.TxOptions{ReadOnly: true}
	}
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &Tx{Tx: tx, on: tx, db: db, pool: pool, now: db.txTime(), shard: db.counterShard(), readOnly: !write}, nil
}

// txTime is "now" for a transaction's statements, to the millisecond.
func (db *DB) txTime() time.Time { return db.opts.Now().UTC().Truncate(time.Millisecond) }

// statements is where a Tx's statements run: a *sql.Tx or a *sql.DB.
type statements interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// withTx runs fn in a write transaction, committing on success.
func (db *DB) withTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, true, fn)
}

// withRead runs fn in a read transaction.
func (db *DB) withRead(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, false, fn)
}

// readOne runs fn, which issues exactly one statement through tx.query or
// tx.queryRow, as a read. On PostgreSQL the statement runs on the pool
// outside a transaction: one statement reads one snapshot by itself, and
// BEGIN READ ONLY … COMMIT around it cost two more round trips and the
// server's work to start and end a transaction on every request (issue 19).
// fn's tx has no *sql.Tx there, so it must not use tx.Tx. On SQLite, where a
// transaction costs no round trip, readOne is withRead.
func (db *DB) readOne(ctx context.Context, fn func(tx *Tx) error) error {
	if !db.postgres {
		return db.withRead(ctx, fn)
	}
	return mapError(fn(db.bare(db.read)))
}

// readFew runs fn, whose few statements only read, on one pooled
// connection. On PostgreSQL at READ COMMITTED a transaction would not make
// them read one snapshot (each statement takes its own, inside a transaction
// or out of it), so they run without BEGIN READ ONLY … COMMIT, saving two
// round trips; fn's tx has no *sql.Tx there, so it must not use tx.Tx.
// Elsewhere (SQLite, or a server set to another isolation level, where the
// transaction does give one snapshot) readFew is withRead.
func (db *DB) readFew(ctx context.Context, fn func(tx *Tx) error) error {
	if !db.readCommitted {
		return db.withRead(ctx, fn)
	}
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return mapError(err)
	}
	defer conn.Close()
	return mapError(fn(db.bare(conn)))
}

// bare is a Tx without a transaction: its statements run on on.
func (db *DB) bare(on statements) *Tx {
	return &Tx{on: on, db: db, pool: db.read, now: db.txTime(), readOnly: true}
}

// errWriteInRead is a store bug: a write through a read (withRead, readOne,
// readFew), refused before it reaches the driver, which refuses it, if at
// all, in words that would blame the database's permissions.
var errWriteInRead = errors.New("store: a write inside a read")

func (db *DB) run(ctx context.Context, write bool, fn func(tx *Tx) error) error {
	if write {
		fn = lastHot(ctx, fn)
	}
	if write && !db.postgres { // publish the job's case changes once they are committed
		var events []caseChange
		err := db.runOnce(ctx, true, func(tx *Tx) error {
			tx.events = nil
			err := fn(tx)
			events, tx.events = tx.events, nil
			return err
		})
		if err == nil && len(events) > 0 {
			db.live.publish(events...)
		}
		return err
	}
	return db.runOnce(ctx, write, fn)
}

func (db *DB) runOnce(ctx context.Context, write bool, fn func(tx *Tx) error) error {
	if write && db.writes != nil {
		return mapError(db.writes.submit(ctx, fn))
	}
	err := db.runTx(ctx, write, fn)
	if !db.postgres {
		db.stmts.prepareMissed(ctx)
	}
	return mapError(err)
}

func (db *DB) runTx(ctx context.Context, write bool, fn func(tx *Tx) error) error {
	tx, err := db.begin(ctx, write)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if tx.readOnly {
		return nil, errWriteInRead
	}
	args = textArgs(args)
	if st := tx.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.on.ExecContext(ctx, tx.db.rebind(q), args...)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	args = textArgs(args)
	if st := tx.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.on.QueryContext(ctx, tx.db.rebind(q), args...)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	args = textArgs(args)
	if st := tx.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.on.QueryRowContext(ctx, tx.db.rebind(q), args...)
}

// stmt returns q prepared for this transaction from the statement cache, or
// nil where statements are not cached (PostgreSQL, whose driver caches them
// itself, or a full cache).
func (tx *Tx) stmt(ctx context.Context, q string) *sql.Stmt {
	if tx.db.postgres {
		return nil
	}
	st := tx.db.stmts.get(tx.pool, q)
	if st == nil {
		return nil
	}
	return tx.StmtContext(ctx, st)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (tx *Tx) insert(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, err
}

// rebind turns ? placeholders into $1, $2 … for PostgreSQL.
func (db *DB) rebind(q string) string {
	if !db.postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// millis converts a time to stored Unix milliseconds.
func millis(t time.Time) int64 { return t.UnixMilli() }

// nullMillis converts an optional time.
func nullMillis(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

// fromMillis converts stored milliseconds back to UTC time.
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func fromNullMillis(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := fromMillis(n.Int64)
	return &t
}

// Playbooks returns the playbooks the store gives new cases.
func (db *DB) Playbooks() *playbook.Set { return db.opts.Playbooks }

// SignalTypes returns the signal types in use.
func (db *DB) SignalTypes() *signals.Set { return db.opts.Signals }
