package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

func TestUsersAndAuth(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := ally.NewOperatorContext(context.Background())
		_, err := f.db.CreateUser(ctx, &ally.NewUser{Email: "ALICE@example.org", Name: "Again", Role: ally.RoleReporter, Password: "long enough password"})
		wantCode(t, err, ally.ECONFLICT)
		_, err = f.db.CreateUser(f.as(f.lead), &ally.NewUser{Email: "x@example.org", Name: "X", Role: ally.RoleReporter, Password: "long enough password"})
		wantCode(t, err, ally.EFORBIDDEN)
		for _, n := range []ally.NewUser{{Email: "nope", Name: "N", Role: ally.RoleReporter, Password: "long enough password"},
			{Email: "n@example.org", Name: "N", Role: "boss", Password: "long enough password"},
			{Email: "n@example.org", Name: "N", Role: ally.RoleReporter, Password: "short"}} {
			_, err := f.db.CreateUser(ctx, &n)
			wantCode(t, err, ally.EINVALID)
		}
		if _, err := f.db.Authenticate(ctx, " Alice@Example.org ", "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		_, err = f.db.Authenticate(ctx, "alice@example.org", "wrong password here")
		wantCode(t, err, ally.EUNAUTHORIZED)
		_, err = f.db.Authenticate(ctx, "ghost@example.org", "correct horse battery")
		wantCode(t, err, ally.EUNAUTHORIZED)

		sess, err := f.db.CreateSession(ctx, f.alice.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if _, u, err := f.db.FindSession(ctx, sess.Secret); err != nil || u.ID != f.alice.ID {
			t.Fatal(u, err)
		}
		tok, err := f.db.CreateToken(ctx, "alice@example.org", "script")
		if err != nil {
			t.Fatal(err)
		}
		if u, err := f.db.FindUserByToken(ctx, tok); err != nil || u.ID != f.alice.ID {
			t.Fatal(u, err)
		}
		_, err = f.db.CreateToken(f.as(f.bob), "alice@example.org", "steal")
		wantCode(t, err, ally.EFORBIDDEN)

		// Disabling ends sessions and tokens and blocks sign-in.
		if _, err := f.db.UpdateUser(f.as(f.admin), "alice@example.org", ally.UserUpdate{Disabled: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.db.FindSession(ctx, sess.Secret)
		wantCode(t, err, ally.EUNAUTHORIZED)
		_, err = f.db.FindUserByToken(ctx, tok)
		wantCode(t, err, ally.EUNAUTHORIZED)
		_, err = f.db.Authenticate(ctx, "alice@example.org", "correct horse battery")
		wantCode(t, err, ally.EUNAUTHORIZED)
		_, err = f.db.UpdateUser(f.as(f.admin), "ada@example.org", ally.UserUpdate{Role: ptr(ally.RoleReporter)})
		wantCode(t, err, ally.ECONFLICT)

		// Sessions expire.
		s2, _ := f.db.CreateSession(ctx, f.bob.ID, time.Minute)
		f.clock.advance(2 * time.Minute)
		_, _, err = f.db.FindSession(ctx, s2.Secret)
		wantCode(t, err, ally.EUNAUTHORIZED)

		audit, err := f.db.FindAudit(f.as(f.admin), 0, 100)
		if err != nil || len(audit) == 0 || audit[0].Action != "user.update" || audit[0].Actor != "ada@example.org" {
			t.Fatalf("audit = %+v %v", audit, err)
		}
		_, err = f.db.FindAudit(f.as(f.resp), 0, 10)
		wantCode(t, err, ally.EFORBIDDEN)
	})
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, e)
			db, err := store.Open(ctx, dsn, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			applied, err := db.Migrate(ctx)
			if err != nil || len(applied) == 0 {
				t.Fatal(applied, err)
			}
			if again, err := db.Migrate(ctx); err != nil || len(again) != 0 {
				t.Fatalf("second migrate applied %v, %v", again, err)
			}
			if err := db.ExecForTest(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Migrate(ctx); err == nil {
				t.Fatal("a newer schema was accepted")
			}
		})
	}
}
