package store

import (
	"context"
	"strconv"
	"time"

	"github.com/allydesk/ally"
)

// Counter names in the counters table.
const (
	counterReported = "reported"   // label: kind
	counterAck      = "ack_bucket" // label: bucket index
	counterAckSumMS = "ack_sum_ms" // label: ""
	counterDone     = "done"       // label: queue table (outbox, webhook_deliveries); its rows sent or delivered
)

// counterShards is how many rows each running count (counters, case_counts)
// is spread over on PostgreSQL, so that concurrent writers rarely wait for
// one another's commit on the same row; readers add the shards up. SQLite
// has a single writer and uses shard 0 only.
const counterShards = 16

// counterShard picks the shard a new write transaction adds its counts to:
// the next one in turn, from a random start (so that instances differ).
func (db *DB) counterShard() int {
	if !db.postgres {
		return 0
	}
	return int(db.shardTurn.Add(1) % counterShards)
}

// bump adds delta to a counter, atomically, in the transaction's shard.
func (tx *Tx) bump(ctx context.Context, name, label string, delta int64) error {
	if tx.hot != nil {
		tx.hot.add(hotRow{name: name, label: label}, delta)
		return nil
	}
	return tx.bumpNow(ctx, name, label, delta)
}

func (tx *Tx) bumpNow(ctx context.Context, name, label string, delta int64) error {
	_, err := tx.exec(ctx, `INSERT INTO counters (name, label, shard, n) VALUES (?, ?, ?, ?)
		ON CONFLICT (name, label, shard) DO UPDATE SET n = counters.n + excluded.n`, name, label, tx.shard, delta)
	return err
}

// observeAck records a case's time to acknowledge.
func (tx *Tx) observeAck(ctx context.Context, took time.Duration) error {
	if err := tx.bump(ctx, counterAck, strconv.Itoa(ally.AckBucket(took.Seconds())), 1); err != nil {
		return err
	}
	return tx.bump(ctx, counterAckSumMS, "", took.Milliseconds())
}

// Counters implements ally.MetricsService.
func (db *DB) Counters(ctx context.Context) (_ *ally.Counters, err error) {
	defer wrap(&err, "counters")
	if _, err := ally.Allowed(ctx, ally.CanReadCounters, "Counters are for the server itself."); err != nil {
		return nil, err
	}
	c := &ally.Counters{ReportedByKind: map[ally.Kind]int64{}, MailByOutcome: map[string]int64{},
		AckBuckets: make([]uint64, len(ally.AckBuckets)+1)}
	err = db.withRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, "SELECT name, label, SUM(n) FROM counters GROUP BY name, label")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var name, label string
			var n int64
			if err := rows.Scan(&name, &label, &n); err != nil {
				return err
			}
			switch name {
			case counterReported:
				c.ReportedByKind[ally.Kind(label)] = n
			case counterAck:
				if i, err := strconv.Atoi(label); err == nil && i >= 0 && i < len(c.AckBuckets) {
					c.AckBuckets[i] = uint64(n)
					c.AckCount += uint64(n)
				}
			case counterAckSumMS:
				c.AckSumSeconds = float64(n) / 1000
			case counterMail:
				c.MailByOutcome[label] = n
			}
		}
		return rows.Err()
	})
	return c, err
}
