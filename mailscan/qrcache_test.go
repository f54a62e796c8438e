package mailscan

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"testing"
)

// TestQRResultsRemembered: an image read once is not read again (the
// second analysis says the same), and the readings kept stay bounded.
func TestQRResultsRemembered(t *testing.T) {
	saved := qrDecode
	calls := 0
	defer func() { qrDecode = saved; forgetQRResults() }()
	qrDecode = func(lum []byte, w, h int) (string, bool) { calls++; return saved(lum, w, h) }
	forgetQRResults()
	raw := qrMail("From: a@shop.example\nSubject: x\n", "<p>scan</p>",
		mailImage{"code.png", "image/png", qrPNG(t, quishURL), true})
	first, again := mustAnalyze(t, raw, Options{}), mustAnalyze(t, raw, Options{})
	if calls != 1 || !hasSignal(first, "qr-code-link") || !slices.Equal(first.Signals, again.Signals) {
		t.Fatalf("%d reads; signals %v then %v", calls, first.Signals, again.Signals)
	}
	for i := range qrResultsMax + 20 {
		data := fmt.Appendf(nil, "not an image %d", i)
		readQRRemembered(sha256.Sum256(data), "png", data)
	}
	if n := len(qrResults.m); n != qrResultsMax {
		t.Fatalf("%d readings kept, want %d", n, qrResultsMax)
	}
}
