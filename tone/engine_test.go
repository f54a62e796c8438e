package tone

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckIssueExamples(t *testing.T) {
	e := Default()
	blame := "Why did you click that link? Didn't you complete the security training?"
	res := e.Check(blame, AudienceReporter)
	if !res.Blame || res.Scores.Blame < 50 {
		t.Fatalf("the issue's blaming message: blame %v, score %d; findings %+v", res.Blame, res.Scores.Blame, res.Findings)
	}
	f := res.Findings[0]
	if f.Rule != "why-did-you" || f.Category != CategoryBlame || f.Start != 0 || f.End != 11 || f.Match != "Why did you" ||
		f.Message == "" || f.Suggestion == "" {
		t.Errorf("first finding %+v", f)
	}
	kind := "This looks like a sophisticated attack, and it's understandable how it could trick someone. Let's work together right now to secure your account."
	res = e.Check(kind, AudienceReporter)
	if res.Blame || res.Scores.Warmth <= e.Check(blame, AudienceReporter).Scores.Warmth {
		t.Errorf("the issue's kind message: %+v", res)
	}
	for _, fine := range []string{
		"It's not your fault", "Nobody is going to blame you", "You should change your password now",
		"Did you enter your password on that page?", "The filter should have blocked this",
		"The team failed over to the backup server", "Why don't we schedule a call?",
	} {
		if r := e.Check(fine, AudienceReporter); r.Blame {
			t.Errorf("%q must not count as blame: %+v", fine, r.Findings)
		}
	}
	if r := e.Check("I'm not blaming you, but you should have checked", AudienceReporter); !r.Blame {
		t.Errorf("a disclaimer must not hide the blame after it: %+v", r.Findings)
	}
}

func TestFindingsNeverNil(t *testing.T) {
	for _, text := range []string{"", "   ", "Thanks!"} {
		if res := Default().Check(text, ""); res.Findings == nil {
			t.Errorf("Check(%q).Findings is nil", text)
		}
	}
}

func TestSpansCountCodePoints(t *testing.T) {
	text := "Héllo 👋 — why did you click it?"
	res := Default().Check(text, AudienceResponder)
	if len(res.Findings) == 0 {
		t.Fatal("no finding")
	}
	f := res.Findings[0]
	runes := []rune(text)
	if string(runes[f.Start:f.End]) != f.Match || f.Match != "why did you" {
		t.Errorf("span %d–%d is %q, match %q", f.Start, f.End, string(runes[f.Start:f.End]), f.Match)
	}
}

func TestCurlyApostrophes(t *testing.T) {
	if res := Default().Check("It’s not your fault, and you shouldn’t have to worry.", AudienceReporter); res.Blame {
		t.Errorf("curly apostrophes: %+v", res.Findings)
	}
	if res := Default().Check("You should’ve checked.", AudienceReporter); !res.Blame {
		t.Errorf("should’ve with a curly apostrophe was missed")
	}
}

func TestContractionsWithoutApostrophes(t *testing.T) {
	if r := Default().Check("Didnt you see the warning? Youre going to have to be more careful", AudienceReporter); !r.has("didnt-you") || !r.has("be-more-careful") {
		t.Errorf("contractions typed without apostrophes: %+v", r.Findings)
	}
	if r := Default().Check("Its not your fault, dont worry. We were glad you called.", AudienceReporter); r.Blame {
		t.Errorf("negation typed without apostrophes: %+v", r.Findings)
	}
}

func TestJargonAndGrade(t *testing.T) {
	e := Default()
	text := "We detected lateral movement and exfiltration of data to the C2 server."
	rep := e.Check(text, AudienceReporter)
	var jargon []string
	for _, f := range rep.Findings {
		if f.Category == CategoryJargon {
			jargon = append(jargon, f.Match)
			if f.Severity != SeverityWarning || !strings.Contains(f.Suggestion, "Say it plainly") {
				t.Errorf("jargon finding %+v", f)
			}
		}
	}
	if strings.Join(jargon, ",") != "lateral movement,exfiltration,C2" {
		t.Errorf("jargon found: %v", jargon)
	}
	if rep.Blame {
		t.Error("jargon is not blame")
	}
	if r := e.Check(text, AudienceResponder); len(r.Findings) != 0 {
		t.Errorf("responders may use jargon: %+v", r.Findings)
	}
	if r := e.Check("We saw C2 (the attacker's server) traffic.", AudienceReporter); r.has("jargon-c2") {
		t.Error("an explained term is flagged")
	}
	hard := "Notwithstanding the considerable organisational complexity surrounding authentication infrastructure modernisation, administrators should immediately investigate anomalous authentication activity originating internationally."
	r := e.Check(hard, AudienceReporter)
	if r.Grade <= 8 || !r.has("reading-grade") || r.Scores.Clarity >= 80 {
		t.Errorf("hard text: grade %.1f, clarity %d, findings %+v", r.Grade, r.Scores.Clarity, r.Findings)
	}
	easy := "Thanks for telling us. Please change your password now. I will call you in ten minutes to check it worked."
	if r := e.Check(easy, AudienceReporter); r.Grade > 6 || r.has("reading-grade") || r.has("no-next-step") {
		t.Errorf("easy text: grade %.1f, findings %+v", r.Grade, r.Findings)
	}
}

func TestNoNextStep(t *testing.T) {
	r := Default().Check("We looked into the message you sent us about the strange email from the bank.", AudienceReporter)
	if !r.has("no-next-step") {
		t.Fatalf("no next step was not noticed: %+v", r.Findings)
	}
	f := r.Findings[len(r.Findings)-1]
	if f.Severity != SeverityInfo || f.Start != f.End || f.Start != utf8.RuneCountInString("We looked into the message you sent us about the strange email from the bank.") {
		t.Errorf("no-next-step finding %+v", f)
	}
}

func TestSyllablesAndGrade(t *testing.T) {
	for w, want := range map[string]int{"cat": 1, "make": 1, "table": 2, "jumped": 1, "wanted": 2, "boxes": 2, "password": 2, "authentication": 5, "the": 1, "hmm": 1} {
		if got := syllables(w); got != want {
			t.Errorf("syllables(%q) = %d, want %d", w, got, want)
		}
	}
	if g := Default().Check("", AudienceReporter).Grade; g != 0 {
		t.Errorf("empty text grade %v", g)
	}
}

func TestLoadMergesWithDefaults(t *testing.T) {
	e, err := Load(strings.NewReader(`
classes:
  boss: [hr, manager, boss, supervisor, ceo]
rules:
  - id: why-did-you
    category: blame
    severity: warning
    message: Softer.
    suggestion: Ask openly.
    patterns: ["why did you"]
    examples: {match: ["Why did you go?"]}
  - id: exasperated-short
    disabled: true
  - id: no-asap
    category: condescension
    severity: error
    message: ASAP pressures the reader.
    suggestion: Give a time.
    patterns: [asap]
    examples: {match: ["Reply ASAP."]}
`))
	if err != nil {
		t.Fatal(err)
	}
	// The rules alone: with the model, "Why did you click?" reads as blame
	// and its warning becomes an error (promoteWarning), which is not what
	// this test is about.
	r := e.WithModel(nil).Check("Why did you click? Reply ASAP. Ugh.", AudienceReporter)
	got := map[string]Severity{}
	for _, f := range r.Findings {
		got[f.Rule] = f.Severity
	}
	if got["why-did-you"] != SeverityWarning || got["no-asap"] != SeverityError || got["exasperated-short"] != "" {
		t.Errorf("merged findings %v", got)
	}
	if !e.Check("This was escalated to the CEO.", AudienceReporter).Blame {
		t.Error("an overridden word class is not used")
	}
	if !Default().Check("Why did you click?", AudienceReporter).Blame {
		t.Error("Load changed the default engine")
	}
	if failures, _ := e.TestRules(); len(failures) != 0 {
		t.Errorf("merged rules fail their examples: %+v", failures)
	}
}

func TestLoadRejectsBadRules(t *testing.T) {
	for name, src := range map[string]string{
		"unknown field":   "rules:\n  - id: x\n    colour: red\n",
		"no category":     "rules:\n  - {id: x, severity: error, message: m, suggestion: s, patterns: [a]}\n",
		"bad severity":    "rules:\n  - {id: x, category: blame, severity: fatal, message: m, suggestion: s, patterns: [a]}\n",
		"no patterns":     "rules:\n  - {id: x, category: blame, severity: error, message: m, suggestion: s}\n",
		"unknown class":   "rules:\n  - {id: x, category: blame, severity: error, message: m, suggestion: s, patterns: [\"@nope\"]}\n",
		"leading gap":     "rules:\n  - {id: x, category: blame, severity: error, message: m, suggestion: s, patterns: [\"~2 a\"]}\n",
		"bad gap":         "rules:\n  - {id: x, category: blame, severity: error, message: m, suggestion: s, patterns: [\"a ~99 b\"]}\n",
		"prefix first":    "rules:\n  - {id: x, category: blame, severity: error, message: m, suggestion: s, patterns: [\"ab* c\"]}\n",
		"not yaml":        "rules: [",
		"duplicate rules": "rules:\n  - {id: x, category: blame, severity: error, message: m, suggestion: s, patterns: [a]}\n  - {id: x, category: blame, severity: error, message: m, suggestion: s, patterns: [b]}\n",
	} {
		if _, err := Load(strings.NewReader(src)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestLineCol(t *testing.T) {
	text := "ab\nçd\n\nx"
	for off, want := range map[int][2]int{0: {1, 1}, 1: {1, 2}, 3: {2, 1}, 4: {2, 2}, 7: {4, 1}, 8: {4, 2}} {
		if l, c := LineCol(text, off); l != want[0] || c != want[1] {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", off, l, c, want[0], want[1])
		}
	}
}

func TestAuditCSV(t *testing.T) {
	in := "month,body\njan,Why did you click?\njan,Thanks!\nfeb,\"Your fault, again.\"\n"
	var calls int
	rep, err := Default().AuditCSV(strings.NewReader(in), AudienceReporter, "Body", "month", func(done, total int) {
		calls++
		if total != 3 {
			t.Errorf("total %d", total)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Groups) != 2 || rep.Groups[0].Group != "jan" || rep.Groups[0].Blaming != 1 || rep.Groups[0].BlameRate != 0.5 ||
		rep.Total.Messages != 3 || rep.Total.Blaming != 2 || calls == 0 {
		t.Errorf("report %+v total %+v", rep.Groups, rep.Total)
	}
	if rep.Groups[0].TopPatterns[0].Rule != "why-did-you" {
		t.Errorf("top patterns %+v", rep.Groups[0].TopPatterns)
	}
	if _, err := Default().AuditCSV(strings.NewReader(""), AudienceReporter, "body", "", nil); err == nil {
		t.Error("an empty file must be an error")
	}
}
