// Package intaketest starts a real Dovecot IMAP server for tests and
// delivers mail into it.
package intaketest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/allydesk/ally/intake"
	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// dovecotBin is where Debian's dovecot-imapd puts the server.
const dovecotBin = "/usr/sbin/dovecot"

// StartDovecot runs a real Dovecot on a free loopback port with one user and
// a Maildir in a temporary folder, and returns how to reach it. The test is
// skipped when Dovecot is not installed (apt-get install dovecot-imapd).
func StartDovecot(t testing.TB) intake.IMAPConfig {
	t.Helper()
	return StartDovecotWith(t, "")
}

// StartDovecotWith is StartDovecot with extra lines of configuration, such
// as an imap_capability without IDLE.
func StartDovecotWith(t testing.TB, extra string) intake.IMAPConfig {
	t.Helper()
	if _, err := os.Stat(dovecotBin); err != nil {
		t.Skip("Dovecot is not installed (apt-get install -y dovecot-imapd); skipping the IMAP test")
	}
	dir, err := os.MkdirTemp("", "ally-dovecot-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	login, internal, mailUser := currentUser(t), currentUser(t), currentUser(t)
	if os.Getuid() == 0 { // Dovecot will not run its processes, or keep mail, as root
		login, internal, mailUser = "dovenull", "dovecot", "dovecot"
	}
	mu, err := user.Lookup(mailUser)
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	conf := fmt.Sprintf(`protocols = imap
listen = 127.0.0.1
base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = %[2]s
default_internal_user = %[3]s
first_valid_uid = 0
mail_location = maildir:%[1]s/mail/%%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[1]s/users
}
userdb {
  driver = static
  args = uid=%[4]s gid=%[5]s home=%[1]s/mail/%%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = %[6]d
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
%[7]s
`, dir, login, internal, mu.Uid, mu.Gid, port, extra)
	for name, body := range map[string]string{"dovecot.conf": conf, "users": "report:{PLAIN}s3cret-pass\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mail := filepath.Join(dir, "mail")
	if err := os.Mkdir(mail, 0o755); err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(mu.Uid)
	gid, _ := strconv.Atoi(mu.Gid)
	if err := os.Chown(mail, uid, gid); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	cmd := exec.Command(dovecotBin, "-F", "-c", filepath.Join(dir, "dovecot.conf"))
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			b, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
			t.Logf("dovecot output:\n%s\n%s", logs.String(), b)
		}
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
			t.Fatalf("dovecot did not start:\n%s\n%s", logs.String(), b)
		}
	}
	return intake.IMAPConfig{Addr: addr, User: "report", Password: "s3cret-pass", Folder: "INBOX", Processed: "Processed"}
}

func currentUser(t testing.TB) string {
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	return u.Username
}

func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Mailbox is a test's own IMAP connection: it delivers and looks.
type Mailbox struct {
	t  testing.TB
	cl *imapclient.Client
}

// OpenMailbox signs in to the server as c's user.
func OpenMailbox(t testing.TB, c intake.IMAPConfig) *Mailbox {
	t.Helper()
	cl, err := imapclient.DialInsecure(c.Addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	if err := cl.Login(c.User, c.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	return &Mailbox{t: t, cl: cl}
}

// Deliver appends a message to a folder, as a mail server would.
func (m *Mailbox) Deliver(folder, msg string) {
	m.t.Helper()
	cmd := m.cl.Append(folder, int64(len(msg)), nil)
	if _, err := cmd.Write([]byte(msg)); err != nil {
		m.t.Fatal(err)
	}
	if err := cmd.Close(); err != nil {
		m.t.Fatal(err)
	}
	if _, err := cmd.Wait(); err != nil {
		m.t.Fatal(err)
	}
}

// Count returns how many messages a folder holds (0 when it does not exist).
func (m *Mailbox) Count(folder string) int {
	m.t.Helper()
	st, err := m.cl.Status(folder, &imap.StatusOptions{NumMessages: true}).Wait()
	if err != nil {
		return 0
	}
	return int(*st.NumMessages)
}

// Flagged returns how many messages in folder carry flag.
func (m *Mailbox) Flagged(folder string, flag imap.Flag) int {
	m.t.Helper()
	if _, err := m.cl.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		m.t.Fatal(err)
	}
	defer func() { _ = m.cl.Unselect().Wait() }()
	data, err := m.cl.UIDSearch(&imap.SearchCriteria{Flag: []imap.Flag{flag}}, nil).Wait()
	if err != nil {
		m.t.Fatal(err)
	}
	return len(data.AllUIDs())
}
