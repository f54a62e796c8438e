package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// TestReadOnlyDatabaseSaysSo: a write to a SQLite file Ally may only read
// is ally.EUNAVAILABLE with ErrReadOnly's words (check the file's
// permissions), not "attempt to write a readonly database (8)"; reads
// still work. Tests run as root, whom file modes do not stop, so the file
// is opened the way SQLite opens one its user may not write: mode=ro.
// (PostgreSQL: TestReadOnlyPostgresSaysSo.)
func TestReadOnlyDatabaseSaysSo(t *testing.T) {
	db, op := openMigrated(t), ally.NewOperatorContext(context.Background())
	if _, err := db.CreateUser(op, &ally.NewUser{Email: "a@example.org", Name: "A", Role: ally.RoleReporter,
		Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	db.write.Close()
	ro, err := sql.Open("sqlite", "file:"+db.path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	ro.SetMaxOpenConns(1)
	db.write = ro
	_, err = db.CreateUser(op, &ally.NewUser{Email: "b@example.org", Name: "B", Role: ally.RoleReporter,
		Password: "correct horse battery"})
	if !errors.Is(err, ally.ErrReadOnly) || ally.ErrorCode(err) != ally.EUNAVAILABLE ||
		!strings.Contains(ally.ErrorMessage(err), "the database is read-only") ||
		!strings.HasPrefix(err.Error(), "store: create user: database read-only: ") {
		t.Fatalf("create user on a read-only file: %v (%q)", err, ally.ErrorMessage(err))
	}
	if u, err := db.FindUserByEmail(op, "a@example.org"); err != nil || u.Name != "A" {
		t.Fatalf("a read on a read-only file: %v, %v", u, err)
	}
}
