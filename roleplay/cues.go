package roleplay

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/allydesk/ally/tone"
)

// Checker reads a text for tone. *tone.Engine implements it.
type Checker interface {
	Check(text string, aud tone.Audience) tone.Result
}

// Reading is what the engine understood from one trainee message: the tone
// engine's findings plus the simulator's own intent cues.
type Reading struct {
	Blame bool `json:"blame"` // blames the person (own rules or the tone engine)
	// Harsh is not blame, but another hurtful error or warning, such as condescension.
	Harsh        bool           `json:"harsh"`
	Acknowledge  bool           `json:"acknowledge"`   // names or accepts their feelings
	Reassure     bool           `json:"reassure"`      // thanks them, or says they are not in trouble
	Question     bool           `json:"question"`      // asks something
	OpenQuestion bool           `json:"open_question"` // asks an open question (what, when, how, tell me...)
	Topics       []string       `json:"topics"`        // what the questions were about
	Steps        []string       `json:"steps"`         // scenario first steps given
	WrongSteps   []string       `json:"wrong_steps"`   // wrong advice given (scenario avoid ids)
	NextContact  bool           `json:"next_contact"`  // agrees when they will next be in touch
	Jargon       []string       `json:"jargon"`        // security terms the persona may not know
	Wordy        bool           `json:"wordy"`         // a sentence longer than 30 words
	Findings     []tone.Finding `json:"findings"`      // the tone engine's findings plus the simulator's own
}

// readingOnly are finding categories about how a text reads, not how it
// hurts; they never make a message harsh.
var readingOnly = set("jargon", "readability", "warmth")

// wordyAt is the sentence length, in words, above which a message is wordy.
const wordyAt = 30

// Read reads one trainee message in the context of a scenario.
func Read(sc *Scenario, msg string, c Checker) Reading {
	res := c.Check(msg, tone.AudienceReporter)
	norm := normalize(msg)
	blame := ruleFindings(msg, norm, blameRules, "blame", tone.SeverityError)
	r := Reading{Blame: res.Blame || len(blame) > 0, Topics: []string{}, Steps: []string{}, WrongSteps: []string{},
		Jargon: []string{}}
	own := slices.Concat(blame, ruleFindings(msg, norm, harshRules, "condescension", tone.SeverityWarning),
		jargonFindings(msg, norm))
	r.Findings = mergeFindings(res.Findings, own)
	for _, f := range r.Findings {
		switch {
		case f.Category == "jargon":
			if term := strings.ToLower(f.Match); !slices.Contains(r.Jargon, term) {
				r.Jargon = append(r.Jargon, term)
			}
		case (f.Severity == tone.SeverityError || f.Severity == tone.SeverityWarning) && !readingOnly[f.Category]:
			r.Harsh = true
		}
	}
	r.Harsh = r.Harsh && !r.Blame
	r.Acknowledge = acknowledgePattern.MatchString(norm)
	r.Reassure = reassurePattern.MatchString(norm)
	r.NextContact = nextContactPattern.MatchString(norm)
	for _, s := range sentences(msg) {
		r.readSentence(sc, s)
	}
	return r
}

func (r *Reading) readSentence(sc *Scenario, s sentence) {
	r.Wordy = r.Wordy || len(s.words) > wordyAt
	isStep := addMatches(&r.Steps, sc.Steps, s.words)
	// "Don't switch it off" is good advice, not the wrong step it names.
	if !slices.ContainsFunc(s.words, func(w string) bool { return negations[w] || strings.HasSuffix(w, "n't") }) {
		addMatches(&r.WrongSteps, sc.Avoid, s.words)
	}
	// A sentence that gives a step ("Can you change your password?") is a
	// request, not a question about the facts.
	if !s.question || isStep {
		return
	}
	r.Question = true
	r.OpenQuestion = r.OpenQuestion || s.open
	for _, t := range topicsOf(s.words) {
		if !slices.Contains(r.Topics, t) {
			r.Topics = append(r.Topics, t)
		}
	}
}

// addMatches adds to ids each step with a cue matching the sentence's words,
// and reports whether any matched.
func addMatches(ids *[]string, steps []Step, w []string) bool {
	matched := false
	for _, st := range steps {
		if slices.ContainsFunc(st.Cues, func(c string) bool { return matchCue(w, c) }) {
			matched = true
			if !slices.Contains(*ids, st.ID) {
				*ids = append(*ids, st.ID)
			}
		}
	}
	return matched
}

// rule is one of the simulator's own phrase checks.
type rule struct {
	id         string
	re         *regexp.Regexp
	negatable  bool // "not your fault" is not blame
	message    string
	suggestion string
}

var blameRules = []rule{
	{"why-did-you", regexp.MustCompile(`\bwhy (?:on earth |exactly )?(?:did|didn't|would|wouldn't|were|weren't|have|` +
		`haven't|had|hadn't|on earth did) you\b`), false,
		"A \"why did you\" question sounds like an accusation, so people defend themselves instead of sharing details.",
		"Can you walk me through what happened?"},
	{"should-have", regexp.MustCompile(`\byou (?:really )?(?:should|shouldn't|should not|ought to|could|` +
		`need to) (?:have|'ve) (?:known|been|checked|looked|noticed|reported|asked|thought|read|seen|done)\b|` +
		`\byou should(?:'ve| have)\b|\byou shouldn't have\b`), false,
		"Looking back at what they should have done makes people feel judged, not helped.",
		"Let's focus on what we can do now."},
	{"your-fault", regexp.MustCompile(`\b(?:your|you're|you are) (?:own |entirely |partly )?(?:fault|to blame|` +
		`mistake)\b|\bbecause of you\b|\byou caused\b`), true,
		"Naming fault makes people hide details next time.",
		"This can happen to anyone. Thank you for telling us."},
	{"how-could-you", regexp.MustCompile(`\bhow could you\b|\bwhat were you thinking\b|\bhow did you not\b|` +
		`\bseriously\?`), false,
		"This sounds like disbelief at the person, which makes them shut down.",
		"Thank you for telling me. Let's work through it together."},
	{"careless", regexp.MustCompile(`\b(?:careless|stupid|negligent|reckless|irresponsible|sloppy|dumb|foolish|idiotic|` +
		`naive)\b`), true,
		"Calling someone careless makes them feel ashamed, and shame makes people stop reporting.",
		"These scams are built to fool busy people."},
	{"you-were-told", regexp.MustCompile(`\b(?:didn't|did not|don't|do not) you (?:read|see|check|know|notice|remember|` +
		`think)\b|\b(?:haven't|have) you (?:not )?(?:been trained|done the training|read)\b|\byou (?:were|have been|got|` +
		`'ve been) (?:told|warned|trained)\b|\beveryone knows\b`), false,
		"Reminding people of training or warnings turns help into a telling-off.",
		"Let's sort this out together; it's good you told us."},
}

var harshRules = []rule{
	{"calm-down", regexp.MustCompile(`\b(?:calm down|relax|no need to (?:panic|worry|get upset|shout)|don't panic|` +
		`settle down)\b`), false,
		"Telling someone to calm down dismisses how they feel, and usually makes it worse.",
		"I can hear this is stressful. Let's sort it out together."},
	{"minimising", regexp.MustCompile(`\b(?:it's|it is|this is|that's) (?:not (?:a|that) big deal|nothing|no big deal|` +
		`simple|easy|basic)\b|\bas i (?:said|already said|told you)\b`), false,
		"Playing it down or repeating yourself can sound impatient, so the person stops asking.",
		"Thank you for bearing with me. Here is what happens next."},
}

var negations = set("not", "no", "never", "nobody", "isn't", "wasn't", "aren't", "nothing", "none", "don't", "won't")

// ruleFindings runs the simulator's own phrase rules. norm is normalize(msg).
func ruleFindings(msg, norm string, rules []rule, category string, sev tone.Severity) []tone.Finding {
	var out []tone.Finding
	for _, r := range rules {
		for _, loc := range r.re.FindAllStringIndex(norm, -1) {
			if r.negatable && negated(norm[:loc[0]]) {
				continue
			}
			out = append(out, finding(msg, norm, loc, "roleplay-"+r.id, category, sev, r.message, r.suggestion))
		}
	}
	return out
}

// negated reports whether one of the last four words before a match negates it.
func negated(before string) bool {
	w := words(before)
	return slices.ContainsFunc(w[max(0, len(w)-4):], func(x string) bool {
		return negations[x] || strings.HasSuffix(x,
			"n't")
	})
}

// jargon maps security terms to plain words.
var jargon = map[string]string{
	"mfa": "sign-in", "2fa": "sign-in code", "multi-factor": "sign-in check", "phishing": "scam", "ioc": "warning sign",
	"iocs": "warning signs", "edr": "security software", "siem": "monitoring system", "soc": "security team",
	"c2": "attacker's server", "exfiltration": "copying out", "exfil": "copying out", "payload": "harmful part",
	"threat actor": "attacker", "lateral movement": "spreading to other systems", "reimage": "wipe and set up again",
	"endpoint": "laptop", "attack vector": "way in", "session token": "sign-in session", "oauth": "app permission",
	"dlp": "data-loss check", "mdm": "device management", "credential harvesting": "password stealing",
	"credentials": "password", "ttps": "methods", "sandbox": "safe test area", "incident response": "security team",
	"beacon": "signal", "vishing": "scam call", "smishing": "scam text", "bec": "email fraud",
	"ransomware": "file-locking software", "containment": "stopping it spreading", "remediation": "clean-up",
	"forensics": "careful checks",
}

var jargonPattern = func() *regexp.Regexp {
	terms := make([]string, 0, len(jargon))
	for t := range jargon {
		terms = append(terms, regexp.QuoteMeta(t))
	}
	// Longest first, so "threat actor" wins over shorter overlaps.
	slices.SortFunc(terms, func(a, b string) int { return len(b) - len(a) })
	return regexp.MustCompile(`\b(?:` + strings.Join(terms, "|") + `)\b`)
}()

func jargonFindings(msg, norm string) []tone.Finding {
	var out []tone.Finding
	for _, loc := range jargonPattern.FindAllStringIndex(norm, -1) {
		term := norm[loc[0]:loc[1]]
		out = append(out, finding(msg, norm, loc, "roleplay-jargon", "jargon", tone.SeverityWarning,
			"Security terms can confuse a worried person and make them feel out of their depth.",
			"Say \""+jargon[term]+"\" instead."))
	}
	return out
}

// finding builds a finding from a byte range of norm; norm has the same code
// points as msg, so the match is taken from msg.
func finding(msg, norm string, loc []int, id, category string, sev tone.Severity, message,
	suggestion string) tone.Finding {
	start := utf8.RuneCountInString(norm[:loc[0]])
	end := start + utf8.RuneCountInString(norm[loc[0]:loc[1]])
	return tone.Finding{Rule: id, Category: category, Severity: sev, Start: start, End: end,
		Match: string([]rune(msg)[start:end]), Message: message, Suggestion: suggestion}
}

// mergeFindings adds own findings that do not overlap a finding of the tone
// engine (which knows better), sorted by position.
func mergeFindings(engine, own []tone.Finding) []tone.Finding {
	out := append([]tone.Finding{}, engine...)
	for _, o := range own {
		dup := slices.ContainsFunc(engine, func(e tone.Finding) bool {
			return e.Severity != tone.SeverityInfo && e.Start < o.End && o.Start < e.End
		})
		if !dup {
			out = append(out, o)
		}
	}
	slices.SortStableFunc(out, func(a, b tone.Finding) int { return a.Start - b.Start })
	return out
}

var (
	acknowledgePattern = regexp.MustCompile(`\bi (?:can |completely |totally )?(?:understand|hear|imagine|see how|` +
		`see why|see that)\b|` +
		`\b(?:(?:that|this|it) (?:sounds|must be|must feel|must have been|is|feels)|sounds like (?:this|it|` +
		`that)(?: has been| is| was)?) (?:really |very |so |quite |pretty )?(?:stressful|scary|frightening|worrying|` +
		`awful|hard|difficult|upsetting|frustrating|annoying|unsettling|a lot|horrible|embarrassing|rough|alarming|` +
		`a shock|maddening|infuriating)\b|` +
		`\bi'?m (?:so |really |very )?sorry\b|\bsorry (?:to hear|this happened|you|about)\b|\bi know (?:this|it|` +
		`that) (?:is|feels|must)\b|` +
		`\byou (?:sound|seem|must be|must feel) (?:really |very |so |quite )?(?:worried|upset|stressed|frustrated|angry|` +
		`annoyed|busy|rushed|shaken|embarrassed|scared|anxious)\b|` +
		`\b(?:it's|it is|that's|that is) (?:completely |totally |perfectly )?(?:okay|ok|normal|understandable|natural|` +
		`fair|reasonable) to (?:feel|be)\b|` +
		`\bi hear you\b|\bi get (?:it|that|why)\b|\bi'?d (?:feel|be) the same\b|\btake a (?:breath|moment)\b|` +
		`\btake your time\b|\bright to be (?:angry|annoyed|upset|worried)\b|\bi (?:know|appreciate) (?:you're|` +
		`you are) (?:busy|short on time|in a rush)\b`)

	reassurePattern = regexp.MustCompile(`\bthank(?:s| you) (?:so much |very much |a lot )?for (?:telling|reporting|` +
		`calling|letting|flagging|raising|coming|being|your|reaching|getting|ringing|speaking)\b|` +
		`\byou did (?:the )?right\b|\b(?:not|isn't|is not|wasn't|was not) (?:your|anyone's) fault\b|\bno one'?s fault\b|` +
		`\bnobody'?s fault\b|` +
		`\bnot (?:in )?(?:any )?trouble\b|\bhappens? to (?:anyone|everyone|all of us|the best|lots of people|many people|` +
		`loads of people)\b|` +
		`\b(?:glad|good|great) (?:that )?you (?:called|told|reported|rang|came|said|flagged|spoke|raised|got in touch)\b|` +
		`\bwe can (?:fix|sort|handle|deal with|contain|stop|recover)\b|` +
		`\bwe'll (?:sort|fix|handle|take care|deal with|get this|get it)\b|\byou're not (?:stupid|careless|alone|` +
		`the first|silly|foolish)\b|` +
		`\b(?:these|this|those) (?:scams?|emails?|calls?|messages?|tricks?|prompts?|attacks?) (?:are|is|were|` +
		`was) (?:very |really |so )?(?:convincing|clever|good|hard to spot|designed)\b|\bthat was (?:brave|` +
		`the right call|the right thing)\b|\byou're doing (?:great|well|fine|the right)\b|\bwell done\b`)

	nextContactPattern = regexp.MustCompile(`\b(?:i'll|i will|we'll|we will|i'm going to|i am going to|let's|let me|` +
		`someone will|i can)\b[^.?!]{0,30}?\b(?:(?:call|ring|phone|message|text|email|update|contact|get back to|` +
		`come back to|follow up with|check on) (?:you|your)|check in|check back|catch up|touch base|speak again|` +
		`talk again)\b|\b(?:call|ring|reach|message|email|text|phone) me\b`)
)
