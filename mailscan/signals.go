package mailscan

import (
	"fmt"
	"math"
)

// signalDef is a kind of signal: how strong it is and what it means.
type signalDef struct {
	severity    Severity
	weight      int
	explanation string
}

// catalogue lists every signal the analysis can raise. Explanations are one
// plain sentence for a responder; the reporter gets reporter_summary.
var catalogue = map[string]signalDef{
	"auth-dmarc-fail": {SeverityHigh, 35,
		"The sender's domain says mail like this should be rejected: it failed DMARC, so the From address is probably " +
			"forged."},
	"auth-spf-fail": {SeverityMedium, 15,
		"The server that sent it is not allowed to send mail for the sender's domain (SPF failed)."},
	"auth-dkim-fail": {SeverityMedium, 10,
		"The message's digital signature did not check out (DKIM failed), so it may have been forged or changed."},
	"auth-aligned-pass": {SeverityGood, -10,
		"The sender's domain vouched for this message (DMARC or aligned SPF/DKIM passed), so the From address is genuine."},
	"auth-missing": {SeverityInfo, 0,
		"The message carries no authentication results, so we could not check whether the sender is genuine."},
	"brand-domain-unverified": {SeverityHigh, 30,
		"The message claims to come from a well-known brand's own domain, but nothing in its authentication vouches " +
			"for that, as with a forged sender."},
	"callback-lure": {SeverityHigh, 40,
		"The message reports a charge or renewal and asks you to phone a number to cancel it, from a sender that is " +
			"not the company: callback scams reach you by phone, where no filter listens."},
	"bulk-sender": {SeverityGood, -20,
		"The message is marketing or a newsletter from an authenticated sender with a working unsubscribe, and it " +
			"shows no sign of a trick."},
	"no-list-unsubscribe": {SeverityLow, 10,
		"The message reads like bulk mail (it has an unsubscribe line) but lacks the unsubscribe header that mailbox " +
			"providers require from genuine bulk senders."},
	"pdf-link": {SeverityMedium, 15,
		"The message says little and its PDF attachment links to another site, which moves the link out of the " +
			"message where filters look."},
	"reply-to-mismatch": {SeverityMedium, 15,
		"Replies would go to a different domain than the one the message claims to come from."},
	"reply-to-freemail": {SeverityHigh, 35,
		"Replies would go to a free webmail account other than the sender's, not to whoever the message claims to come " +
			"from."},
	"contact-elsewhere": {SeverityLow, 10,
		"The message asks you to write to a free webmail address that is not the sender's, moving the conversation where " +
			"no filter sees it."},
	"return-path-mismatch": {SeverityLow, 5,
		"Bounces go to a different domain than the From address (common for mailing services, but also for forgeries)."},
	"sender-platform": {SeverityMedium, 20,
		"The sender's address is on a platform where anyone can get an address in minutes (an app, help-desk or cloud " +
			"tenant), not on the organisation's own domain."},
	"random-sender": {SeverityMedium, 15,
		"The sender's domain has machine-made, random-looking names, as throwaway scam domains do."},
	"random-mailbox": {SeverityLow, 10,
		"The sender's mailbox name looks machine-made (random letters, or a name with a long serial number), as " +
			"bulk-made sending accounts do."},
	"display-name-brand": {SeverityHigh, 40,
		"The sender's name claims to be a well-known brand, but the address belongs to someone else."},
	"recipient-in-link": {SeverityMedium, 15,
		"A link to someone else's site carries your own email address, as phishing kits do to fill in their fake " +
			"sign-in page and mark who clicked."},
	"celebrity-name": {SeverityMedium, 30,
		"The sender's name is a famous person's, as endorsement, giveaway and investment scams use, but the address " +
			"is not theirs."},
	"brand-from-personal": {SeverityMedium, 20,
		"The subject or address speaks for a well-known brand, but the message comes from a free-mail account or an app " +
			"platform, which that brand never sends from."},
	"display-name-address": {SeverityHigh, 30,
		"The sender's name shows one email address while the message really comes from another."},
	"role-impersonation": {SeverityMedium, 25,
		"The sender's name claims an internal role (IT, HR, payroll, executive) but the address is outside the " +
			"organisation."},
	"sender-lookalike": {SeverityCritical, 60, "The sender's domain imitates a well-known brand's domain."},
	"link-lookalike":   {SeverityHigh, 40, "A link goes to a domain that imitates a well-known brand."},
	"punycode-domain": {SeverityLow, 10,
		"A domain is written in encoded international characters (xn--), which can hide look-alike letters."},
	"link-text-mismatch": {SeverityHigh, 40, "A link shows one web address but actually leads to a different site."},
	"link-text-mismatch-esp": {SeverityLow, 5,
		"A link shows one address but goes through a mailing service's click tracker first (usually harmless)."},
	"url-shortener": {SeverityMedium, 15, "A link uses a URL shortener, which hides where it really goes."},
	"ip-url":        {SeverityHigh, 30, "A link points to a bare IP address instead of a named website."},
	"free-hosting-link": {SeverityMedium, 20,
		"A link points to a free web-hosting or form service where anyone can publish a fake sign-in page."},
	"risky-tld": {SeverityLow, 8,
		"A link or the sender uses a top-level domain that is much more common in scams than in normal mail."},
	"script-link": {SeverityHigh, 40,
		"A link runs code or carries an embedded page (javascript: or data:) instead of opening a website."},
	"url-userinfo": {SeverityHigh, 30, "A link hides its real destination after an @ sign."},
	"html-form": {SeverityHigh, 35,
		"The message body contains a form that sends what you type to a web address."},
	"password-form": {SeverityCritical, 60,
		"The message or its attachment asks for a password in a form, which real services never do by email."},
	"credential-request": {SeverityMedium, 20,
		"The message asks the reader to sign in, verify an account or update a password through a link."},
	"credential-wording": {SeverityLow, 5,
		"The message talks about accounts or passwords, though it gives no link to act on."},
	"brand-link-mismatch": {SeverityHigh, 30,
		"The message speaks for a brand but its links go to sites that brand does not own."},
	"payment-request": {SeverityMedium, 15,
		"The message asks for a payment, a transfer or a change of bank details."},
	"bec-payment": {SeverityHigh, 35,
		"A payment or bank-details request comes from an address that does not match who it claims to be."},
	"giftcard-request": {SeverityHigh, 35, "The message asks for gift cards or their codes, a common scam."},
	"qr-code-lure": {SeverityHigh, 45,
		"The message pushes the reader to scan a QR code from an image to act on an account, which moves the click to a " +
			"phone where it is harder to check."},
	"qr-code-wording": {SeverityLow, 5, "The message mentions scanning a QR code."},
	"qr-code-link": {SeverityMedium, 10,
		"A picture in the message is a QR code that opens a web page, so the link can only be seen by scanning it with a " +
			"phone."},
	"qr-code-data": {SeverityInfo, 0,
		"A picture in the message is a QR code that holds text, not a web page."},
	"risky-link-with-lure": {SeverityHigh, 30,
		"The message pushes the reader to act through a link whose destination is hidden or cheap to set up (shortener, " +
			"free hosting, bare IP, look-alike or unusual domain)."},
	"mfa-lure": {SeverityMedium, 15,
		"The message pressures the reader about sign-in approvals or verification codes."},
	"scam-theme": {SeverityMedium, 25,
		"The message is about what scams are usually about (a prize, crypto, a tax refund, points to redeem, a parcel fee, " +
			"dating) and gives a way to act on it."},
	"model-phish": {SeverityLow, 15,
		"The words and signs in this message are much more like scam mail than ordinary mail, by the statistical model."},
	"model-phish-strong": {SeverityMedium, 30,
		"The words and signs in this message are very much like scam mail, by the statistical model."},
	"several-kinds": {SeverityMedium, 20,
		"Several independent kinds of warning signs come together (hiding from filters, cheap or throwaway " +
			"infrastructure, a mismatched sender, a scam request), which ordinary mail rarely shows at once."},
	"org-like-phish": {SeverityHigh, 35,
		"Your team has marked mail like this as phishing or spam before, and this message is much more like that mail " +
			"than like mail they marked safe."},
	"org-like-safe": {SeverityGood, -30,
		"Your team has marked mail like this as safe before, and this message is much more like that mail than like " +
			"mail they marked phishing or spam."},
	"scam-theme-strong": {SeverityHigh, 35,
		"The message is full of what scams are usually about (prizes, crypto, tax refunds, points to redeem, parcel fees, " +
			"dating) and gives a way to act on it."},
	"pressure": {SeverityMedium, 12,
		"The message piles on pressure (urgency, fear, authority or secrecy) to push a quick action."},
	"generic-greeting": {SeverityLow, 8,
		"The message greets the reader generically (\"Dear customer\") instead of by name."},
	"fake-reply": {SeverityLow, 8,
		"The subject says it is a reply, but the message is not part of any earlier conversation."},
	"disguised-letters": {SeverityMedium, 20,
		"Words are written in styled or look-alike letters from other alphabets, a trick to get past spam filters."},
	"noise-token": {SeverityMedium, 35,
		"The subject or sender's name carries a random string of mixed letters, added so that filters do not recognise the " +
			"same scam sent many times."},
	"recipient-in-subject": {SeverityLow, 10,
		"The subject carries the recipient's own email address, as bulk-mail kits add it so that no two copies look " +
			"alike."},
	"utf7-text": {SeverityMedium, 20,
		"The message is written in UTF-7, an obsolete encoding no mail program uses today, which hides its words and " +
			"links from filters that do not decode it."},
	"hidden-text": {SeverityMedium, 20,
		"The message hides text from the reader (invisible styling), a trick to feed spam filters harmless words."},
	"image-only": {SeverityMedium, 20,
		"The message is only pictures and a link, so its words cannot be read by filters; scams do this to slip through."},
	"invisible-text": {SeverityMedium, 15,
		"The message contains many invisible characters, a trick to get past spam filters."},
	"executable-attachment": {SeverityCritical, 70,
		"An attachment is a program, script, shortcut or disk image that can run code when opened."},
	"double-extension": {SeverityCritical, 70,
		"An attachment's name hides its real type behind a fake extension (such as invoice.pdf.exe)."},
	"html-attachment": {SeverityHigh, 30,
		"An attachment is a web page, which opens in the browser and can show a fake sign-in page."},
	"html-smuggling": {SeverityCritical, 70,
		"A web-page attachment builds a file or page from hidden encoded data (HTML smuggling)."},
	"macro-attachment":    {SeverityHigh, 40, "An attachment is an Office document that can carry macros."},
	"archive-risky-entry": {SeverityCritical, 65, "An archive attachment contains a program, script or web page."},
	"encrypted-archive": {SeverityHigh, 35,
		"An archive attachment is password-protected, which stops security scanners from looking inside."},
	"archive-password-in-body": {SeverityHigh, 20,
		"The message gives the password for its own archive attachment, a trick to get past scanners."},
	"reported-as-attachment": {SeverityInfo, 0,
		"The reporter forwarded the suspicious email as an attachment; the attached email was analysed."},
	"reported-inline": {SeverityInfo, 0,
		"The reporter forwarded the suspicious email inline; its quoted sender was analysed, not the forwarder's own " +
			"address and authentication."},
	"malformed": {SeverityInfo, 0,
		"Parts of the message were not well-formed MIME and were read leniently."},
}

// signalSet collects signals, one per id (the first evidence wins).
type signalSet struct {
	list []Signal
	seen map[string]bool
}

func (s *signalSet) add(id, format string, args ...any) {
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	if s.seen[id] {
		return
	}
	def, ok := catalogue[id]
	if !ok {
		panic("mailscan: unknown signal " + id)
	}
	s.seen[id] = true
	s.list = append(s.list, Signal{ID: id, Severity: def.severity, Evidence: fmt.Sprintf(format, args...),
		Explanation: def.explanation, Weight: def.weight})
}

func (s *signalSet) has(id string) bool { return s.seen[id] }

// scale multiplies a signal's weight by k, rounded to a whole point.
func (s *signalSet) scale(id string, k float64) {
	for i := range s.list {
		if s.list[i].ID == id {
			s.list[i].Weight = int(math.Round(float64(s.list[i].Weight) * k))
		}
	}
}

// drop removes a signal.
func (s *signalSet) drop(id string) {
	for i, sig := range s.list {
		if sig.ID == id {
			s.list = append(s.list[:i], s.list[i+1:]...)
			delete(s.seen, id)
			return
		}
	}
}
