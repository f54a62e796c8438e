package mailscan

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseModelRejectsCorruptLines(t *testing.T) {
	for _, bad := range []string{"bias\tx\n", "w:a\n", "w:a\tNaN\n", "w:a\t+Inf\n", "z:a\t1\n"} {
		if _, err := parseModel([]byte(bad)); err == nil {
			t.Errorf("parseModel(%q) accepted a corrupt line", bad)
		}
	}
	m, err := parseModel([]byte("# c\nbias\t-1.5\nw:wallet\t2\ns:scam-theme\t1\n"))
	if err != nil || m.bias != -1.5 || m.words["wallet"] != 2 || m.signals["scam-theme"] != 1 {
		t.Fatalf("parseModel = %+v, %v", m, err)
	}
}

// TestModelScoreExplains: each distinct word counts once, and the words
// that weighed most toward scam come back to explain the verdict.
func TestModelScoreExplains(t *testing.T) {
	m, err := parseModel([]byte("bias\t-2\nw:wallet\t1.5\nw:claim\t1\nw:meeting\t-1\ns:scam-theme\t0.5\n"))
	if err != nil {
		t.Fatal(err)
	}
	p1, top := m.score(tokenize("Claim your wallet wallet wallet now"), []Signal{{ID: "scam-theme"}})
	if want := 1 / (1 + math.Exp(-(-2 + 1.5 + 1 + 0.5))); p1 != want {
		t.Errorf("p = %v, want %v (each word once)", p1, want)
	}
	var got []string
	for _, w := range top {
		got = append(got, w.feature)
	}
	if strings.Join(got, ",") != "wallet,claim,signal scam-theme" {
		t.Errorf("top = %v", got)
	}
	p2, _ := m.score(tokenize("meeting about the wallet"), nil)
	if p2 >= p1 {
		t.Errorf("p(meeting) = %v not below p(claim wallet) = %v", p2, p1)
	}
}

// TestDefaultModel: the embedded model loads, is small, and speaks for the
// model-phish signal with the words that weighed most.
func TestDefaultModel(t *testing.T) {
	if n := len(defaultModel.words) + len(defaultModel.signals); n < 1000 || len(modelTSV) > 2<<20 {
		t.Errorf("default model has %d features in %d bytes", n, len(modelTSV))
	}
	r := mustAnalyze(t, "From: \"Rewards\" <win@promo.example>\nSubject: Congratulations! You have won\n\n"+
		"Congratulations you have been selected! Claim your free prize now, click here to receive your cash bonus. "+
		"Limited time offer, act now, 100% free, no obligation. Click here http://promo.example/claim\n", Options{})
	var sig *Signal
	for i := range r.Signals {
		if strings.HasPrefix(r.Signals[i].ID, "model-phish") {
			sig = &r.Signals[i]
		}
	}
	if sig == nil || !strings.Contains(sig.Evidence, "weighed most:") {
		t.Fatalf("no model signal with words on an obvious scam: %v", r.Signals)
	}
	benign := mustAnalyze(t, "From: Sam <sam@example-corp.com>\nSubject: notes from Tuesday\n\n"+
		"Hi all, attached are my notes from Tuesday's planning meeting. The build scripts moved to the tools repo; "+
		"please review the patch before Friday. Thanks, Sam\n", Options{})
	for _, s := range benign.Signals {
		if strings.HasPrefix(s.ID, "model-phish") {
			t.Errorf("model flagged an ordinary work note: %v", s)
		}
	}
}

// TestModelFileIsSorted keeps the generated file reviewable and
// reproducible: a bias line, then features in byte order.
func TestModelFileIsSorted(t *testing.T) {
	var keys []string
	for _, line := range bytes.Split(modelTSV, []byte("\n")) {
		if len(line) == 0 || line[0] == '#' || bytes.HasPrefix(line, []byte("bias\t")) {
			continue
		}
		k, _, _ := strings.Cut(string(line), "\t")
		keys = append(keys, k)
	}
	if !sort.StringsAreSorted(keys) {
		t.Error("model.tsv features are not sorted: regenerate it with go generate ./mailscan")
	}
}

// TestDevCorpus measures the rules and the default model on the
// development corpus when it is present (see docs/mailscan.md): phishing
// collected up to October 2024 (samples up to 4228, the part looked at
// while tuning), phishing after it (never looked at while tuning), and the
// benign mail. The bars are the figures recorded in the docs, less a
// margin: the test fails when a change makes real-mail figures worse.
func TestDevCorpus(t *testing.T) {
	root := devCorpus(t)
	var older, newer, ham Eval
	files, _ := filepath.Glob(filepath.Join(root, "phish", "sample-*.eml"))
	for _, f := range files {
		n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "sample-"), ".eml"))
		e := &older
		if n > 4228 {
			e = &newer
		}
		e.Add(analyseFile(t, f), true)
	}
	files, _ = filepath.Glob(filepath.Join(root, "ham", "*.eml"))
	for _, f := range files {
		ham.Add(analyseFile(t, f), false)
	}
	t.Logf("older phishing %d/%d, newer phishing %d/%d, benign flagged %d/%d",
		older.PhishFlagged, older.Phish, newer.PhishFlagged, newer.Phish, ham.HamFlagged, ham.Ham)
	if older.Detection() < 0.90 || newer.Detection() < 0.80 || ham.FalseAlarmRate() > 0.015 {
		t.Errorf("below the recorded figures: older %.1f%% (want ≥ 90), newer %.1f%% (want ≥ 80), false alarms %.1f%% (want ≤ 1.5)",
			100*older.Detection(), 100*newer.Detection(), 100*ham.FalseAlarmRate())
	}
}

// devCorpus is the development corpus's folder, ../shared/corpora/email-dev
// beside the project's checkout (or ALLY_EMAIL_DEV); the test is skipped
// when it is absent or in -short mode.
func devCorpus(t *testing.T) string {
	root := filepath.Join("..", "..", "shared", "corpora", "email-dev")
	if dir := os.Getenv("ALLY_EMAIL_DEV"); dir != "" {
		root = dir
	}
	if _, err := os.Stat(filepath.Join(root, "phish")); err != nil {
		t.Skipf("development corpus not at %s (set ALLY_EMAIL_DEV): %v", root, err)
	}
	if testing.Short() {
		t.Skip("reads 2,200 messages")
	}
	return root
}

// TestDevCorpusLearned exercises learning on the development corpus: the
// organisation's model learns the older phishing and the first half of the
// benign mail (by number), and is measured on the newer phishing and the
// other half. The targets are ≥ 95% and ≤ 1%; the bars are the
// figures recorded in docs/mailscan.md less a margin (95.2% and 1.0% with
// character n-grams, session 4). Nothing learned here is kept.
func TestDevCorpusLearned(t *testing.T) {
	root := devCorpus(t)
	var ex []*Example
	var labels []bool
	var test []struct {
		path  string
		phish bool
	}
	add := func(path string, phish, learn bool) {
		if !learn {
			test = append(test, struct {
				path  string
				phish bool
			}{path, phish})
			return
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if e, err := NewExample(raw, Options{}); err == nil {
			ex, labels = append(ex, e), append(labels, phish)
		}
	}
	files, _ := filepath.Glob(filepath.Join(root, "phish", "sample-*.eml"))
	for _, f := range files {
		n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "sample-"), ".eml"))
		add(f, true, n <= 4228)
	}
	files, _ = filepath.Glob(filepath.Join(root, "ham", "easy-ham-2-*.eml"))
	for _, f := range files {
		n, _ := strconv.Atoi(strings.SplitN(strings.TrimPrefix(filepath.Base(f), "easy-ham-2-"), ".", 2)[0])
		add(f, false, n <= 700)
	}
	m := NewOrgModel()
	m.Learn(ex, labels, make([]string, len(ex)), time.Now())
	var e Eval
	for _, c := range test {
		raw, err := os.ReadFile(c.path)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Analyze(raw, Options{Org: m})
		if err != nil {
			r = &Report{Verdict: VerdictClean}
		}
		e.Add(r, c.phish)
	}
	t.Logf("learned %d; newer phishing %d/%d, second half of the benign mail flagged %d/%d", len(ex),
		e.PhishFlagged, e.Phish, e.HamFlagged, e.Ham)
	if e.Detection() < 0.94 || e.FalseAlarmRate() > 0.015 {
		t.Errorf("after learning: detection %.1f%% (want ≥ 94), false alarms %.1f%% (want ≤ 1.5)",
			100*e.Detection(), 100*e.FalseAlarmRate())
	}
}

func analyseFile(t *testing.T, path string) *Report {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Analyze(raw, Options{})
	if err != nil {
		return &Report{Verdict: VerdictClean, Source: path}
	}
	r.Source = path
	return r
}
