package intake_test

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/intake"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// phish is a reported email.
const phish = "From: \"IT Desk\" <it-desk@examp1e-support.com>\r\nTo: sam@example.org\r\n" +
	"Subject: Your password expires today\r\nMessage-ID: <p1@examp1e-support.com>\r\n" +
	"Date: Mon, 7 Dec 2026 09:00:00 +0000\r\nContent-Type: text/plain\r\n\r\n" +
	"Keep your password now: https://examp1e-support.com/login\r\n"

// report is a message from sender with id, carrying reported as an attachment.
func report(sender, id, reported string) string {
	return "From: " + sender + "\r\nTo: report@example.org\r\nSubject: Fwd: odd\r\nMessage-ID: <" + id + ">\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nThis looks wrong.\r\n" +
		"--b\r\nContent-Type: message/rfc822\r\n\r\n" + reported + "\r\n--b--\r\n"
}

// answers records what intake asks the outbox to send.
type answers struct {
	mu   sync.Mutex
	sent []string
}

func (a *answers) Answer(_ context.Context, to, subject, text, inReplyTo, ref string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sent = append(a.sent, to+"|"+ref+"|"+text)
	return nil
}

func (a *answers) all() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.sent...)
}

// rig is a real database with a reporter account, and intake over it.
type rig struct {
	db  *store.DB
	in  *intake.Intake
	ans *answers
}

func newRig(t testing.TB, engine string) *rig {
	t.Helper()
	return newRigWith(t, engine, store.Options{})
}

// newRigWith is newRig with store options (mail on, for instance).
func newRigWith(t testing.TB, engine string, opts store.Options) *rig {
	t.Helper()
	db := storetest.Open(t, engine, opts)
	if _, err := db.CreateUser(ally.NewOperatorContext(context.Background()), &ally.NewUser{Email: "sam@example.org", Name: "Sam Lee",
		Role: ally.RoleReporter, Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateUser(ally.NewOperatorContext(context.Background()), &ally.NewUser{Email: "lee@example.org", Name: "Lee Lead",
		Role: ally.RoleLead, Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	a := &answers{}
	return &rig{db: db, ans: a, in: intake.New(intake.Config{Mail: db, Domains: []string{"corp.example"}, Answerer: a})}
}

// cases lists every case, as the lead sees them.
func (r *rig) cases(t testing.TB) []*ally.Case {
	t.Helper()
	lead, err := r.db.FindUserByEmail(ally.NewOperatorContext(context.Background()), "lee@example.org")
	if err != nil {
		t.Fatal(err)
	}
	page, err := r.db.FindCases(ally.NewContextWithUser(context.Background(), lead), ally.CaseFilter{Limit: ally.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// listen starts the SMTP listener on a free loopback port.
func (r *rig) listen(t testing.TB, c intake.SMTPConfig) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := r.in.NewSMTPServer(c)
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(func() { s.Close() })
	return ln.Addr().String()
}

func each(t *testing.T, fn func(t *testing.T, engine string)) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) { fn(t, e) })
	}
}

func mustPrefix(s string) []netip.Prefix { return []netip.Prefix{netip.MustParsePrefix(s)} }

// wantErr fails unless err holds every want.
func wantErr(t testing.TB, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one with %q", want)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
}
