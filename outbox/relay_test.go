package outbox_test

import (
	"context"
	"crypto/tls"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally/internal/testcert"
	"github.com/allydesk/ally/outbox"
	"github.com/allydesk/ally/outbox/outboxtest"
)

func TestParseRelay(t *testing.T) {
	good := map[string]string{
		"smtp://mail.example.org:587":                 "smtp://mail.example.org:587?tls=starttls",
		"smtp://mail.example.org:465":                 "smtp://mail.example.org:465?tls=implicit",
		"smtp://u:p@mail.example.org:25?tls=starttls": "smtp://u:xxxxx@mail.example.org:25?tls=starttls",
		"smtp://u:p@127.0.0.1:2525?tls=none":          "smtp://u:xxxxx@127.0.0.1:2525?tls=none",
	}
	for in, want := range good {
		r, err := outbox.ParseRelay(in)
		if err != nil || r.String() != want {
			t.Errorf("ParseRelay(%q) = %v, %v; want %s", in, r, err, want)
		}
	}
	bad := map[string]string{
		"mail.example.org:587":                    "must start with smtp://",
		"http://mail.example.org:587":             "must start with smtp://",
		"smtp://mail.example.org":                 "needs a host and a port",
		"smtp://mail.example.org:587?tls=maybe":   "tls=maybe is not a TLS mode",
		"smtp://mail.example.org:587?tsl=none":    `unknown setting "tsl"`,
		"smtp://u:p@mail.example.org:25?tls=none": "password would cross the network unencrypted",
		"smtp://mail.example.org:587/x":           "has a path",
	}
	for in, want := range bad {
		_, err := outbox.ParseRelay(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseRelay(%q) = %v; want an error saying %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), ":p@") {
			t.Errorf("ParseRelay(%q) shows the password: %v", in, err)
		}
	}
}

// selfSigned returns a server config for 127.0.0.1 and a client config that
// trusts it.
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	cert, pool := testcert.SelfSigned(t)
	return &tls.Config{Certificates: []tls.Certificate{cert}}, &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

func dial(t *testing.T, url string, clientTLS *tls.Config) error {
	t.Helper()
	r, err := outbox.ParseRelay(url)
	if err != nil {
		t.Fatal(err)
	}
	r.TLSConfig = clientTLS
	c, err := r.Dial(context.Background(), time.Second)
	if err == nil {
		c.Close()
	}
	return err
}

func TestRelayTLSAndSignIn(t *testing.T) {
	srvTLS, cliTLS := selfSigned(t)
	starttls := outboxtest.Start(t, "127.0.0.1:0", srvTLS, false)
	starttls.User = "ally"
	implicit := outboxtest.Start(t, "127.0.0.1:0", srvTLS, true)
	plain := outboxtest.Start(t, "127.0.0.1:0", nil, false)
	ok := []string{
		"smtp://ally:secret@" + starttls.Addr + "?tls=starttls",
		"smtp://" + implicit.Addr + "?tls=implicit",
		"smtp://" + plain.Addr + "?tls=none",
	}
	for _, u := range ok {
		if err := dial(t, u, cliTLS); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	bad := map[string]string{
		"smtp://ally:wrong@" + starttls.Addr + "?tls=starttls": "refused the user name or password",
		"smtp://" + plain.Addr + "?tls=starttls":               "does not offer STARTTLS",
		"smtp://" + plain.Addr + "?tls=implicit":               "TLS with the relay",
		"smtp://ally:secret@" + plain.Addr + "?tls=none":       "refused the user name or password",
	}
	for u, want := range bad {
		if err := dial(t, u, cliTLS); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v; want an error saying %q", u, err, want)
		}
	}
	if err := dial(t, "smtp://"+implicit.Addr+"?tls=implicit", nil); err == nil ||
		!strings.Contains(err.Error(), "certificate") {
		t.Errorf("an untrusted certificate: %v", err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	if err := dial(t, "smtp://"+addr+"?tls=none", nil); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("nobody listening: %v", err)
	}
}

func TestCheckSendsATestMessage(t *testing.T) {
	srvTLS, cliTLS := selfSigned(t)
	r := outboxtest.Start(t, "127.0.0.1:0", srvTLS, false)
	relay, _ := outbox.ParseRelay("smtp://" + r.Addr)
	relay.TLSConfig = cliTLS
	steps, err := outbox.Check(context.Background(), relay, "Ally <report@example.org>", "sam@example.org", time.Second)
	if err != nil || len(steps) != 3 || !strings.Contains(steps[1], "encrypted with TLS (starttls)") {
		t.Fatalf("steps %q, %v", steps, err)
	}
	if got := r.Messages(); len(got) != 1 || got[0].To != "sam@example.org" {
		t.Fatalf("relay got %v", got)
	}
	r.Mode.Store(outboxtest.Refuse)
	if _, err := outbox.Check(context.Background(), relay, "report@example.org", "nobody@example.org", time.Second); err == nil ||
		!strings.Contains(err.Error(), "refused RCPT TO") {
		t.Fatalf("a refused recipient: %v", err)
	}
}
