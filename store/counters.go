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
)

// bump adds delta to a counter, atomically.
func (tx *Tx) bump(ctx context.Context, name, label string, delta int64) error {
	if tx.hot != nil {
		tx.hot.add(hotRow{name: name, label: label}, delta)
		return nil
	}
	return tx.bumpNow(ctx, name, label, delta)
}

func (tx *Tx) bumpNow(ctx context.Context, name, label string, delta int64) error {
	_, err := tx.exec(ctx, `INSERT INTO counters (name, label, n) VALUES (?, ?, ?)
		ON CONFLICT (name, label) DO UPDATE SET n = counters.n + excluded.n`, name, label, delta)
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
		rows, err := tx.query(ctx, "SELECT name, label, n FROM counters")
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
