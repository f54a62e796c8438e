package mailin

import (
	"encoding/base64"
	"os"
	"strings"
	"testing"
)

// crlf turns a readable message into wire form.
func crlf(s string) []byte {
	return []byte(strings.ReplaceAll(strings.TrimLeft(s, "\n"), "\n", "\r\n"))
}

const phish = `From: "IT Desk" <it-desk@examp1e-support.com>
To: sam@example.org
Subject: Your password expires today
Message-ID: <phish-1@examp1e-support.com>
Date: Mon, 7 Dec 2026 09:00:00 +0000
Content-Type: text/plain; charset=utf-8

Keep your password: https://examp1e-support.com/login
`

func attached(subject, extra, body string) []byte {
	return crlf(`
From: Sam Lee <Sam@Example.org>
To: report@example.org
Subject: ` + subject + `
Message-ID: <r1@example.org>
` + extra + `MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

` + body + `
--b1
Content-Type: message/rfc822
Content-Disposition: attachment; filename="Your password expires today.eml"

` + phish + `
--b1--
`)
}

func TestParseFormats(t *testing.T) {
	tests := []struct {
		name    string
		raw     []byte
		tool    Tool
		label   Label
		subject string
		reports int
		lost    bool
	}{
		{"attached rfc822", attached("Fwd: odd mail", "", "This looks wrong."), ToolMail, LabelNone, "Fwd: odd mail", 1, false},
		{"microsoft 3|", attached("3|Your password expires today", "", ""), ToolMicrosoft, LabelPhishing,
			"Your password expires today", 1, false},
		{"microsoft Junk:", attached("Junk: offer", "", ""), ToolMicrosoft, LabelJunk, "offer", 1, false},
		{"microsoft 2|", attached("2|hello", "", ""), ToolMicrosoft, LabelNotJunk, "hello", 1, false},
		{"microsoft Not junk:", attached("Not junk: hi", "", ""), ToolMicrosoft, LabelNotJunk, "hi", 1, false},
		{"knowbe4", attached("[Phish Alert] odd", "X-Mailer: Phish Alert Button 1.10\n", "Reported by: Sam"),
			ToolKnowBe4, LabelNone, "[Phish Alert] odd", 1, false},
		{"cofense agent section", attached("Suspicious", "",
			"Cofense Reporter\nReporter agent: Cofense Reporter 5.2\nReported by: sam@example.org"),
			ToolCofense, LabelNone, "Suspicious", 1, false},
		{"gmail inline forward", crlf(`
From: sam@example.org
Subject: Fwd: Your password expires today
Content-Type: text/plain; charset=utf-8

Is this real?

---------- Forwarded message ---------
From: IT Desk <it-desk@examp1e-support.com>
Date: Mon, 7 Dec 2026 at 09:00
Subject: Your password expires today
To: <sam@example.org>

Keep your password: https://examp1e-support.com/login
`), ToolMail, LabelNone, "Fwd: Your password expires today", 1, true},
		{"outlook inline forward in html", crlf(`
From: sam@example.org
Subject: FW: invoice
Content-Type: text/html; charset=utf-8

<p>Please check</p><div>________________________________</div><div><b>From:</b> Billing &lt;b@evil.test&gt;<br>
<b>Sent:</b> Monday, 7 December 2026 09:00<br><b>To:</b> Sam<br><b>Subject:</b> invoice<br></div>
<p>Pay <a href="https://evil.test/pay?x=1">here</a></p>
`), ToolMail, LabelNone, "FW: invoice", 1, true},
		{"no report at all", crlf(`
From: sam@example.org
Subject: a weird phone call
Content-Type: text/plain

Someone called asking for my code.
`), ToolMail, LabelNone, "a weird phone call", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(tt.raw, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if m.Tool != tt.tool || m.Label != tt.label || m.Subject != tt.subject || len(m.Reported) != tt.reports ||
				m.HeadersLost() != tt.lost {
				t.Fatalf("got tool=%s label=%q subject=%q reports=%d lost=%v, want %s %q %q %d %v", m.Tool, m.Label,
					m.Subject, len(m.Reported), m.HeadersLost(), tt.tool, tt.label, tt.subject, tt.reports, tt.lost)
			}
			if m.From != "sam@example.org" {
				t.Errorf("from = %q", m.From)
			}
			if tt.tool == ToolCofense && m.Agent["Reporter agent"] != "Cofense Reporter 5.2" {
				t.Errorf("agent section: %q", m.Agent)
			}
		})
	}
}

func TestInlineForwardKeepsQuotedHeaderAndLinks(t *testing.T) {
	m, err := Parse(crlf(`
From: sam@example.org
Subject: FW: invoice
Content-Type: text/html; charset=utf-8

<p>Please check</p><div>________________________________</div><div><b>From:</b> Billing &lt;b@evil.test&gt;<br>
<b>Sent:</b> Monday, 7 December 2026 09:00<br><b>Subject:</b> invoice<br></div>
<p>Pay <a href="https://evil.test/pay?x=1">here</a></p>
`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := string(m.Reported[0].Data)
	for _, want := range []string{"From: Billing <b@evil.test>\r\n", "Subject: invoice\r\n", "Date: Monday",
		"https://evil.test/pay?x=1"} {
		if !strings.Contains(got, want) {
			t.Errorf("forward lacks %q:\n%s", want, got)
		}
	}
	if m.Note != "Please check" {
		t.Errorf("note = %q", m.Note)
	}
}

func TestSeveralReportedMessages(t *testing.T) {
	raw := crlf(`
From: sam@example.org
Subject: three of these today
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain

All three came this morning.
--b1
Content-Type: message/rfc822

` + phish + `
--b1
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="second.eml"

` + phish + `
--b1
Content-Type: message/rfc822

` + strings.Replace(phish, "Subject: Your", "X-PHISHTEST: 1234\nSubject: Your", 1) + `
--b1--
`)
	m, err := Parse(raw, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Reported) != 3 || m.Reported[1].Name != "second.eml" || m.Note != "All three came this morning." ||
		m.Reported[1].Subject != "Your password expires today" {
		t.Fatalf("reported %d, names %q, note %q", len(m.Reported), m.Reported[1].Name, m.Note)
	}
	if m.Reported[0].Simulation != "" || m.Reported[2].Simulation != "knowbe4-header" || m.Simulation() {
		t.Errorf("simulation marks: %q %q, all=%v", m.Reported[0].Simulation, m.Reported[2].Simulation, m.Simulation())
	}
}

func TestSimulationRules(t *testing.T) {
	gophish := strings.Replace(phish, "login\n", "login?rid=a1B2c3\n", 1)
	tests := []struct {
		name  string
		msg   string
		rules []Rule
		want  string
	}{
		{"phishtest header", strings.Replace(phish, "Date:", "X-PHISHTEST: x\nDate:", 1), nil, "knowbe4-header"},
		{"gophish header", strings.Replace(phish, "Date:", "X-Gophish-Contact: a@b\nDate:", 1), nil, "gophish-header"},
		{"gophish rid", gophish, nil, "gophish-rid"},
		{"real phish", phish, nil, ""},
		{"rules off", gophish, []Rule{}, ""},
		{"custom header value", strings.Replace(phish, "Date:", "X-Sim: campaign=7\nDate:", 1),
			[]Rule{{Name: "ours", Header: "x-sim", Contains: "CAMPAIGN"}}, "ours"},
		{"custom header other value", strings.Replace(phish, "Date:", "X-Sim: none\nDate:", 1),
			[]Rule{{Name: "ours", Header: "X-Sim", Contains: "campaign"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := walk(crlf(tt.msg))
			if err != nil {
				t.Fatal(err)
			}
			if got := (Options{Rules: tt.rules}).simulation(w); got != tt.want {
				t.Errorf("simulation = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSenderUnverified(t *testing.T) {
	for h, want := range map[string]bool{
		"Authentication-Results: mx.example.org; dmarc=fail (p=none) header.from=example.org": true,
		"Authentication-Results: mx.example.org; spf=fail; dkim=fail":                         true,
		"Authentication-Results: mx.example.org; spf=fail; dkim=pass; dmarc=pass":             false,
		"X-Other: 1": false,
	} {
		m, err := Parse(crlf("From: a@example.org\n"+h+"\n\nHi\n"), Options{})
		if err != nil || m.SenderUnverified != want {
			t.Errorf("%s: unverified = %v, want %v (%v)", h, m != nil && m.SenderUnverified, want, err)
		}
	}
}

func TestAutoReply(t *testing.T) {
	for _, h := range []string{"Auto-Submitted: auto-replied", "Precedence: bulk", "Precedence: junk",
		"X-Autoreply: yes", "Content-Type: multipart/report; report-type=delivery-status; boundary=x"} {
		m, err := Parse(crlf("From: a@example.org\nSubject: Out of office\n"+h+"\n\nAway.\n"), Options{})
		if err != nil || !m.AutoReply {
			t.Errorf("%s: auto reply = %v, %v", h, m != nil && m.AutoReply, err)
		}
	}
	m, _ := Parse(crlf("From: a@example.org\nAuto-Submitted: no\n\nHi\n"), Options{})
	if m.AutoReply {
		t.Error("Auto-Submitted: no is a person")
	}
}

func TestRefusals(t *testing.T) {
	if _, err := Parse([]byte(" \r\n"), Options{}); err == nil {
		t.Error("empty message accepted")
	}
	if _, err := Parse(crlf("Subject: no sender\n\nhi\n"), Options{}); err != ErrNoSender {
		t.Errorf("no sender: %v", err)
	}
	m, err := Parse(crlf(`
From: sam@example.org
Subject: report
Content-Type: multipart/mixed; boundary=b

--b
Content-Type: application/vnd.ms-outlook
Content-Disposition: attachment; filename="odd.msg"

not really a compound file
--b--
`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Reported) != 0 || len(m.Problems) != 1 || !strings.Contains(m.Problems[0], "Forward as attachment") ||
		!strings.Contains(m.Problems[0], "odd.msg is named as an Outlook email (.msg), but it is not an Outlook email") {
		t.Errorf(".msg: reported %d, problems %q", len(m.Reported), m.Problems)
	}
}

// TestOutlookMsgReport: a report carrying a real Outlook .msg file opens
// with that email, converted, its arrival headers kept.
func TestOutlookMsgReport(t *testing.T) {
	raw, err := os.ReadFile("../outlookmsg/testdata/mscfb-test.msg")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("From: sam@example.org\r\nSubject: Phishing: look at this\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nOdd one.\r\n" +
		"--b\r\nContent-Type: application/vnd.ms-outlook\r\nContent-Transfer-Encoding: base64\r\n" +
		"Content-Disposition: attachment; filename=\"Invoice due.msg\"\r\n\r\n")
	b.WriteString(base64.StdEncoding.EncodeToString(raw))
	b.WriteString("\r\n--b--\r\n")
	m, err := Parse([]byte(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Reported) != 1 || len(m.Problems) != 0 {
		t.Fatalf("reported %d, problems %q", len(m.Reported), m.Problems)
	}
	r := m.Reported[0]
	if r.Name != "Invoice due.eml" || r.Subject != "test" || r.HeadersLost ||
		!strings.Contains(string(r.Data), "Received: from EXCHANGE.records.nsw.gov.au") {
		t.Errorf("reported %q %q lost=%v", r.Name, r.Subject, r.HeadersLost)
	}
}

func TestManyParts(t *testing.T) {
	var b strings.Builder
	b.WriteString("From: sam@example.org\nSubject: many\nContent-Type: multipart/mixed; boundary=b\n\n")
	for range 500 {
		b.WriteString("--b\nContent-Type: message/rfc822\n\n" + phish + "\n")
	}
	b.WriteString("--b--\n")
	m, err := Parse(crlf(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Reported) != MaxReports || len(m.Problems) == 0 {
		t.Errorf("reported %d (want %d), problems %q", len(m.Reported), MaxReports, m.Problems)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(attached("3|x", "", "hi"))
	f.Add(attached("x", "X-Mailer: Phish Alert\n", "Cofense Reporter\nA: b"))
	f.Add(crlf("From: a@b.c\nSubject: Fwd\n\n---------- Forwarded message ---------\nFrom: x\nSubject: y\n\nbody\n"))
	f.Add(crlf("From: a@b.c\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: multipart/mixed\n\n--b--"))
	f.Add([]byte("From: a@b.c\r\nContent-Type: text/html\r\n\r\n<a href=\"http://x/?rid=1\">x</a>"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw, Options{})
		if err != nil {
			return
		}
		if m.From == "" || len(m.Reported) > MaxReports || len(m.Note) > maxNote+len("…") {
			t.Fatalf("bad result: from %q, %d reported, note %d bytes", m.From, len(m.Reported), len(m.Note))
		}
		for _, r := range m.Reported {
			if len(r.Data) == 0 {
				t.Fatal("empty reported message")
			}
		}
	})
}
