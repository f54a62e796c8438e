package mailscan

import (
	"strings"
	"testing"
)

// Every message below is written for these tests.

// outlookForward is how Outlook forwards a message inline (Portuguese
// labels, an "on behalf of" sender), sent from the reporter's own,
// authenticated domain.
const outlookForward = "Authentication-Results: mx.example-corp.com; dkim=pass header.d=example-corp.com; " +
	"dmarc=pass header.from=example-corp.com\n" +
	"From: Rita Lopes <rita@example-corp.com>\nTo: security@example-corp.com\n" +
	"Subject: ENC: Your PayPal account is limited\nContent-Type: text/html\n\n" +
	"<p>Is this real?</p><hr><div><b>De:</b> relay &lt;x@mailer-7.example&gt; em nome de PayPal Service " +
	"&lt;notice@paypal-limits.example&gt;<br><b>Enviado:</b> terça-feira, 3 de junho de 2025 10:02<br>" +
	"<b>Para:</b> Rita Lopes &lt;rita@example-corp.com&gt;<br><b>Assunto:</b> Your PayPal account is limited</div>" +
	"<p>Dear customer, verify your account within 24 hours: " +
	"<a href=\"https://paypal-limits.example/login\">Sign in</a></p>"

// TestInlineForward: a report forwarded inline is judged by the quoted
// sender, not by the reporter's address and authentication.
func TestInlineForward(t *testing.T) {
	r := mustAnalyze(t, outlookForward, Options{})
	if !hasSignal(r, "reported-inline") || hasSignal(r, "auth-aligned-pass") {
		t.Fatalf("signals %v: want reported-inline and no authentication credit", r.Signals)
	}
	if r.From != "notice@paypal-limits.example" || r.FromName != "PayPal Service" ||
		r.Subject != "Your PayPal account is limited" {
		t.Errorf("read the forward as from %q %q, subject %q", r.FromName, r.From, r.Subject)
	}
	if !hasSignal(r, "display-name-brand") || r.Verdict != VerdictMalicious {
		t.Errorf("quoted PayPal impersonation: %s %d %v", r.Verdict, r.Score, r.Signals)
	}

	gmail := "From: Ana <ana@example-corp.com>\nSubject: Fwd: prize\n\nlook at this\n\n" +
		"---------- Forwarded message ---------\nFrom: Lucky Draw <win@prizes-now.example>\n" +
		"Date: Mon, 2 Jun 2025 at 09:00\nSubject: prize\nTo: <ana@example-corp.com>\n\nYou have won!"
	if from, ok := quotedSender("Fwd: prize", "Fwd: prize\n"+gmail[strings.Index(gmail, "look"):]); !ok ||
		from.addr != "win@prizes-now.example" || from.name != "Lucky Draw" {
		t.Errorf("Gmail forward: %+v %v", from, ok)
	}
	for name, raw := range map[string]string{
		"no forward":          "From: a@example-corp.com\nSubject: notes\n\nFrom: the team\nSubject: ideas for the offsite",
		"prefix but no block": "From: a@example-corp.com\nSubject: Fwd: agenda\n\nAgenda for Monday below.",
		"sender line without a subject line": "From: a@example-corp.com\nSubject: Fwd: x\n\n" +
			"From: Joe <joe@example.org>\n" + strings.Repeat("words ", 200),
	} {
		if r := mustAnalyze(t, raw, Options{}); hasSignal(r, "reported-inline") {
			t.Errorf("%s: read as an inline forward: %v", name, r.Signals)
		}
	}
}

func TestRandomMailbox(t *testing.T) {
	for _, c := range []struct {
		local    string
		freemail bool
		want     string
	}{
		{"mlxlldmcx4c6isrp", false, "mlxlldmcx4c6isrp"},
		{"info235495683446", false, "info235495683446"},
		{"anna_smith_68865", false, "68865"},
		{"bxzqwtrk", true, "bxzqwtrk"},
		{"hamid19099", true, ""},  // people put numbers in their free-mail names
		{"john.smith", false, ""}, // a person
		{"noreply", false, ""},
		{"kevin+dated+1027554588.4a2cc4", false, ""}, // a +tag is the mail system's
		{"invoices-2025", false, ""},
		{"12345", false, ""},
	} {
		if got := randomMailbox(c.local, c.freemail); got != c.want {
			t.Errorf("randomMailbox(%q, %v) = %q, want %q", c.local, c.freemail, got, c.want)
		}
	}
}

func TestFindShortLinks(t *testing.T) {
	got := findShortLinks("Claim at bit.ly/x7Kq now, or (cutt.us/abc). Not https://bit.ly/zz, "+
		"not mybit.ly/a, not example.com/path, not bit.ly/", 10)
	want := []string{"https://bit.ly/x7Kq", "https://cutt.us/abc)."}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("findShortLinks = %q, want %q", got, want)
	}
	r := mustAnalyze(t, "From: a@b.example\nSubject: 500 USDT for you cutt.us/q1w2\n\nhi", Options{})
	if !hasSignal(r, "url-shortener") {
		t.Errorf("shortener in the subject: %v", r.Signals)
	}
	r = mustAnalyze(t, "From: a@b.example\nSubject: free\n\nGo to https://shop.example/path now", Options{})
	if len(r.IOCs.URLs) != 1 {
		t.Errorf("a URL written with a scheme is read once: %v", r.IOCs.URLs)
	}
}

func TestPlusAmount(t *testing.T) {
	for in, want := range map[string]string{
		"You have +$4,811 waiting":          "+$4,811",
		"withdraw your +13185$ today":       "+13185 $",
		"balance: +2.975 ETH":               "+2.975 eth",
		"Total: $4,811 (+ tax)":             "",
		"Call +44 20 7946 0000":             "",
		"Save 20% + free shipping over $50": "",
		"score +12":                         "",
		"+€1.500 voor jou":                  "+€1.500",
		"Payroll deposit +$2,450.00":        "",
		"Gutschrift +1.500,00 EUR":          "",
	} {
		if got := plusAmount(in); got != want {
			t.Errorf("plusAmount(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBrandFromPersonal: a brand in the subject or mailbox name, sent from
// free mail or an app platform.
func TestBrandFromPersonal(t *testing.T) {
	checkSignals(t, []signalCase{
		{"parcel brand from free mail", "From: pakket7781@gmail.com\nSubject: PostNL: uw pakket wacht\n\nhi",
			"brand-from-personal", true},
		{"brand in mailbox on a platform", "From: paypal-service@proj-1.firebaseapp.com\nSubject: hello\n\nhi",
			"brand-from-personal", true},
		{"brand from its own domain", "From: noreply@postnl.nl\nSubject: PostNL: uw pakket\n\nhi",
			"brand-from-personal", false},
		{"brand from a company", "From: news@shop.example\nSubject: PostNL delivery times\n\nhi",
			"brand-from-personal", false},
		{"a person's mail about a brand's own free mail", "From: joe@gmail.com\nSubject: my gmail is full\n\nhi",
			"brand-from-personal", false},
	})
}

func TestRecipientInSubject(t *testing.T) {
	checkSignals(t, []signalCase{
		{"address in subject", "From: a@b.example\nTo: jane@example-corp.com\n" +
			"Subject: Jane@Example-Corp.com, your reward is waiting\n\nhi", "recipient-in-subject", true},
		{"name in subject", "From: a@b.example\nTo: jane@example-corp.com\nSubject: Jane, your order\n\nhi",
			"recipient-in-subject", false},
	})
}

// TestLinksOutsideDNS: a host with a top-level domain that does not exist
// (a typo in a mailing-list post) raises no link signal.
func TestLinksOutsideDNS(t *testing.T) {
	checkSignals(t, []signalCase{
		{"typo TLD", "From: a@b.example\nSubject: hi\n\nsee http://uk.my.yahoo.comm/ for it", "link-lookalike", false},
		{"real TLD", "From: a@b.example\nSubject: hi\n\nsee http://uk.my.yahoo.com.login-check.info/", "link-lookalike",
			true},
	})
	if realTLD("intranet") || realTLD("x.comm") || !realTLD("x.co.uk") || !realTLD("x.xn--p1ai") ||
		!realTLD("shop.example") {
		t.Error("realTLD misreads a top-level domain")
	}
}

// TestFreeMailOfferCorroborates: a free-mail account offering what scams
// offer is two kinds of evidence; a person's question from free mail is
// not.
func TestFreeMailOfferCorroborates(t *testing.T) {
	checkSignals(t, []signalCase{
		{"crypto offer from free mail", "From: stella77@gmail.com\nSubject: withdraw your bitcoin\n\n" +
			"Your bitcoin wallet is ready: withdraw now. Reply to this email.\nReply-To: stella77@gmail.com",
			"several-kinds", true},
		{"password question from free mail", "From: mike@yahoo.co.uk\nSubject: router question\n\n" +
			"How do I update your password page? see https://router.example/help", "several-kinds", false},
	})
}

// TestBodyNamingManyBrands: a digest naming several brands speaks for
// none of them, so its links are not a brand mismatch.
func TestBodyNamingManyBrands(t *testing.T) {
	digest := "From: news@digest.example\nSubject: This week\n\nMicrosoft and Microsoft news, Google and Google, " +
		"Amazon, Netflix, PayPal price changes. Update your payment at https://digest.example/sub"
	single := "From: news@digest.example\nSubject: Notice\n\nPayPal: your PayPal payment failed. " +
		"Update your payment at https://digest.example/sub"
	checkSignals(t, []signalCase{
		{"digest", digest, "brand-link-mismatch", false},
		{"one brand", single, "brand-link-mismatch", true},
	})
}

// TestKindOfRiskyTLD: a scam-prone top-level domain is sender evidence on
// the sender's address and link evidence on a link.
func TestKindOfRiskyTLD(t *testing.T) {
	if k := kindOf(Signal{ID: "risky-tld", Evidence: "sender domain a.shop"}); k != "sender" {
		t.Errorf("sender's risky TLD is kind %q", k)
	}
	if k := kindOf(Signal{ID: "risky-tld", Evidence: "link to a.shop"}); k != "links" {
		t.Errorf("link's risky TLD is kind %q", k)
	}
	r := mustAnalyze(t, "From: anna_smith_68865@mail.offers.shop\nSubject: deal\n\nGet it at bit.ly/x7Kq", Options{})
	if !hasSignal(r, "several-kinds") {
		t.Errorf("throwaway sender and a hidden link: %v", r.Signals)
	}
}

// TestContactElsewhere: a request to write to another free-mail account,
// not an address in a quoted reply or a signature.
func TestContactElsewhere(t *testing.T) {
	checkSignals(t, []signalCase{
		{"write me elsewhere", "From: anna@mail.example\nSubject: hi\n\nI am lonely. Write me at anna.k1990@gmail.com :)",
			"contact-elsewhere", true},
		{"pt", "From: a@b.example\nSubject: oi\n\nEscreva para joana.r77@hotmail.com hoje", "contact-elsewhere", true},
		{"quoted reply", "From: a@b.example\nSubject: Re: x\n\nOn Monday, joe.smith@yahoo.com wrote:\n> please write",
			"contact-elsewhere", false},
		{"forward header", "From: a@b.example\nSubject: x\n\nFrom: Joe <joe@gmail.com>\nwrite soon", "contact-elsewhere",
			false},
		{"company address", "From: a@b.example\nSubject: x\n\nPlease write to support@b.example", "contact-elsewhere", false},
		{"sender's own", "From: anna.k1990@gmail.com\nSubject: x\n\nWrite me at anna.k1990@gmail.com", "contact-elsewhere",
			false},
		{"address without a request", "From: a@b.example\nSubject: x\n\nThanks to joe.smith@yahoo.com for the patch",
			"contact-elsewhere", false},
	})
}
