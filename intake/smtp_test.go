package intake_test

import (
	"context"
	"crypto/tls"
	"net/smtp"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/intake"
	"github.com/allydesk/ally/internal/testcert"
)

func send(addr, from, msg string) error {
	return smtp.SendMail(addr, nil, from, []string{"report@example.org"}, []byte(msg))
}

func TestSMTPOpensOneCase(t *testing.T) {
	each(t, func(t *testing.T, engine string) {
		r := newRig(t, engine)
		addr := r.listen(t, intake.SMTPConfig{})
		msg := report("Sam Lee <sam@example.org>", "r1@example.org", phish)
		if err := send(addr, "sam@example.org", msg); err != nil {
			t.Fatal(err)
		}
		cases := r.cases(t) // 250 came after the commit: the case is there now
		if len(cases) != 1 || cases[0].Source != ally.SourceEmail || cases[0].Reporter.Email != "sam@example.org" {
			t.Fatalf("cases after one report: %+v", cases)
		}
		if err := send(addr, "sam@example.org", msg); err != nil { // a relay retrying
			t.Fatal(err)
		}
		if n := len(r.cases(t)); n != 1 {
			t.Fatalf("the same message twice opened %d cases", n)
		}
		if a := r.ans.all(); len(a) != 1 || !strings.Contains(a[0], cases[0].Ref) {
			t.Errorf("answers: %q", a)
		}
	})
}

func TestSMTPRefusals(t *testing.T) {
	each(t, func(t *testing.T, engine string) {
		r := newRig(t, engine)
		addr := r.listen(t, intake.SMTPConfig{MaxBytes: 64 << 10})
		err := send(addr, "eve@elsewhere.test", report("eve@elsewhere.test", "e1@elsewhere.test", phish))
		wantErr(t, err, "550", "eve@elsewhere.test", "only takes reports from people in the organisation")
		err = send(addr, "sam@example.org", report("sam@example.org", "big@example.org", phish+strings.Repeat(strings.Repeat("x", 78)+"\r\n", 1000)))
		wantErr(t, err, "552", "larger than")
		err = send(addr, "sam@example.org", "Subject: no sender\r\n\r\nhello\r\n")
		wantErr(t, err, "554", "no sender address")
		if n := len(r.cases(t)); n != 0 {
			t.Fatalf("refused messages opened %d cases", n)
		}

		closed := r.listen(t, intake.SMTPConfig{Allow: mustPrefix("10.0.0.0/8")})
		wantErr(t, send(closed, "sam@example.org", report("sam@example.org", "n1@example.org", phish)), "554", "--smtp-allow")

		r.db.Close() // the database is gone: the relay must keep the message and try again
		wantErr(t, send(addr, "sam@example.org", report("sam@example.org", "d1@example.org", phish)), "451", "try again")
	})
}

func TestSMTPStartTLS(t *testing.T) {
	r := newRig(t, "sqlite")
	cert, pool := testcert.SelfSigned(t)
	addr := r.listen(t, intake.SMTPConfig{TLS: &tls.Config{Certificates: []tls.Certificate{cert}}})
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); !ok {
		t.Fatal("STARTTLS not offered with a certificate configured")
	}
	if err := c.StartTLS(&tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail("sam@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("report@example.org"); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(report("sam@example.org", "tls@example.org", phish))); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(r.cases(t)); n != 1 {
		t.Fatalf("cases over STARTTLS: %d", n)
	}
}

func TestSMTPBadInput(t *testing.T) {
	r := newRig(t, "sqlite")
	addr := r.listen(t, intake.SMTPConfig{})

	// 50 MB: over the default limit, refused with a reason, nothing stored.
	big := report("sam@example.org", "huge@example.org", phish+strings.Repeat(strings.Repeat("y", 998)+"\r\n", 50<<10))
	wantErr(t, send(addr, "sam@example.org", big), "552", "larger than 40 MB")

	// Malformed MIME: a multipart with no closing boundary and a broken part still opens a case.
	broken := "From: sam@example.org\r\nSubject: odd\r\nMessage-ID: <broken@example.org>\r\n" +
		"Content-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nContent-Type: message/rfc822\r\n\r\n" + phish +
		"--zz\r\nContent-Type: text/plain; charset=x-unknown\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%not base64"
	if err := send(addr, "sam@example.org", broken); err != nil {
		t.Fatal(err)
	}

	// 500 attachments: one case, the one reported email among them.
	var b strings.Builder
	b.WriteString("From: sam@example.org\r\nSubject: many files\r\nMessage-ID: <many@example.org>\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n" + phish + "\r\n")
	for i := range 499 {
		b.WriteString("--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"f" +
			strings.Repeat("0", i%3) + ".pdf\"\r\n\r\n%PDF-1.4\r\n")
	}
	b.WriteString("--b--\r\n")
	if err := send(addr, "sam@example.org", b.String()); err != nil {
		t.Fatal(err)
	}

	// An inline forward: a case that says the headers were lost.
	fwd := "From: sam@example.org\r\nSubject: Fwd: pay\r\nMessage-ID: <fwd@example.org>\r\n\r\nOdd one.\r\n\r\n" +
		"---------- Forwarded message ---------\r\nFrom: Boss <boss@evil.test>\r\nSubject: pay\r\n\r\nPay now.\r\n"
	if err := send(addr, "sam@example.org", fwd); err != nil {
		t.Fatal(err)
	}

	cases := r.cases(t)
	if len(cases) != 3 {
		t.Fatalf("%d cases, want 3", len(cases))
	}
	lead, _ := r.db.FindUserByEmail(ally.NewOperatorContext(context.Background()), "lee@example.org")
	for _, c := range cases {
		atts, err := r.db.Attachments(ally.NewContextWithUser(context.Background(), lead), c.Ref)
		if err != nil || len(atts) != 1 || atts[0].Analysis == nil {
			t.Errorf("%s: %v, %d attachments", c.Summary, err, len(atts))
		}
	}
	if !strings.Contains(cases[0].Details, "headers were lost") {
		t.Errorf("inline forward details: %q", cases[0].Details)
	}
}
