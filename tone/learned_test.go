package tone

import (
	"bytes"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestModelEmbedded: the built-in engine carries the model, within size.
func TestModelEmbedded(t *testing.T) {
	m := Default().Model()
	if m == nil {
		t.Fatal("the embedded model did not load; run go generate ./tone/...")
	}
	if len(defaultModelGz) > 10<<20 {
		t.Errorf("the model adds %d bytes to the binary, more than 10 MB", len(defaultModelGz))
	}
	if mem := 4 * (len(m.Weights) + len(m.KindW)); mem > 30<<20 {
		t.Errorf("the model takes %d bytes of memory, more than 30 MB", mem)
	}
	if m.Threshold <= 0 || m.Threshold >= 1 || m.ReplyThreshold <= 0 || m.ReplyThreshold >= 1 {
		t.Errorf("thresholds %v and %v are not probabilities", m.Threshold, m.ReplyThreshold)
	}
}

// TestReplyThreshold: a sentence on its own is judged at the sentence
// threshold, and a sentence in a reply (two sentences or more the model
// scores) at the reply threshold; a short greeting does not make a reply.
func TestReplyThreshold(t *testing.T) {
	alone := "The filter caught this one early."
	reply := alone + " We removed it from every mailbox."
	greeted := "Hi Sam. " + alone
	m := *Default().Model()
	m.Threshold, m.ReplyThreshold = 0, 1.01 // the model flags every sentence alone, none in a reply
	e := Default().WithModel(&m)
	if !e.Check(alone, AudienceResponder).Blame || !e.Check(greeted, AudienceResponder).Blame {
		t.Errorf("a sentence on its own was not judged at the sentence threshold")
	}
	if res := e.Check(reply, AudienceResponder); res.Blame {
		t.Errorf("a reply was not judged at the reply threshold: %+v", res.Findings)
	}
	m.Threshold, m.ReplyThreshold = 1.01, 0
	e = Default().WithModel(&m)
	if e.Check(alone, AudienceResponder).Blame || !e.Check(reply, AudienceResponder).Blame {
		t.Errorf("the thresholds were swapped or ignored")
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if back.Threshold != m.Threshold || back.ReplyThreshold != m.ReplyThreshold {
		t.Errorf("thresholds %v and %v read back as %v and %v",
			m.Threshold, m.ReplyThreshold, back.Threshold, back.ReplyThreshold)
	}
}

// TestLearnedFinding: a blaming sentence no rule knows is flagged on the
// clause that carries the blame, with the kind named and a kinder clause
// that can replace exactly that span.
func TestLearnedFinding(t *testing.T) {
	text := "Hi Sam, the laptop is clean now. Going forward, try not to plug in USB sticks you find in the car park. Thanks!"
	res := Default().Check(text, AudienceReporter)
	if !res.Blame {
		t.Fatalf("not flagged: %+v", res)
	}
	var got []Finding
	for _, f := range res.Findings {
		if strings.HasPrefix(f.Rule, learnedRulePrefix) {
			got = append(got, f)
		}
	}
	if len(got) != 1 {
		t.Fatalf("want one model finding, got %+v", res.Findings)
	}
	f := got[0]
	if f.Match != "try not to plug in USB sticks you find in the car park" {
		t.Errorf("span %q should be the blaming clause, not the sentence or message", f.Match)
	}
	k := Kinds[kindIndex(strings.TrimPrefix(f.Rule, learnedRulePrefix))]
	if f.Message != k.Message || f.Category != k.Category || f.Severity != SeverityError {
		t.Errorf("finding does not name its kind: %+v", f)
	}
	// The web page's "Use this wording" replaces the span with a suggestion
	// that holds no colon or quotes (web/static/ally.js, rewrite).
	if f.Suggestion == "" || strings.ContainsAny(f.Suggestion, ":\"“”") {
		t.Errorf("suggestion %q cannot replace the clause as it is", f.Suggestion)
	}
}

// TestKindsNamed: each kind of blame from the issue, in words no rule
// has, is flagged and named.
func TestKindsNamed(t *testing.T) {
	for text, kind := range map[string]string{
		"Typical finance user.": "shaming",
		"Going forward, try not to plug in USB sticks you find in the car park.": "advice",
	} {
		res := Default().Check(text, AudienceResponder)
		if !res.Blame || !res.has(learnedRulePrefix+kind) {
			t.Errorf("%q: want %s%s, got %+v", text, learnedRulePrefix, kind, res.Findings)
		}
	}
}

// TestRulesAndModelNeverDoubleUp: over every corpus, no model finding
// shares words with another blaming finding.
func TestRulesAndModelNeverDoubleUp(t *testing.T) {
	for _, file := range []string{"corpus/holdout.jsonl", "corpus/holdout_replies.jsonl", "testdata/corpus.jsonl"} {
		for _, it := range readCorpus(t, file) {
			fs := Default().Check(it.Text, AudienceReporter).Findings
			for i, m := range fs {
				if !strings.HasPrefix(m.Rule, learnedRulePrefix) {
					continue
				}
				for j, f := range fs {
					if i != j && IsBlaming(f.Category) && f.Start < m.End && m.Start < f.End {
						t.Errorf("%s: %s and %s overlap: %q", it.ID, m.Rule, f.Rule, it.Text)
					}
				}
			}
		}
	}
}

func readCorpus(t *testing.T, file string) []Labelled {
	t.Helper()
	fh, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	items, err := ReadLabelled(fh)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return items
}

// TestOrgLayer: a lead's "reads as blaming" flags a similar message; "is
// fine" clears a model finding and softens a rule's error to a warning.
func TestOrgLayer(t *testing.T) {
	base := Default()
	similar := "Full pineapple on the invoice today."
	if base.Check(similar, AudienceResponder).Blame {
		t.Fatalf("the built-in engine already flags %q", similar)
	}
	ruled := "You should have checked the sender first, Priya."
	if !base.Check(ruled, AudienceResponder).Blame {
		t.Fatal("the rules should flag the should-have sentence")
	}
	// A sentence only the model flags (which ones depends on training).
	modelled := ""
	for _, s := range []string{"Typical finance user.", "We need a name for the incident report.",
		"Going forward, try not to plug in USB sticks you find in the car park."} {
		if res := base.Check(s, AudienceResponder); res.Blame && strings.HasPrefix(res.Findings[0].Rule, learnedRulePrefix) {
			modelled = s
			break
		}
	}
	if modelled == "" {
		t.Fatal("the model flags none of the candidate sentences")
	}
	org := base.WithOrgExamples([]Labelled{
		{Text: "Dana went full pineapple on that invoice.", Blame: true},
		{Text: "You should have checked the sender first, Dana.", Blame: false},
		{Text: modelled, Blame: false},
	}, nil)
	if org == base {
		t.Fatal("the examples were not used")
	}
	res := org.Check(similar, AudienceResponder)
	if !res.Blame || !res.has(orgRule) || !strings.Contains(res.Findings[0].Message, "Your team marked") {
		t.Errorf("the team's blaming example should flag %q: %+v", similar, res.Findings)
	}
	res = org.Check(ruled, AudienceResponder)
	if res.Blame || !res.has("should-have") {
		t.Errorf("the team's fine example should soften the rule on %q: %+v", ruled, res.Findings)
	}
	if res := org.Check(modelled, AudienceResponder); res.Blame {
		t.Errorf("the team's fine example should clear %q: %+v", modelled, res.Findings)
	}
	if !base.Check(ruled, AudienceResponder).Blame {
		t.Error("the organisation layer changed the built-in engine")
	}
}

// TestCorruptOrgFallsBack: examples that cannot be used leave the
// built-in engine in place, with a warning in the log.
func TestCorruptOrgFallsBack(t *testing.T) {
	for name, items := range map[string][]Labelled{
		"empty text":   {{Text: "  ", Blame: true}},
		"not UTF-8":    {{Text: "bad \xff\xfe bytes", Blame: true}},
		"unknown kind": {{Text: "Typical.", Blame: true, Kind: "rudeness"}},
		"too long":     {{Text: strings.Repeat("word ", 1000), Blame: true}},
	} {
		var buf bytes.Buffer
		e := Default().WithOrgExamples(items, slog.New(slog.NewTextHandler(&buf, nil)))
		if e != Default() {
			t.Errorf("%s: the engine changed", name)
		}
		if !strings.Contains(buf.String(), "level=WARN") || !strings.Contains(buf.String(), "built-in model") {
			t.Errorf("%s: no warning logged: %q", name, buf.String())
		}
	}
}

// TestReadModelRejectsCorrupt: a damaged model file is an error, not a panic.
func TestReadModelRejectsCorrupt(t *testing.T) {
	var good bytes.Buffer
	if _, err := newModel(8).WriteTo(&good); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadModel(bytes.NewReader(good.Bytes())); err != nil {
		t.Fatalf("a good model: %v", err)
	}
	for name, b := range map[string][]byte{
		"empty": nil, "not gzip": []byte("ALLYTONE1 hello"), "truncated": good.Bytes()[:good.Len()/2],
	} {
		if _, err := ReadModel(bytes.NewReader(b)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestTrainDeterministic: the same data and seed give the same model.
func TestTrainDeterministic(t *testing.T) {
	items := readCorpus(t, "testdata/corpus_holdout.jsonl")
	cfg := TrainConfig{Bits: 12, Epochs: 2, Rate: 0.3, L2: 1e-6, Seed: 3}
	rules := Default().WithModel(nil)
	a, b := rules.Train(items, cfg), rules.Train(items, cfg)
	if !slices.Equal(a.Weights, b.Weights) || !slices.Equal(a.KindW, b.KindW) || a.Bias != b.Bias {
		t.Error("two runs gave different models")
	}
	if slices.Equal(a.Weights, make([]float32, len(a.Weights))) {
		t.Error("training learned nothing")
	}
}

// TestIssue17Examples: the kinds of blame the issue lists, in sentences
// written from its wording (none of them in the training corpus). Not all
// are caught (docs/tone.md); the test fails if fewer are than when the model
// was built, and no kind sentence of the same words may be flagged.
func TestIssue17Examples(t *testing.T) {
	blaming := []string{
		"Next time, check the sender before you click.",
		"For future reference, links in emails like this are never from IT.",
		"Try not to open attachments you weren't expecting.",
		"A little more caution on your part would help.",
		"The link was clicked by the user despite the banner.",
		"Root cause: the employee entered their credentials on a fake page.",
		"You attended the phishing training in March.",
		"As you were told at onboarding, we never ask for passwords.",
		"Great job reporting it, only three days late.",
		"I'm not trying to lecture you, but you need to read the sender address.",
		"We need a name for the report.",
		"Typical finance user.",
		"This is the third time this quarter.",
		"I'll have to raise this with your manager.",
		"The CISO will want to discuss your violations.",
		"The damage is done because you waited.",
	}
	kind := []string{
		"You did the right thing.", "It's not your fault.", "The filter should have caught this.",
		"Next steps for you: restart the laptop and sign in again.", "Nobody is going to report you to HR.",
		"We need a name for the ticket, what should we call it?", "The damage is contained, thanks to your quick report.",
	}
	caught := 0
	for _, s := range blaming {
		if Default().Check(s, AudienceResponder).Blame {
			caught++
		} else {
			t.Logf("missed: %s", s)
		}
	}
	if caught < 11 {
		t.Errorf("caught %d of %d; the model was built catching 11", caught, len(blaming))
	}
	for _, s := range kind {
		if res := Default().Check(s, AudienceResponder); res.Blame {
			t.Errorf("kind sentence flagged: %q %+v", s, res.Findings)
		}
	}
}
