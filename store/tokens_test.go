package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

// Issue 20 F9: tokens expire, record their last use, can be listed and
// revoked (one, or all of a person's), and disabling an account deletes them
// so that enabling it again revives none.
func TestTokenLifecycle(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		op := ally.NewOperatorContext(context.Background())
		short, err := f.db.IssueToken(op, ally.NewToken{Email: f.alice.Email, Name: "short", TTL: 2 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		long, _ := f.db.CreateToken(op, f.alice.Email, "long")
		other, _ := f.db.CreateToken(op, f.bob.Email, "bob's")
		if _, err := f.db.FindUserByToken(context.Background(), short); err != nil {
			t.Fatal(err)
		}
		toks, err := f.db.FindTokens(f.as(f.alice), f.alice.Email)
		if err != nil || len(toks) != 2 {
			t.Fatalf("alice's tokens: %v %v", toks, err)
		}
		byName := map[string]*ally.Token{}
		for _, tk := range toks {
			byName[tk.Name] = tk
		}
		if byName["short"].LastUsedAt == nil || byName["long"].LastUsedAt != nil {
			t.Errorf("last used: short %v, long %v", byName["short"].LastUsedAt, byName["long"].LastUsedAt)
		}
		if want := f.clock.t.Add(ally.DefaultTokenTTL); !byName["long"].ExpiresAt.Equal(want) {
			t.Errorf("default expiry %v, want %v", byName["long"].ExpiresAt, want)
		}
		if all, _ := f.db.FindTokens(f.as(f.admin), ""); len(all) != 3 {
			t.Errorf("admin sees %d tokens, want 3", len(all))
		}
		_, err = f.db.FindTokens(f.as(f.alice), f.bob.Email)
		wantCode(t, err, ally.EFORBIDDEN)
		_, err = f.db.RevokeTokens(f.as(f.bob), "", byName["long"].ID)
		wantCode(t, err, ally.EFORBIDDEN)
		_, err = f.db.IssueToken(op, ally.NewToken{Email: f.alice.Email, TTL: 400 * 24 * time.Hour})
		wantCode(t, err, ally.EINVALID)

		f.clock.advance(3 * time.Hour) // the short token has expired
		_, err = f.db.FindUserByToken(context.Background(), short)
		wantCode(t, err, ally.EUNAUTHORIZED)
		if n, err := f.db.RevokeTokens(f.as(f.alice), "", byName["long"].ID); err != nil || n != 1 {
			t.Fatalf("revoke by id: %d %v", n, err)
		}
		_, err = f.db.FindUserByToken(context.Background(), long)
		wantCode(t, err, ally.EUNAUTHORIZED)

		yes, no := true, false
		if _, err := f.db.UpdateUser(op, f.bob.Email, ally.UserUpdate{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.UpdateUser(op, f.bob.Email, ally.UserUpdate{Disabled: &no}); err != nil {
			t.Fatal(err)
		}
		_, err = f.db.FindUserByToken(context.Background(), other)
		wantCode(t, err, ally.EUNAUTHORIZED)

		again, _ := f.db.CreateToken(op, f.bob.Email, "again")
		if n, err := f.db.RevokeTokens(op, f.bob.Email, ""); err != nil || n != 1 {
			t.Fatalf("revoke by email: %d %v", n, err)
		}
		_, err = f.db.FindUserByToken(context.Background(), again)
		wantCode(t, err, ally.EUNAUTHORIZED)
		_, err = f.db.RevokeTokens(op, "", "")
		wantCode(t, err, ally.EINVALID)
	})
}
