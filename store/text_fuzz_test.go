package store_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// FuzzStoreText stores hostile text (NUL bytes, broken UTF-8) through every
// kind of text field on every engine (PostgreSQL too when ALLY_TEST_POSTGRES
// is set): nothing may fail with an internal error, both engines must read back
// the same text, and an attachment keeps its original bytes.
func FuzzStoreText(f *testing.F) {
	for _, s := range []string{"plain", "a\x00b", "\x00", "Invoice\x00 overdue", "\xff\xfe", "ok\xc3", "é\x00ü"} {
		f.Add(s)
	}
	type engine struct {
		db             *store.DB
		reporter, resp context.Context
	}
	var engines []engine
	for _, name := range storetest.Engines() {
		db := storetest.Open(f, name, store.Options{})
		op := ally.NewOperatorContext(context.Background())
		var users [2]*ally.User
		for i, r := range []ally.Role{ally.RoleReporter, ally.RoleResponder} {
			u, err := db.CreateUser(op, &ally.NewUser{Email: string(r) + "@example.org", Name: "Test " + string(r),
				Role: r, Password: "correct horse battery"})
			if err != nil {
				f.Fatal(err)
			}
			users[i] = u
		}
		engines = append(engines, engine{db: db, reporter: ally.NewContextWithUser(context.Background(), users[0]),
			resp: ally.NewContextWithUser(context.Background(), users[1])})
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 250 {
			return
		}
		var summaries []string
		for _, e := range engines {
			c, err := e.db.CreateCase(e.reporter, &ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: "x" + s,
				Details: s, Answers: map[string]string{"q": s}})
			if err != nil {
				t.Fatalf("create case with %q: %v", s, err)
			}
			if _, err := e.db.AddMessage(e.reporter, c.Ref, ally.NewMessage{Body: "y" + s}); err != nil {
				t.Fatalf("add message %q: %v", s, err)
			}
			mail := []byte("From: a@example.org\r\nSubject: Invoice" + s + "\r\n\r\nbody" + s + "\r\n")
			a, err := e.db.AddAttachment(e.reporter, c.Ref, ally.NewAttachment{Name: "r" + s + ".eml",
				ContentType: "message/rfc822", Data: mail})
			if err != nil {
				t.Fatalf("add attachment: %v", err)
			}
			_, data, err := e.db.AttachmentData(e.resp, c.Ref, a.ID)
			if err != nil || !bytes.Equal(data, mail) {
				t.Fatalf("attachment bytes changed (err %v)", err)
			}
			if _, err := e.db.Authenticate(context.Background(), s+"@example.org", s); ally.ErrorCode(err) != ally.EUNAUTHORIZED {
				t.Fatalf("sign in with %q: %v, want EUNAUTHORIZED", s, err)
			}
			got, err := e.db.FindCase(e.resp, c.Ref)
			if err != nil {
				t.Fatal(err)
			}
			summaries = append(summaries, got.Summary)
		}
		for _, got := range summaries[1:] {
			if got != summaries[0] {
				t.Fatalf("engines disagree: %q vs %q", got, summaries[0])
			}
		}
	})
}
