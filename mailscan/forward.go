package mailscan

import (
	"regexp"
	"strings"
)

// People often report a suspicious email by forwarding it inline: the
// message that arrives is theirs, with their own (genuine, authenticated)
// address, and the email they worry about is quoted in the body below a
// short header block ("From: … Sent: … To: … Subject: …", in the mail
// program's language). Judging the forward by its outer headers would
// credit the phish with the reporter's authentication and miss every
// sign in who really sent it; inlineForward reads the quoted sender
// instead, as Analyze unwraps a message forwarded as an attachment.

// forwardPrefixRE matches the subject prefixes mail programs add when
// forwarding (Fw, Fwd, ENC pt, TR fr, WG de, RV es, I it, Doorst nl, VS/VB
// nordic, PD pl), repeated.
var forwardPrefixRE = regexp.MustCompile(`(?i)^\s*((fwd?|enc|tr|wg|rv|i|doorst|vs|vb|pd)\s*:\s*)+`)

// forwardMarkers are the lines mail programs put above a forwarded
// message, lower-cased.
var forwardMarkers = []string{"forwarded message", "original message", "begin forwarded message",
	"mensagem encaminhada", "mensaje reenviado", "mensaje original", "mensagem original",
	"weitergeleitete nachricht", "ursprüngliche nachricht", "message transféré", "message d'origine",
	"doorgestuurd bericht", "oorspronkelijk bericht", "messaggio inoltrato", "messaggio originale"}

// forwardFromRE finds the sender line of a quoted header block.
var forwardFromRE = regexp.MustCompile(`(?im)(?:^|[\s*>])(?:from|de|von|van|da|expéditeur|od|från|fra|remetente|` +
	`absender|mittente)[ \t]*\*?[ \t]*:[ \t*]*([^\n]{3,300})`)

// forwardNextRE finds where a sender line read from flattened HTML runs
// into the next field of the block.
var forwardNextRE = regexp.MustCompile(`(?i)\s\*?(?:sent|date|enviado|enviada|data|gesendet|datum|envoyé|verzonden|` +
	`inviato|fecha|to|para|an|aan|à|a|cc|subject|assunto|asunto|betreff|onderwerp|oggetto|objet|sujet)\*?\s*:`)

// forwardSubjectRE finds the subject line of a quoted header block.
var forwardSubjectRE = regexp.MustCompile(`(?i)(?:^|[\s*>])(?:subject|assunto|asunto|betreff|onderwerp|oggetto|` +
	`objet|sujet|ämne|emne)[ \t]*\*?[ \t]*:`)

// onBehalfRE splits "Sender on behalf of Author" (Outlook) in a quoted sender line.
var onBehalfRE = regexp.MustCompile(`(?i)\s(?:on behalf of|em nome de|en nombre de|im auftrag von|au nom de|` +
	`namens|per conto di)\s`)

// addressBrackets turns the ways mail programs bracket a quoted address
// ("[mailto:a@b]", "&lt;a@b&gt;") into <a@b>.
var addressBrackets = strings.NewReplacer("[mailto:", "<", "]", ">", "&lt;", "<", "&gt;", ">")

// forwardWindow is how far into the body the quoted header block may
// start (the reporter's own note comes first) and how far its sender and
// subject lines may be apart.
const (
	forwardWindow = 3000
	forwardSpan   = 600
)

// quotedSender returns the sender of a message forwarded inline in body
// (subject line first, as analysis.body holds it), or ok false when body
// is not such a forward. It needs a forward prefix on subject or a
// forward marker line, then a quoted sender line followed by a subject
// line.
func quotedSender(subject, body string) (from address, ok bool) {
	if i := strings.IndexByte(body, '\n'); i >= 0 {
		body = body[i+1:]
	}
	head := body[:min(len(body), forwardWindow)]
	if !forwardPrefixRE.MatchString(subject) && !hasForwardMarker(head) {
		return address{}, false
	}
	m := forwardFromRE.FindStringSubmatchIndex(head)
	if m == nil {
		return address{}, false
	}
	rest := body[m[1]:min(len(body), m[0]+forwardSpan)]
	if !forwardSubjectRE.MatchString(head[m[0]:m[1]] + rest) {
		return address{}, false
	}
	line := head[m[2]:m[3]]
	if n := forwardNextRE.FindStringIndex(line); n != nil {
		line = line[:n[0]]
	}
	if parts := onBehalfRE.Split(line, -1); len(parts) > 1 {
		line = parts[len(parts)-1]
	}
	line = addressBrackets.Replace(line)
	from = firstAddress(strings.TrimSpace(line))
	from.name = strings.Trim(from.name, `"'* `)
	if from.addr == "" && from.name == "" {
		return address{}, false
	}
	return from, true
}

// hasForwardMarker reports whether text holds a forward marker line.
func hasForwardMarker(text string) bool {
	low := strings.ToLower(text)
	for _, m := range forwardMarkers {
		if strings.Contains(low, m) {
			return true
		}
	}
	return false
}

// inlineForward switches the analysis to the sender quoted in an inline
// forward: the forwarder's own address, reply and bounce addresses and
// authentication say nothing about who sent the email being reported.
func (a *analysis) inlineForward(body string) {
	from, ok := quotedSender(a.r.Subject, body)
	if !ok {
		return
	}
	a.inline = true
	a.sig.add("reported-inline", "forwarded by %s; quoted sender %s", orDefault(a.r.From, "an unknown address"),
		orDefault(from.addr, from.name))
	a.from = from
	a.r.From, a.r.FromName = from.addr, from.name
	a.r.ReplyTo, a.r.ReturnPath = "", ""
	a.r.Subject = strings.TrimSpace(forwardPrefixRE.ReplaceAllString(a.r.Subject, ""))
}
