package store

import (
	"cmp"
	"context"
	"slices"

	"github.com/allydesk/ally"
)

// Hot rows. Every new case adds to the same row of case_counts and of
// counters; on PostgreSQL a writer holds that row's lock from its update to
// its commit, so when the update came early in a transaction, concurrent
// case creations queued behind each other for the rest of it (issue 19:
// 214 ms per update with two instances under load). A write transaction
// run by withTx therefore collects its counter changes and writes them
// last, in one order (so two transactions never wait on each other's rows
// crosswise), holding those locks only for the commit.

// hotRow names one counter row: a case count (status, confidential) or a
// named counter (name, label).
type hotRow struct {
	status       ally.Status
	confidential bool
	name, label  string
}

type hotRows struct {
	rows  []hotRow
	delta map[hotRow]int64
}

func (h *hotRows) add(r hotRow, delta int64) {
	if _, ok := h.delta[r]; !ok {
		h.rows = append(h.rows, r)
	}
	h.delta[r] += delta
}

// lastHot runs fn with its counter changes held back, then writes them.
func lastHot(ctx context.Context, fn func(tx *Tx) error) func(tx *Tx) error {
	return func(tx *Tx) error {
		h := &hotRows{delta: map[hotRow]int64{}}
		tx.hot = h
		err := fn(tx)
		tx.hot = nil
		if err != nil {
			return err
		}
		slices.SortFunc(h.rows, func(a, b hotRow) int {
			return cmp.Or(cmp.Compare(a.status, b.status), cmp.Compare(a.name, b.name),
				cmp.Compare(a.label, b.label), boolCompare(a.confidential, b.confidential))
		})
		for _, r := range h.rows {
			d := h.delta[r]
			switch {
			case d == 0:
			case r.name != "":
				err = tx.bumpNow(ctx, r.name, r.label, d)
			default:
				err = tx.countNow(ctx, r.status, r.confidential, d)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
