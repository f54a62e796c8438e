package store

import (
	"strings"
	"testing"
)

// TestLatestMarksUseTheHashIndex: the marks of a page of messages are found
// by probing tone_examples_hash (migration 0020), never by a scan of every
// example.
func TestLatestMarksUseTheHashIndex(t *testing.T) {
	plan := queryPlan(t, openMigrated(t), latestMarks(3), 1, 2, 3)
	joined := strings.Join(plan, "; ")
	if !strings.Contains(joined, "USING INDEX tone_examples_hash (text_hash=?)") || strings.Contains(joined, "SCAN") {
		t.Fatalf("the marks are not found through tone_examples_hash: %q", plan)
	}
}

// queryPlan is SQLite's plan of the query q with args, one detail a step.
func queryPlan(t *testing.T, db *DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.write.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}
