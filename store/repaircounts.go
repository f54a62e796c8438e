package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/allydesk/ally"
)

// The running counts of rows done (counterDone): what is kept, and what the
// rows say. Verify compares them; RepairDoneCounts makes the first the
// second.
const (
	doneKept = `SELECT label, SUM(n) FROM counters WHERE name = 'done' GROUP BY label HAVING SUM(n) <> 0`
	doneRows = `SELECT 'outbox', count(*) FROM outbox WHERE status = 'sent'
		UNION ALL SELECT 'webhook_deliveries', count(*) FROM webhook_deliveries WHERE status = 'delivered'`
)

// doneTables names the queue tables with a running count of rows done, in
// the order their counter rows are locked.
var doneTables = []struct{ table, what string }{
	{"outbox", "mail sent"},
	{"webhook_deliveries", "webhooks delivered"},
}

// CountRepair is one running count RepairDoneCounts looked at.
type CountRepair struct {
	What    string `json:"what"`    // in words: mail sent, webhooks delivered
	Table   string `json:"table"`   // the rows it counts
	Kept    int64  `json:"kept"`    // what the count said
	Counted int64  `json:"counted"` // the rows there are, what it says now
}

// Changed reports whether the count was wrong and has been set right.
func (r CountRepair) Changed() bool { return r.Kept != r.Counted }

// RepairDoneCounts recounts the running counts of mail sent and webhooks
// delivered from their rows and sets them to what it counted, in one
// transaction, for the operator; a count that was right is left as it is.
// Each change is audited (counts.repair).
//
// It is safe while instances serve: on PostgreSQL it first locks every row
// of those counts (at READ COMMITTED, so each statement sees what committed
// before it), so a send that already added to its count commits before the
// recount reads the rows, and one that has not yet waits and adds to the
// repaired count after it, its row unseen by the recount. Either way the
// count and the rows agree afterwards. SQLite has one writer at a time.
func (db *DB) RepairDoneCounts(ctx context.Context) (_ []CountRepair, err error) {
	defer wrap(&err, "repair counts")
	const who = "Counts are repaired by the server's operator."
	if _, err := ally.Allowed(ctx, ally.CanManageBackups, who); err != nil {
		return nil, err
	}
	var out []CountRepair
	err = db.withTx(ctx, func(tx *Tx) error {
		out = nil
		kept, err := tx.lockDoneCounts(ctx)
		if err != nil {
			return err
		}
		counted, err := tx.counts(ctx, doneRows)
		if err != nil {
			return err
		}
		var changes []string
		for _, d := range doneTables {
			r := CountRepair{What: d.what, Table: d.table, Kept: kept[d.table], Counted: counted[d.table]}
			out = append(out, r)
			if !r.Changed() {
				continue
			}
			if err := tx.bumpNow(ctx, counterDone, d.table, r.Counted-r.Kept); err != nil {
				return err
			}
			changes = append(changes, fmt.Sprintf("%s: %d, was %d", d.table, r.Counted, r.Kept))
		}
		if len(changes) == 0 {
			return nil
		}
		return tx.audit(ctx, "counts.repair", "done", strings.Join(changes, "; "))
	})
	return out, err
}

// lockDoneCounts returns the running counts of rows done by table. On
// PostgreSQL it first makes sure every shard row of them exists (a new
// one, n = 0, changes no count), so that no writer can add to a row it has
// not locked, and locks them all, in the order writers take them (label,
// then shard), until the transaction ends.
func (tx *Tx) lockDoneCounts(ctx context.Context) (map[string]int64, error) {
	if !tx.db.postgres {
		return tx.counts(ctx, doneKept)
	}
	if _, err := tx.exec(ctx, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED"); err != nil {
		return nil, err
	}
	var rows []string
	var args []any
	for _, d := range doneTables {
		for shard := range counterShards {
			rows, args = append(rows, "(?, ?, ?, 0)"), append(args, counterDone, d.table, shard)
		}
	}
	if _, err := tx.exec(ctx, "INSERT INTO counters (name, label, shard, n) VALUES "+strings.Join(rows, ", ")+
		" ON CONFLICT (name, label, shard) DO NOTHING", args...); err != nil {
		return nil, err
	}
	return tx.counts(ctx, "SELECT label, n FROM counters WHERE name = 'done' ORDER BY label, shard FOR UPDATE")
}
