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
}
