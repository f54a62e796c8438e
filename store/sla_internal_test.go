package store

import (
	"context"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// TestMigrationFillsSLA: migration 0010 fixes the SLA targets of the cases
// that were there before it, from the playbooks it runs with.
func TestMigrationFillsSLA(t *testing.T) {
	db, op := openMigrated(t), ally.NewOperatorContext(context.Background())
	u, err := db.CreateUser(op, &ally.NewUser{Email: "alice@example.org", Name: "Alice", Role: ally.RoleReporter,
		Department: "Sales", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	as := ally.NewContextWithUser(context.Background(), u)
	c, err := db.CreateCase(as, &ally.NewCase{Kind: ally.KindClickedLink})
	if err != nil {
		t.Fatal(err)
	}
	other, err := db.CreateCase(as, &ally.NewCase{Kind: ally.KindOther})
	if err != nil {
		t.Fatal(err)
	}
	// Back to the schema before 0010, as an older Ally left it (and before
	// 0017, whose metrics index needs 0010's columns).
	for _, q := range []string{"DROP INDEX cases_metrics", "CREATE INDEX cases_metrics ON cases (reported_at, " +
		"department, kind, severity, reporter_id, occurred_at, acknowledged_at, contained_at, resolved_at, closed_at, id)",
		"DELETE FROM schema_migrations WHERE version = 17",
		"DROP TABLE case_links", "DROP TABLE departments", "ALTER TABLE cases DROP COLUMN ack_due_at",
		"ALTER TABLE cases DROP COLUMN resolve_due_at", "ALTER TABLE cases DROP COLUMN sla_version",
		"DELETE FROM schema_migrations WHERE version = 10"} {
		if _, err := db.write.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if applied, err := db.Migrate(op); err != nil || len(applied) != 2 {
		t.Fatalf("migrate: %v %v", applied, err)
	}
	got, err := db.FindCase(as, c.Ref)
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := db.opts.Playbooks.Get(string(ally.KindClickedLink))
	ack, resolve := pb.Targets(string(got.Severity))
	if got.SLA.AcknowledgeBy == nil || !got.SLA.AcknowledgeBy.Equal(got.ReportedAt.Add(ack)) ||
		got.SLA.ResolveBy == nil || !got.SLA.ResolveBy.Equal(got.ReportedAt.Add(resolve)) ||
		got.SLA.PlaybookVersion != pb.Version || pb.Version == "" {
		t.Fatalf("after the migration: %+v, want +%v, +%v from version %q", got.SLA, ack, resolve, pb.Version)
	}
	if o, _ := db.FindCase(as, other.Ref); o.SLA.AcknowledgeBy == nil {
		t.Fatalf("the other kind's case got no targets: %+v", o.SLA)
	}
	var unfilled int
	if err := db.write.QueryRow("SELECT count(*) FROM cases WHERE sla_version IS NULL").Scan(&unfilled); err != nil ||
		unfilled != 0 {
		t.Fatalf("%d cases left without targets (%v)", unfilled, err)
	}
}

// TestMetricsScanCovered: the metrics scan, stored SLA targets included,
// reads only the cases_metrics index (migration 0017), never the table.
func TestMetricsScanCovered(t *testing.T) {
	plan := queryPlan(t, openMigrated(t), caseRowsQuery, 0, 1)
	if len(plan) != 1 || !strings.Contains(plan[0], "COVERING INDEX cases_metrics") {
		t.Fatalf("the metrics scan is not covered by cases_metrics: %q", plan)
	}
}
