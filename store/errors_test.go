package store_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// TestErrorsNameTheirOperation checks that a store error says where it came
// from, once, and that the domain code and the user's message read through
// the wrapping unchanged.
func TestErrorsNameTheirOperation(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ref := ally.CaseRef(999999)
		_, err := f.db.FindCase(f.as(f.alice), ref)
		if !strings.HasPrefix(err.Error(), "store: find case: ") || ally.ErrorCode(err) != ally.ENOTFOUND ||
			ally.ErrorMessage(err) != "No case "+ref+" was found, or it is not shared with you." {
			t.Fatalf("find case: %v (code %q, message %q)", err, ally.ErrorCode(err), ally.ErrorMessage(err))
		}

		// CreateUser goes through the same work as CreateUsers, yet is named once.
		_, err = f.db.CreateUser(ally.NewOperatorContext(context.Background()), &ally.NewUser{Email: f.alice.Email,
			Name: "Again", Role: ally.RoleReporter, Password: "long enough password"})
		if !strings.HasPrefix(err.Error(), "store: create user: ") || strings.Count(err.Error(), "store:") != 1 ||
			ally.ErrorCode(err) != ally.ECONFLICT {
			t.Fatalf("create user: %v", err)
		}

		// An error that is not a domain error stays internal, and still named.
		ctx, cancel := context.WithCancel(f.as(f.lead))
		cancel()
		_, err = f.db.FindCases(ctx, ally.CaseFilter{})
		if !strings.HasPrefix(err.Error(), "store: find cases: ") || !errors.Is(err, context.Canceled) ||
			ally.ErrorCode(err) != ally.EINTERNAL || ally.ErrorMessage(err) != "internal error" {
			t.Fatalf("find cases, cancelled: %v", err)
		}
	})
}

// TestReadOnlyPostgresSaysSo: on a PostgreSQL server or session that is
// read-only (a standby; here default_transaction_read_only), a write is
// ally.ErrReadOnly, as on a read-only SQLite file
// (TestReadOnlyDatabaseSaysSo); reads still work.
func TestReadOnlyPostgresSaysSo(t *testing.T) {
	if os.Getenv("ALLY_TEST_POSTGRES") == "" {
		t.Skip("needs ALLY_TEST_POSTGRES")
	}
	dsn, op := storetest.DSN(t, "postgres"), ally.NewOperatorContext(context.Background())
	rw, err := store.Open(op, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	if _, err := rw.Migrate(op); err != nil {
		t.Fatal(err)
	}
	ro, err := store.Open(op, dsn+"&default_transaction_read_only=on", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	_, err = ro.CreateUser(op, &ally.NewUser{Email: "b@example.org", Name: "B", Role: ally.RoleReporter,
		Password: "correct horse battery"})
	if !errors.Is(err, ally.ErrReadOnly) || ally.ErrorCode(err) != ally.EUNAVAILABLE {
		t.Fatalf("create user on a read-only server: %v (%q)", err, ally.ErrorMessage(err))
	}
	if _, err := ro.FindUsers(op, "", 10); err != nil {
		t.Fatalf("a read on a read-only server: %v", err)
	}
}
