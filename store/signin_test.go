package store_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// Issue 14: a sign-in link's token is stored only as a hash, works once,
// and only for the browser that asked; an unknown address gets a ticket no
// one can use and no mail.
func TestSignInTicketsHashedSingleUseBound(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			db := storetest.Open(t, engine, store.Options{Mail: mailtext.Default(), PublicURL: "https://ally.test"})
			ctx := context.Background()
			if _, err := db.CreateUser(ally.NewOperatorContext(ctx), &ally.NewUser{Email: "rita@example.org",
				Name: "Rita Reporter", Role: ally.RoleReporter, Password: "correct horse battery"}); err != nil {
				t.Fatal(err)
			}
			const base = "https://ally.test/login/link/"
			for _, email := range []string{"rita@example.org", "nobody@example.org"} {
				if err := db.SendLink(ctx, ally.TicketLink, email, "browser-a", "/report", base); err != nil {
					t.Fatal(err)
				}
			}
			mail, err := db.QueryForTest(ctx, "SELECT to_addr, body FROM outbox")
			if err != nil {
				t.Fatal(err)
			}
			if len(mail) != 1 || mail[0][0] != "rita@example.org" {
				t.Fatalf("mail queued: %v, want one to rita", mail)
			}
			token := regexp.MustCompile(regexp.QuoteMeta(base) + `([A-Za-z0-9_-]+)`).FindStringSubmatch(mail[0][1])
			if token == nil {
				t.Fatalf("no link in %q", mail[0][1])
			}
			rows, err := db.QueryForTest(ctx, "SELECT hash, kind, browser, data FROM tickets")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if strings.Contains(strings.Join(r, " "), token[1]) {
					t.Fatalf("the token is stored in the clear: %v", r)
				}
			}
			if _, err := db.UseTicket(ctx, ally.TicketLink, token[1], "browser-b"); ally.ErrorCode(err) !=
				ally.EUNAUTHORIZED {
				t.Errorf("another browser: %v, want EUNAUTHORIZED", err)
			}
			tk, err := db.UseTicket(ctx, ally.TicketLink, token[1], "browser-a")
			if err != nil || tk.User == nil || tk.User.Email != "rita@example.org" || tk.Data != "/report" {
				t.Fatalf("its own browser: %+v, %v", tk, err)
			}
			if _, err := db.UseTicket(ctx, ally.TicketLink, token[1], "browser-a"); ally.ErrorCode(err) !=
				ally.EUNAUTHORIZED {
				t.Errorf("a second use: %v, want EUNAUTHORIZED", err)
			}
			if _, err := db.UseTicket(ctx, ally.TicketReset, token[1], "browser-a"); ally.ErrorCode(err) !=
				ally.EUNAUTHORIZED {
				t.Errorf("a sign-in link as a reset link: %v, want EUNAUTHORIZED", err)
			}
		})
	}
}

// Session 7: a person changes their own password by proving the current
// one. A wrong current password, an empty one or a new one that breaks the
// rules change nothing; a change ends every session of the account (not
// another's), keeps API tokens and is audited; accounts with no password,
// integrations and the operator are told why not.
func TestChangePassword(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		const old, fresh = "correct horse battery", "maple kettle orbit tundra"
		mine, err := f.db.CreateSession(ctx, f.alice.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		bobs, err := f.db.CreateSession(ctx, f.bob.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		token, err := f.db.CreateToken(f.as(f.alice), f.alice.Email, "laptop")
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.db.ChangePassword(f.as(f.alice), "not my password", fresh)
		if ally.ErrorCode(err) != ally.EUNAUTHORIZED || ally.ErrorMessage(err) != "Your current password is not right." {
			t.Errorf("a wrong current password: %v", err)
		}
		_, err = f.db.ChangePassword(f.as(f.alice), "", fresh)
		if ally.ErrorCode(err) != ally.EINVALID || !strings.HasPrefix(ally.ErrorMessage(err), "current:") {
			t.Errorf("no current password: %v, want EINVALID naming current", err)
		}
		_, err = f.db.ChangePassword(f.as(f.alice), old, "password1234")
		if ally.ErrorCode(err) != ally.EINVALID || !strings.Contains(ally.ErrorMessage(err), "common passwords") {
			t.Errorf("a common new password: %v, want EINVALID with the rule", err)
		}
		if _, err := f.db.Authenticate(ctx, f.alice.Email, old); err != nil {
			t.Fatalf("the refused changes changed the password: %v", err)
		}
		if _, _, err := f.db.FindSession(ctx, mine.Secret); err != nil {
			t.Fatalf("the refused changes ended a session: %v", err)
		}
		u, err := f.db.ChangePassword(f.as(f.alice), old, fresh)
		if err != nil || u.Email != f.alice.Email {
			t.Fatalf("change: %+v, %v", u, err)
		}
		if _, err := f.db.Authenticate(ctx, f.alice.Email, old); ally.ErrorCode(err) != ally.EUNAUTHORIZED {
			t.Errorf("the old password after the change: %v, want EUNAUTHORIZED", err)
		}
		if _, err := f.db.Authenticate(ctx, f.alice.Email, fresh); err != nil {
			t.Errorf("the new password: %v", err)
		}
		if _, _, err := f.db.FindSession(ctx, mine.Secret); ally.ErrorCode(err) != ally.EUNAUTHORIZED {
			t.Errorf("alice's session after the change: %v, want ended", err)
		}
		if _, _, err := f.db.FindSession(ctx, bobs.Secret); err != nil {
			t.Errorf("bob's session after alice's change: %v", err)
		}
		if _, err := f.db.FindUserByToken(ctx, token); err != nil {
			t.Errorf("alice's API token after the change: %v, want it to keep working", err)
		}
		audit, err := f.db.FindAudit(ally.NewOperatorContext(ctx), 0, 1)
		if err != nil || len(audit) != 1 || audit[0].Action != "user.password" || audit[0].Target != f.alice.Email ||
			audit[0].Detail != "source=self" || audit[0].Actor != f.alice.Email {
			t.Errorf("audit = %+v, %v", audit, err)
		}

		sso, err := f.db.SignInExternal(ctx, ally.ExternalIdentity{Provider: "okta", Subject: "s-1",
			Email: "sam@example.org", EmailVerified: true, Name: "Sam Single"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.db.ChangePassword(f.as(sso), "anything at all", fresh)
		if ally.ErrorCode(err) != ally.EINVALID || !strings.Contains(ally.ErrorMessage(err), "no Ally password") ||
			!strings.Contains(ally.ErrorMessage(err), "single sign-on") {
			t.Errorf("an account with no password: %v, want EINVALID saying how it signs in", err)
		}
		_, err = f.db.ChangePassword(f.as(integration(t, f, "siem")), "anything at all", fresh)
		wantCode(t, err, ally.EFORBIDDEN)
		_, err = f.db.ChangePassword(ally.NewOperatorContext(ctx), "anything at all", fresh)
		wantCode(t, err, ally.EFORBIDDEN)
	})
}
