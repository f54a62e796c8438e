package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
)

// Issue 20 F14: the SQLite file, its WAL and its SHM are readable by their
// owner only.
func TestSQLiteFilesAreOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "ally.db")
	db, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	op := ally.NewOperatorContext(context.Background())
	if _, err := db.CreateUser(op, &ally.NewUser{Email: "a@example.org", Name: "A", Role: ally.RoleReporter,
		Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want -rw-------", filepath.Base(name), fi.Mode().Perm())
		}
	}
}
