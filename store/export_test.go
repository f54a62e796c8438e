package store

import "context"

// ExecForTest runs a statement on the writer, for tests that need to put the
// database in a state the API cannot.
func (db *DB) ExecForTest(ctx context.Context, q string) error {
	_, err := db.write.ExecContext(ctx, q)
	return err
}

// Outcomes exposes the campaign outcome messages to tests.
var Outcomes = outcomes

// DurationStatForTest exposes the percentile computation.
var DurationStatForTest = durationStat

// IndexDefsForTest lists the secondary indexes a bulk load rebuilds.
func (db *DB) IndexDefsForTest(ctx context.Context) (map[string]string, error) {
	return db.indexDefs(ctx)
}
