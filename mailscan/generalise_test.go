package mailscan

import (
	"regexp"
	"strings"
	"testing"
)

// TestTokenizeReadsTextAsItLooks: styled, look-alike, invisible and
// combining characters fold to the plain words a reader sees.
func TestTokenizeReadsTextAsItLooks(t *testing.T) {
	for in, want := range map[string]string{
		"𝐏𝐥𝐞𝐚𝐬𝐞 𝐮𝐩𝐝𝐚𝐭𝐞":              "please update",
		"𝗢𝗽𝗲𝗻 𝗡𝗼𝘄 2024":              "open now 2024",
		"Ｖｅｒｉｆｙ ａｃｃｏｕｎｔ":             "verify account",
		"Ⓟⓐⓨⓟⓐⓛ":                     "paypal",
		"Раураl aᥴcount":             "paypal account",
		"pass\u200bword re\u00adset": "password reset",
		"Coܿnfiܿrmܿation e̷ntrega":   "confirmation entrega",
		"Größe façade":               "grosse facade",
	} {
		if got := strings.Join(tokenize(in), " "); got != want {
			t.Errorf("tokenize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMeasureDisguise(t *testing.T) {
	cases := []struct {
		in                       string
		styled, mixed, invisible int
	}{
		{"plain words, Größe, Москва, ｶﾀｶﾅ", 0, 0, 0},
		{"𝐔𝐫𝐠𝐞𝐧𝐭", 6, 0, 0},
		{"Pаypаl", 0, 2, 0},
		{"aܿlܿert", 0, 2, 0},
		{"a\u200bb\u200b", 0, 0, 2},
	}
	for _, c := range cases {
		d := measureDisguise(c.in)
		if d.styled != c.styled || d.mixed != c.mixed || d.invisible != c.invisible {
			t.Errorf("measureDisguise(%q) = %+v, want styled %d mixed %d invisible %d", c.in, d, c.styled, c.mixed, c.invisible)
		}
	}
}

func TestNoiseToken(t *testing.T) {
	for in, want := range map[string]string{
		"Transação pendente - YydtzJJTBFBvIBDBt9jk": "YydtzJJTBFBvIBDBt9jk",
		"Liberação Pendente - eTlEhzBoS1JyavZ":      "eTlEhzBoS1JyavZ",
		"Invoice INV-2024-000123 for ACME":          "",
		"Meeting with McDonaldsCorp on JavaScript":  "",
		"Re: PR 1234 feature/AddUserLogin":          "",
		"PowerShell and iPhone updates":             "",
	} {
		if got := noiseToken(in); got != want {
			t.Errorf("noiseToken(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRandomLabel(t *testing.T) {
	for host, want := range map[string]string{
		"fztiy.bowenscarff.com":               "",
		"xvcbnhjhgngbfd38.maroc.live":         "xvcbnhjhgngbfd38",
		"z9uppzk2wq.com":                      "z9uppzk2wq",
		"mindspring.com":                      "",
		"delta407.homeip.net":                 "",
		"2020tourism.com":                     "",
		"mail.example-corp.co.uk":             "",
		"strengths.example":                   "",
		"newsletter.financaspessoais.example": "",
	} {
		if got := randomLabel(host); got != want {
			t.Errorf("randomLabel(%q) = %q, want %q", host, got, want)
		}
	}
}

// TestBrandList checks the brand data: enough brands, every one with keys
// and registrable domains, keys written as tokenize writes them, no key or
// domain claimed by two brands, and ordinary-word keys that exist.
func TestBrandList(t *testing.T) {
	if n := len(rules.brands); n < 300 {
		t.Errorf("%d brands, want at least 300", n)
	}
	keyRE := regexp.MustCompile(`^[a-z0-9]{2,}$`)
	domainRE := regexp.MustCompile(`^([a-z0-9-]+\.)+[a-z]{2,}$`)
	keys := map[string]string{}
	for _, b := range rules.brands {
		if b.Name == "" || len(b.Keys) == 0 || len(b.Domains) == 0 {
			t.Errorf("brand %+v needs a name, keys and domains", b)
		}
		for _, k := range b.Keys {
			if !keyRE.MatchString(k) {
				t.Errorf("%s: key %q is not lower-case letters and digits", b.Name, k)
			}
			if other, dup := keys[k]; dup {
				t.Errorf("key %q belongs to both %s and %s", k, other, b.Name)
			}
			keys[k] = b.Name
		}
		for _, d := range b.Domains {
			if !domainRE.MatchString(d) {
				t.Errorf("%s: %q is not a lower-case domain name", b.Name, d)
			}
		}
	}
	for k := range rules.wordKeys {
		if rules.brandByKey[k] == nil {
			t.Errorf("word key %q names no brand", k)
		}
	}
}

// TestBrandSignals: a brand named in the display name or by the sender's
// domain is checked against the brand's own domains, and ordinary words
// that are also brand names do not make a look-alike.
func TestBrandSignals(t *testing.T) {
	cases := []signalCase{
		{"brand among other words", "From: \"Banco Bradesco - Protocolo 1234\" <sac@promo-mail.example>\n\nhi", "display-name-brand", true},
		{"two words run together", "From: \"Trust Wallet Support\" <support@trust-wallet-help.example>\n\nhi", "display-name-brand", true},
		{"brand from its own domain", "From: \"Trust Wallet\" <news@trustwallet.com>\n\nhi", "display-name-brand", false},
		{"ordinary word is no brand in a name", "From: \"Indeed a fine shell\" <x@news.example>\n\nhi", "display-name-brand", false},
		{"ordinary word is no look-alike domain", "From: a@discover-weekly.example\n\nhi", "sender-lookalike", false},
		{"typo of a brand", "From: a@mercadolivrre.example\n\nhi", "sender-lookalike", true},
		{"brand's country domain", "From: \"Yahoo\" <a@yahoo.co.uk>\n\nhi", "sender-lookalike", false},
	}
	checkSignals(t, cases)
}

// TestScamThemesAndInfrastructure: signals for what scams are about, in
// several languages, and for where throwaway senders live.
func TestScamThemesAndInfrastructure(t *testing.T) {
	cases := []signalCase{
		{"pt points", "From: a@b.example\nSubject: Seus pontos expiram hoje\n\nResgate seus pontos em https://pontos.example/x",
			"scam-theme-strong", true},
		{"nl parcel", "From: a@b.example\nSubject: Uw pakket\n\nUw pakket kon niet worden bezorgd. Betaal de verzendkosten: https://x.example", "scam-theme", true},
		{"it tax refund", "From: a@b.example\nSubject: Rimborso fiscale\n\nHai diritto a un rimborso: https://x.example", "scam-theme", true},
		{"crypto airdrop", "From: a@b.example\nSubject: 𝗔𝗶𝗿𝗱𝗿𝗼𝗽 live\n\nConnect your wallet to claim the airdrop https://x.example", "scam-theme", true},
		{"one mention, no link", "From: a@b.example\nSubject: lunch\n\nMy package arrived.", "scam-theme", false},
		{"one word in three languages counts once", "From: a@b.example\nSubject: gratis\n\ngratis https://x.example",
			"scam-theme", false},
		{"full of scam themes", "From: a@b.example\nSubject: Airdrop\n\nClaim your airdrop: connect your wallet, " +
			"withdraw your bitcoin, free gift https://x.example", "scam-theme-strong", true},
		{"tenant sender", "From: \"Support\" <it@fgdjdyh.onmicrosoft.com>\n\nhi", "sender-platform", true},
		{"company sender", "From: it@example-corp.com\n\nhi", "sender-platform", false},
		{"random sender", "From: a@z9uppzk2wq.com\n\nhi", "random-sender", true},
		{"styled subject", "From: a@b.example\nSubject: 𝐒𝐔𝐂𝐂𝐄𝐒𝐒𝐅𝐔𝐋 offer\n\nhi", "disguised-letters", true},
		{"invisible in subject", "From: a@b.example\nSubject: pay\u200bpal\n\nhi", "invisible-text", true},
		{"noise in subject", "From: a@b.example\nSubject: Pendente - YydtzJJTBFBvIBDBt9jk\n\nhi", "noise-token", true},
		{"number in the name", "From: \"Banco - 720051476726826\" <a@b.example>\n\nhi", "noise-token", true},
	}
	checkSignals(t, cases)
}

// TestThrowawayGetsNoAuthCredit: a domain registered for a scam passes
// SPF and DKIM; its pass must not lower the score.
func TestThrowawayGetsNoAuthCredit(t *testing.T) {
	const ar = "Authentication-Results: mx; dkim=pass header.d=%s; dmarc=pass header.from=%s\n"
	ok := mustAnalyze(t, strings.ReplaceAll(ar, "%s", "shop.example")+"From: a@shop.example\n\nhi", Options{})
	throwaway := mustAnalyze(t, strings.ReplaceAll(ar, "%s", "z9uppzk2wq.com")+"From: a@z9uppzk2wq.com\n\nhi", Options{})
	if !hasSignal(ok, "auth-aligned-pass") || hasSignal(throwaway, "auth-aligned-pass") {
		t.Errorf("aligned pass: ordinary %v, throwaway %v", ok.Signals, throwaway.Signals)
	}
}

// signalCase is a message and whether it should raise a signal.
type signalCase struct {
	name, raw, id string
	want          bool
}

func checkSignals(t *testing.T, cases []signalCase) {
	t.Helper()
	for _, c := range cases {
		r := mustAnalyze(t, c.raw, Options{})
		if got := hasSignal(r, c.id); got != c.want {
			t.Errorf("%s: signal %s = %v, want %v (signals %v)", c.name, c.id, got, c.want, r.Signals)
		}
	}
}

// TestHTMLTricks: hidden padding and picture-only bodies, and the
// ordinary hidden preheader of a newsletter that must not count.
func TestHTMLTricks(t *testing.T) {
	html := func(body string) string {
		return "From: a@b.example\nSubject: hi\nContent-Type: text/html\n\n<html><body>" + body + "</body></html>"
	}
	padding := strings.Repeat("weather report garden recipe ", 10)
	checkSignals(t, []signalCase{
		{"hidden padding", html(`<div style="DISPLAY: none">` + padding + `</div><p>Pay now</p>`), "hidden-text", true},
		{"nested hidden padding", html(`<div style="font-size:0px"><div>` + padding + `</div></div><p>x</p>`), "hidden-text", true},
		{"short preheader", html(`<span style="display:none">Our autumn news</span><p>Hello</p>`), "hidden-text", false},
		{"visible text", html(`<div style="color:#333">` + padding + `</div>`), "hidden-text", false},
		{"picture and a link", html(`<a href="https://x.example/a"><img src="https://x.example/i.png"></a>`), "image-only", true},
		{"picture with words", html(`<img src="https://x.example/i.png"><p>` + padding + `</p><a href="https://x.example/">more</a>`),
			"image-only", false},
	})
	if hidesContent([]byte(`<p class="x">`)) || !hidesContent([]byte(`<td style='visibility : hidden'>`)) {
		t.Error("hidesContent misreads a tag")
	}
}

// TestReporterSummaryPromisesNothing: the automatic analysis blocks
// nothing, so what the reporter reads never says it was blocked, and a
// message judged safe is never followed by a warning about its links.
func TestReporterSummaryPromisesNothing(t *testing.T) {
	for _, raw := range []string{
		"From: \"PayPal\" <x@paypa1-support.example>\nSubject: Verify your account\n\nVerify your account now https://paypa1-support.example/login",
		"From: Sam <sam@example-corp.com>\nSubject: lunch\n\nSee you at noon.",
	} {
		s := mustAnalyze(t, raw, Options{}).ReporterSummary
		low := strings.ToLower(s)
		if strings.Contains(low, "block") || strings.Contains(low, "looks safe") && strings.Contains(low, "click") {
			t.Errorf("summary promises or contradicts: %q", s)
		}
	}
}
