package store

import (
	"strings"
	"testing"
)

// TestLatestMarksUseTheHashIndex: the marks of a page of messages are found
// by probing tone_examples_hash (migration 0020), never by a scan of every
// example.
func TestLatestMarksUseTheHashIndex(t *testing.T) {
	db := openMigrated(t)
	rows, err := db.write.Query("EXPLAIN QUERY PLAN "+latestMarks(3), 1, 2, 3)
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
	joined := strings.Join(plan, "; ")
	if !strings.Contains(joined, "USING INDEX tone_examples_hash (text_hash=?)") || strings.Contains(joined, "SCAN") {
		t.Fatalf("the marks are not found through tone_examples_hash: %q", plan)
	}
}
