package store

import (
	"context"
	"testing"

	"github.com/allydesk/ally"
)

// TestQueueDoneStartsFromTheRows: migration 0019 starts the running count of
// sent mail from the rows of a database that had sent some before it.
func TestQueueDoneStartsFromTheRows(t *testing.T) {
	db, err := Open(context.Background(), t.TempDir()+"/a.db", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	op := ally.NewOperatorContext(context.Background())
	db.migrateCeiling = 18
	if _, err := db.Migrate(op); err != nil {
		t.Fatal(err)
	}
	db.migrateCeiling = 0
	if _, err := db.write.Exec(`INSERT INTO outbox (kind, to_addr, subject, body, status, next_at, created_at)
		VALUES ('reply', 'a@example.org', 's', 'b', 'sent', 0, 0), ('reply', 'b@example.org', 's', 'b', 'sent', 0, 0),
		('reply', 'c@example.org', 's', 'b', 'queued', 0, 0)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(op); err != nil {
		t.Fatal(err)
	}
	s, err := db.OutboxStats(op)
	if err != nil || s.Sent != 2 || s.Queued != 1 {
		t.Fatalf("stats after the migration: %+v %v", s, err)
	}
}
