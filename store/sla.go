package store

import (
	"context"
	"math"

	"github.com/allydesk/ally"
)

// slaMigration is the migration that adds the stored SLA targets; it fills
// them for every existing case (Migrate runs fillSLA after its SQL).
const slaMigration = 10

// fixSLA fixes c's SLA targets from its playbook's targets for its current
// severity (the rule is ally.Case.FixSLA). A kind without a playbook has no
// targets.
func (db *DB) fixSLA(c *ally.Case) {
	pb, ok := db.opts.Playbooks.Get(string(c.Kind))
	if !ok {
		c.FixSLA(0, 0, "")
		return
	}
	ack, resolve := pb.Targets(string(c.Severity))
	c.FixSLA(ack, resolve, pb.Version)
}

// fillSLA fixes the SLA targets of the cases with ids from lo to hi that
// have none yet (sla_version NULL), from the playbooks of the day: one
// statement per kind and severity, so that a migration of a million cases
// stays a few dozen statements.
func (tx *Tx) fillSLA(ctx context.Context, lo, hi int64) error {
	for _, k := range ally.Kinds {
		pb, ok := tx.db.opts.Playbooks.Get(string(k))
		if !ok {
			continue
		}
		for _, sev := range ally.Severities {
			ack, resolve := pb.Targets(string(sev))
			if _, err := tx.exec(ctx, `UPDATE cases SET ack_due_at = reported_at + ?, resolve_due_at = reported_at + ?,
				sla_version = ? WHERE id BETWEEN ? AND ? AND kind = ? AND severity = ? AND sla_version IS NULL`,
				positiveMillis(ack.Milliseconds()), positiveMillis(resolve.Milliseconds()), pb.Version, lo, hi, k,
				sev); err != nil {
				return err
			}
		}
	}
	_, err := tx.exec(ctx, "UPDATE cases SET sla_version = '' WHERE id BETWEEN ? AND ? AND sla_version IS NULL", lo, hi)
	return err
}

// positiveMillis is a target in milliseconds, or NULL for none.
func positiveMillis(ms int64) any {
	if ms <= 0 {
		return nil
	}
	return ms
}

// allIDs is the id range of every case, for fillSLA.
var allIDs = [2]int64{0, math.MaxInt64}
