package store_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

// Issue 19: on PostgreSQL the look-ups every request makes (its session or
// bearer token, with the user) and the lists most pages show are one
// statement each, sent without BEGIN READ ONLY … COMMIT around it, which
// cost two more round trips.
func TestSingleStatementReadsSendNoTransaction(t *testing.T) {
	if os.Getenv("ALLY_TEST_POSTGRES") == "" {
		t.Skip("needs ALLY_TEST_POSTGRES")
	}
	f := newFixture(t, "postgres")
	ctx := context.Background()
	op := ally.NewOperatorContext(ctx)
	sess, err := f.db.CreateSession(ctx, f.alice.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	token, err := f.db.CreateToken(op, f.bob.Email, "ci")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.FindUserByToken(ctx, token); err != nil { // records its first use (a write)
		t.Fatal(err)
	}
	c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindOther, Summary: "A odd email"})
	sent := f.db.TraceForTest(t)
	reads := []struct {
		name string
		read func() error
	}{
		{"session", func() error { _, _, err := f.db.FindSession(ctx, sess.Secret); return err }},
		{"bearer token", func() error { _, err := f.db.FindUserByToken(ctx, token); return err }},
		{"ended session", func() error {
			if _, _, err := f.db.FindSession(ctx, "no such session"); ally.ErrorCode(err) != ally.EUNAUTHORIZED {
				t.Errorf("unknown session: %v, want EUNAUTHORIZED", err)
			}
			return nil
		}},
		{"sign-in wait", func() error { _, err := f.db.SignInWait(ctx, "alice@example.org", "10.0.0.1", time.Now()); return err }},
		{"users", func() error { _, err := f.db.FindAssignees(f.as(f.admin)); return err }},
		{"case list", func() error { _, err := f.db.FindCases(f.as(f.resp), ally.CaseFilter{}); return err }},
		{"case counts", func() error { _, err := f.db.CountCases(f.as(f.resp)); return err }},
		{"lessons", func() error { _, err := f.db.Lessons(f.as(f.alice), 0, 10); return err }},
	}
	for _, r := range reads {
		if err := r.read(); err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		var stmts []string
		for _, q := range sent() {
			if q != "-- ping" {
				stmts = append(stmts, q)
			}
		}
		if len(stmts) != 1 || strings.HasPrefix(stmts[0], "begin") {
			t.Errorf("%s sent %d statements, want 1 and no transaction: %q", r.name, len(stmts), stmts)
		}
	}
	// A case page's reads take a few statements each; at READ COMMITTED a
	// transaction would not make them share a snapshot, so none is begun.
	as := f.as(f.resp)
	page := []struct {
		name string
		read func() error
	}{
		{"case", func() error { _, err := f.db.FindCase(as, c.Ref); return err }},
		{"timeline", func() error { _, err := f.db.Timeline(as, c.Ref, 0, 50); return err }},
		{"tasks", func() error { _, err := f.db.Tasks(as, c.Ref); return err }},
		{"files", func() error { _, err := f.db.Attachments(as, c.Ref); return err }},
		{"links", func() error { _, err := f.db.Links(as, c.Ref); return err }},
	}
	for _, r := range page {
		if err := r.read(); err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		stmts := sent()
		for _, q := range stmts {
			if strings.HasPrefix(q, "begin") || q == "commit" || q == "rollback" {
				t.Errorf("%s began a transaction: %q", r.name, stmts)
				break
			}
		}
		if len(stmts) < 2 {
			t.Errorf("%s sent %q, want its case and its list", r.name, stmts)
		}
	}
}
