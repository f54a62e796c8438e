package mailscan

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// readBulk analyses one of the bulk-mail fixtures (testdata/bulk, written
// for these tests).
func readBulk(t *testing.T, name string) *Report {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "bulk", name))
	if err != nil {
		t.Fatal(err)
	}
	return mustAnalyze(t, string(raw), Options{})
}

// TestBulkSenderRecognised: authenticated marketing with list headers is
// named as marketing, to the reporter and in the JSON, and the credit can
// bring a newsletter that mailing services made look odd (a machine-made
// mailbox, a tracker that names the reader, "Dear customer") under the line.
func TestBulkSenderRecognised(t *testing.T) {
	for _, name := range []string{"shop-sale.eml", "esp-newsletter.eml", "shop-sale-tracked.eml"} {
		r := readBulk(t, name)
		if !hasSignal(r, "bulk-sender") || r.Bulk == nil {
			t.Errorf("%s: not recognised as bulk mail: %s", name, r.ResponderSummary)
			continue
		}
		if r.Verdict != VerdictClean || !strings.Contains(r.ReporterSummary, "marketing email") {
			t.Errorf("%s: %s, %q", name, r.Verdict, r.ReporterSummary)
		}
	}
	// Without the credit the tracked sale would be suspicious (53 - 10).
	if r := readBulk(t, "shop-sale-tracked.eml"); r.Score != 23 || signalOf(r, "bulk-sender").Weight != -20 {
		t.Errorf("shop-sale-tracked.eml: score %d, want 23", r.Score)
	}
	r := readBulk(t, "esp-newsletter.eml")
	want := &BulkSender{Domain: "riverbendbooks.org", ListID: "riverbendbooks.org",
		Unsubscribe: []string{"https://riverbendbooks.us21.list-manage.com/unsubscribe?u=ab12&id=cd34&e=9f"}}
	if !reflect.DeepEqual(r.Bulk, want) {
		t.Errorf("esp-newsletter.eml: bulk %+v, want %+v", r.Bulk, want)
	}
	if r := readBulk(t, "shop-sale.eml"); !r.Bulk.OneClick || len(r.Bulk.Unsubscribe) != 2 {
		t.Errorf("shop-sale.eml: bulk %+v", r.Bulk)
	}
}

// TestBulkHeadersDoNotClearPhishing: list headers are easy to fake, so
// they never count alone and any real phishing sign wins.
func TestBulkHeadersDoNotClearPhishing(t *testing.T) {
	cases := map[string]string{
		// a throwaway domain that passes DMARC and fakes every list header
		"phish-fake-unsubscribe.eml": VerdictMalicious,
		// a brand's domain forged (DMARC fails), with list headers
		"phish-forged-brand.eml": VerdictMalicious,
		// genuine-looking, but unsubscribing goes to someone else's site
		"unsub-elsewhere.eml": VerdictClean,
		// list headers and nothing that vouches for the sender
		"unauthenticated-list.eml": VerdictClean,
	}
	for name, verdict := range cases {
		r := readBulk(t, name)
		if hasSignal(r, "bulk-sender") || r.Bulk != nil || strings.Contains(r.ReporterSummary, "marketing") {
			t.Errorf("%s: recognised as bulk mail: %+v", name, r.Bulk)
		}
		if r.Verdict != verdict {
			t.Errorf("%s: %s (%d), want %s", name, r.Verdict, r.Score, verdict)
		}
	}
}

// TestBulkStrongSignalWins: the genuine sale with one phishing sign added
// (a sign-in request, a shortener, a program attached) is not recognised.
func TestBulkStrongSignalWins(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "bulk", "shop-sale.eml"))
	if err != nil {
		t.Fatal(err)
	}
	sale := string(raw)
	edits := map[string]func(string) string{
		"sign-in request": func(s string) string {
			return strings.Replace(s, "Our winter sale is here.", "Verify your account to keep your discount.", 1)
		},
		"shortener": func(s string) string {
			return strings.Replace(s, "https://lindenhomeware.com/sale/rugs", "https://bit.ly/3xRugs", 1)
		},
		"inline forward": func(s string) string {
			return strings.Replace(s, "<p>Hi Sam,</p>", "<p>---------- Forwarded message ---------<br>"+
				"From: Linden Homeware &lt;offers@lindenhomeware.com&gt;<br>Subject: sale</p>", 1)
		},
	}
	for name, edit := range edits {
		changed := edit(sale)
		if changed == sale {
			t.Fatalf("%s: the edit did not apply", name)
		}
		if r := mustAnalyze(t, changed, Options{}); hasSignal(r, "bulk-sender") {
			t.Errorf("%s: still recognised as bulk mail: %s", name, r.ResponderSummary)
		}
	}
}

// TestBulkJSONOmitted: reports of other mail keep their JSON as before (no
// "bulk" key); recognised bulk mail adds it.
func TestBulkJSONOmitted(t *testing.T) {
	for name, want := range map[string]bool{"phish-fake-unsubscribe.eml": false, "shop-sale.eml": true} {
		b, err := json.Marshal(readBulk(t, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(b), `"bulk":{"domain":`); got != want {
			t.Errorf("%s: bulk in JSON %v, want %v", name, got, want)
		}
	}
}

func TestParseListUnsubscribe(t *testing.T) {
	cases := map[string][]string{
		"<https://a.example/u?x=1>, <mailto:u@b.example?subject=stop>":    {"a.example", "b.example"},
		"(comment) <mailto:list-request@c.example>":                       {"c.example"},
		"<https://d.example/very/\r\n long>":                              {"d.example"},
		"<ftp://e.example/u>, <javascript:alert(1)>, <https://f.example>": {"f.example"},
		"https://g.example/no-brackets":                                   nil,
		"<https://h.example/unclosed":                                     nil,
		"<mailto:two@at@i.example>, <mailto:>, <https://localhost/u>":     nil,
		"<https://paypal.com@evil.example/u>":                             {"evil.example"},
		"":                                                                nil,
	}
	for in, want := range cases {
		var got []string
		for _, u := range parseListUnsubscribe(in) {
			got = append(got, u.host)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: hosts %v, want %v", in, got, want)
		}
	}
	many := strings.Repeat("<https://j.example/u>,", 20)
	if n := len(parseListUnsubscribe(many)); n != maxUnsubscribeURIs {
		t.Errorf("20 addresses: kept %d, want %d", n, maxUnsubscribeURIs)
	}
	long := "<https://k.example/" + strings.Repeat("a", maxUnsubscribeLen) + ">"
	if n := len(parseListUnsubscribe(long)); n != 0 {
		t.Errorf("an address over %d bytes was kept", maxUnsubscribeLen)
	}
}

// FuzzParseListUnsubscribe: any header value is read without panic, within
// the bounds, and every address kept has a scheme and host as checked.
func FuzzParseListUnsubscribe(f *testing.F) {
	f.Add("<https://a.example/u?x=1>, <mailto:u@b.example?subject=stop>")
	f.Add("(c) <mailto:list-request@c.example>")
	f.Add("<https://paypal.com@evil.example/u>, <https://[::1]/x>, <mailto:%40@x.example>")
	f.Add("<<<>>>,<,>")
	f.Fuzz(func(t *testing.T, v string) {
		uris := parseListUnsubscribe(v)
		if len(uris) > maxUnsubscribeURIs {
			t.Fatalf("%d addresses kept", len(uris))
		}
		for _, u := range uris {
			if len(u.raw) > maxUnsubscribeLen || u.host == "" || !strings.Contains(u.host, ".") {
				t.Fatalf("kept %+v", u)
			}
			if u.scheme != "https" && u.scheme != "http" && u.scheme != "mailto" {
				t.Fatalf("kept scheme %q", u.scheme)
			}
		}
	})
}
