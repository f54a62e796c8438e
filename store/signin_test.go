package store_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

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
