package mailscan

import (
	"errors"
	"net/mail"
	"sort"
	"strings"
)

// maxTextBytes bounds the body text that cue matching reads.
const maxTextBytes = 256 << 10

// analysis carries the state of one Analyze call.
type analysis struct {
	p         *parsed
	r         *Report
	sig       signalSet
	from      address
	links     []link // every link found, with shown text when there is one
	hosts     map[string]bool
	forms     []string
	pwForm    bool
	images    int
	dataImage []string          // pictures held in HTML <img src="data:…">, for the QR reader
	pdfImage  []part            // JPEG pictures inside PDF attachments, for the QR reader
	qrImage   map[string]string // URL read from a QR code -> the image's name; nil when none
	cues      map[string][]cueHit
	body      string   // subject, text body and visible HTML text
	tokens    []string // body, tokenised
	brand     *brand   // the brand the message speaks for (see claimedBrand)
	brandDone bool
	inline    bool              // a forward whose quoted sender is analysed (see inlineForward)
	unwrapped int               // destinations read from redirect links (see redirectTarget)
	fileLink  map[string]string // URL read from a PDF attachment -> the file's name; nil when none
}

// Analyze parses and analyses one raw message (RFC 822 / MIME, optionally
// with an mbox "From " line). It never fetches, resolves or runs anything,
// and its work is bounded by opts; limits hit are listed in Report.Limits.
// A message forwarded as an attachment (one message/rfc822 part) is
// unwrapped and the attached message is analysed. The only error is for
// empty input.
func Analyze(raw []byte, opts Options) (*Report, error) {
	a, err := analyse(raw, opts)
	if err != nil {
		return nil, err
	}
	a.orgSignals(opts.Org, a.modelSignals())
	a.weighAuthentication()
	a.corroborate()
	a.bulkSender()
	a.finish()
	return a.r, nil
}

// analyse runs the rules on one message, up to but not including the
// model and the verdict.
func analyse(raw []byte, opts Options) (*analysis, error) {
	if len(strings.TrimSpace(string(raw[:min(len(raw), 512)]))) == 0 {
		return nil, errors.New("mailscan: empty message")
	}
	o := opts.withDefaults()
	p := parse(raw, o)
	unwrapped := false
	if len(p.nested) == 1 && len(strings.TrimSpace(string(p.nested[0]))) > 0 {
		inner := parse(p.nested[0], o)
		inner.limits = append(p.limits, inner.limits...)
		p, unwrapped = inner, true
	}
	a := &analysis{p: p, r: &Report{}, hosts: map[string]bool{}, cues: map[string][]cueHit{}}
	if unwrapped {
		a.sig.add("reported-as-attachment", "attached message analysed")
	}
	if p.utf7 {
		a.sig.add("utf7-text", "a body part in charset UTF-7")
	}
	if len(p.malformed) > 0 {
		a.sig.add("malformed", "%s", strings.Join(p.malformed, "; "))
	}
	a.headers()
	a.bodies(o)
	a.authentication()
	a.senderInfrastructure()
	a.identity()
	a.attachments(o)
	a.qrImages(o)
	a.linkSignals()
	a.recipientInLink()
	a.content()
	return a, nil
}

// headers fills the report's header fields.
func (a *analysis) headers() {
	r, p := a.r, a.p
	r.Subject = p.get("Subject")
	a.from = firstAddress(p.get("From"))
	r.From, r.FromName = a.from.addr, a.from.name
	r.ReplyTo = firstAddress(p.get("Reply-To")).addr
	r.ReturnPath = strings.Trim(firstAddress(p.get("Return-Path")).addr, "<>")
	for _, to := range parseAddresses(p.get("To")) {
		if to.addr != "" {
			r.To = append(r.To, to.addr)
		}
	}
	r.MessageID = strings.Trim(p.get("Message-ID"), "<> ")
	if d, err := mail.ParseDate(p.get("Date")); err == nil {
		r.Date = d.UTC()
	}
}

// bodies reads the HTML and text bodies for links, forms and text.
func (a *analysis) bodies(o Options) {
	var text strings.Builder
	text.WriteString(a.r.Subject)
	text.WriteByte('\n')
	// The wording read is what the reader sees: the HTML body when there is
	// one (mail programs show it instead of the text part), else the text.
	if a.p.html.Len() > 0 {
		h := readHTML(a.p.html.String())
		a.addHTML(h)
		text.WriteString(h.text)
		a.htmlTricks(h)
	} else {
		text.WriteString(a.p.text.String())
	}
	body := text.String()
	a.inlineForward(body)
	// Links in HTML come from their href; only plain text (and the
	// subject) is searched for written URLs (an anchor's shown text is not
	// where it leads). Shortener links written without a scheme are read
	// from whatever text the reader sees.
	for _, text := range []string{a.r.Subject, a.p.text.String()} {
		for _, u := range findURLs(text, o.MaxURLs) {
			a.links = append(a.links, link{href: u})
		}
	}
	for _, u := range findShortLinks(body, o.MaxURLs) {
		a.links = append(a.links, link{href: u})
	}
	if len(body) > maxTextBytes {
		body = strings.ToValidUTF8(body[:maxTextBytes], "")
		a.p.limit("body text longer than %d bytes: only the start was checked for wording", maxTextBytes)
	}
	a.body = body
	a.tokens = tokenize(body)
	for _, h := range rules.cues.match(a.tokens) {
		a.cues[h.group] = append(a.cues[h.group], h)
	}
	a.disguiseSignals()
	if len(a.links) > o.MaxURLs {
		a.links = a.links[:o.MaxURLs]
		a.p.limit("more than %d links: the rest were skipped", o.MaxURLs)
	}
}

func (a *analysis) addHTML(h htmlInfo) {
	a.links = append(a.links, h.links...)
	a.forms = append(a.forms, h.formActions...)
	a.pwForm = a.pwForm || h.passwordInput
	a.images += h.images
	a.dataImage = append(a.dataImage, h.dataImages...)
}

// finish computes score, verdict, indicators, fingerprint and summaries.
func (a *analysis) finish() {
	r := a.r
	sort.SliceStable(a.sig.list, func(i, j int) bool { return a.sig.list[i].Weight > a.sig.list[j].Weight })
	r.Signals = a.sig.list
	score, critical := 0, false
	for _, s := range r.Signals {
		score += s.Weight
		critical = critical || s.Severity == SeverityCritical
	}
	if critical {
		score = max(score, 50)
	}
	r.Score = min(max(score, 0), 100)
	switch {
	case r.Score >= 70:
		r.Verdict = VerdictMalicious
	case r.Score >= 35:
		r.Verdict = VerdictSuspicious
	default:
		r.Verdict = VerdictClean
	}
	r.Lures = a.lures()
	r.IOCs = a.iocs()
	r.Fingerprint = a.fingerprint()
	r.Limits = a.p.limits
	if r.Limits == nil {
		r.Limits = []string{}
	}
	if r.Attachments == nil {
		r.Attachments = []AttachmentInfo{}
	}
	r.ReporterSummary = reporterSummary(a)
	r.ResponderSummary = responderSummary(r)
}

// lures returns the persuasion cues found, one per category and phrase.
func (a *analysis) lures() []Lure {
	out := []Lure{}
	seen := map[string]bool{}
	for _, cat := range []string{LureUrgency, LureAuthority, LureFear, LureReward, LureCuriosity, LureSecrecy} {
		for _, h := range a.cues[cat] {
			if !seen[cat+"\x00"+h.text] { // the same word can be a cue in several languages
				seen[cat+"\x00"+h.text] = true
				out = append(out, Lure{Category: cat, Language: h.lang, Match: h.text})
			}
		}
	}
	return out
}

// categories returns how many distinct lure categories were found.
func (a *analysis) categories(cats ...string) int {
	n := 0
	for _, c := range cats {
		if len(a.cues[c]) > 0 {
			n++
		}
	}
	return n
}
