package ally_test

import (
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailin"
)

func TestMailCase(t *testing.T) {
	m := &mailin.Message{Subject: "Fwd: hmm", From: "sam@example.org", SenderUnverified: true, Tool: mailin.ToolCofense, Label: mailin.LabelPhishing,
		Note: "Got this twice.", Agent: map[string]string{"Reporter agent": "Cofense Reporter 5.2"},
		Reported: []mailin.Reported{{Subject: "Invoice overdue", HeadersLost: true, Simulation: "gophish-rid"}},
		Problems: []string{"odd.msg is an Outlook .msg file"}}
	n := ally.MailCase(m)
	if n.Kind != ally.KindSuspiciousEmail || n.Summary != "Reported by email: Invoice overdue" {
		t.Errorf("kind %s, summary %q", n.Kind, n.Summary)
	}
	for _, want := range []string{"Got this twice.", "Sent with Cofense Reporter, marked by the reporter as phishing.",
		"Reporter agent: Cofense Reporter 5.2", "headers were lost", "1 of the 1 reported emails are practice emails",
		"Not used: odd.msg is an Outlook .msg file.", "could not confirm it came from sam@example.org"} {
		if !strings.Contains(n.Details, want) {
			t.Errorf("details lack %q:\n%s", want, n.Details)
		}
	}
	if err := n.Validate(); err != nil {
		t.Error(err)
	}

	plain := ally.MailCase(&mailin.Message{Subject: strings.Repeat("long subject ", 40), Note: "A call asked for my code."})
	if plain.Kind != ally.KindOther || len(plain.Summary) > 120 || !strings.HasSuffix(plain.Summary, "…") ||
		plain.Details != "A call asked for my code." {
		t.Errorf("nothing reported: %+v", plain)
	}
}
