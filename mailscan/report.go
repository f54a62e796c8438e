// Package mailscan analyses one reported email: it parses the raw RFC 822 /
// MIME message, finds phishing signals and lure cues, extracts indicators,
// gives a verdict with a 0–100 score, and writes a plain, kind summary for
// the person who reported it. It is pure and static: it never fetches a URL,
// resolves a name or runs an attachment, and its work on hostile input is
// bounded by Options.
package mailscan

import "time"

// Verdicts.
const (
	VerdictMalicious  = "malicious"
	VerdictSuspicious = "suspicious"
	VerdictClean      = "clean"
)

// Severity of a signal.
type Severity string

// Signal severities, from strongest to weakest. SeverityGood marks a signal
// that speaks for the message (for example aligned DMARC) and lowers the score.
const (
	SeverityCritical Severity = "critical"
	SeverityHigh     Severity = "high"
	SeverityMedium   Severity = "medium"
	SeverityLow      Severity = "low"
	SeverityInfo     Severity = "info"
	SeverityGood     Severity = "good"
)

// Report is the analysis of one message.
type Report struct {
	// Source names where the message came from (a file path or an
	// attachment name); callers set it, Analyze leaves it empty.
	Source           string           `json:"file,omitempty"`
	Verdict          string           `json:"verdict"`
	Score            int              `json:"score"`
	Subject          string           `json:"subject"`
	From             string           `json:"from"`
	FromName         string           `json:"from_name,omitempty"`
	ReplyTo          string           `json:"reply_to,omitempty"`
	ReturnPath       string           `json:"return_path,omitempty"`
	To               []string         `json:"to,omitempty"`
	MessageID        string           `json:"message_id,omitempty"`
	Date             time.Time        `json:"date,omitzero"`
	Signals          []Signal         `json:"signals"`
	Lures            []Lure           `json:"lures"`
	IOCs             IOCs             `json:"iocs"`
	ReporterSummary  string           `json:"reporter_summary"`
	ResponderSummary string           `json:"responder_summary"`
	Attachments      []AttachmentInfo `json:"attachments"`
	Limits           []string         `json:"limits"`
	Fingerprint      Fingerprint      `json:"fingerprint"`
	// Bulk is set when the message is marketing or newsletter mail from a
	// genuine, authenticated bulk sender (signal bulk-sender); nil otherwise.
	Bulk *BulkSender `json:"bulk,omitempty"`
}

// Signal is one piece of evidence, with a one-sentence plain explanation.
type Signal struct {
	ID          string   `json:"id"`
	Severity    Severity `json:"severity"`
	Evidence    string   `json:"evidence"`
	Explanation string   `json:"explanation"`
	// Weight is how much the signal moved the score (negative for good signs).
	Weight int `json:"weight"`
}

// Lure categories.
const (
	LureUrgency   = "urgency"
	LureAuthority = "authority"
	LureFear      = "fear"
	LureReward    = "reward"
	LureCuriosity = "curiosity"
	LureSecrecy   = "secrecy"
)

// Lure is a persuasion cue found in the subject or body.
type Lure struct {
	Category string `json:"category"`
	Language string `json:"language"`
	Match    string `json:"match"`
}

// IOCs are the indicators found in a message, deduplicated and sorted.
type IOCs struct {
	URLs        []string     `json:"urls"`
	Domains     []string     `json:"domains"`
	IPs         []string     `json:"ips"`
	Emails      []string     `json:"emails"`
	Attachments []FileHashes `json:"attachments"`
}

// FileHashes names an attachment (or a file inside an archive) by its hash.
type FileHashes struct {
	Filename string `json:"filename"`
	SHA256   string `json:"sha256,omitempty"`
}

// AttachmentInfo describes one attachment or inline file.
type AttachmentInfo struct {
	Filename    string   `json:"filename"`
	ContentType string   `json:"content_type"`
	Size        int      `json:"size"`
	SHA256      string   `json:"sha256"`
	Inline      bool     `json:"inline,omitempty"`
	Entries     []string `json:"entries,omitempty"` // archive listing, if any
	Encrypted   bool     `json:"encrypted,omitempty"`
	// QRCodes are the payloads of QR codes read from the image, if any.
	QRCodes []string `json:"qr_codes,omitempty"`
}

// Fingerprint summarises a message for grouping duplicate reports into
// campaigns; compare two with Similar.
type Fingerprint struct {
	SenderDomain string   `json:"sender_domain"`
	Subject      string   `json:"subject"`
	LinkDomains  []string `json:"link_domains"`
	BodySimhash  uint64   `json:"body_simhash"`
}

// Options bound the work done on one message. The zero value uses the
// defaults listed in DefaultOptions.
type Options struct {
	MaxBytes          int // raw message size analysed; the rest is ignored
	MaxParts          int // MIME parts visited
	MaxDepth          int // multipart nesting depth
	MaxHeaderBytes    int // header block size
	MaxArchiveEntries int // zip entries listed per archive
	MaxURLs           int // URLs kept per message
	MaxImages         int // images decoded and read for QR codes per message
	MaxImageBytes     int // encoded size of one image read for QR codes
	MaxImagePixels    int // width × height of one image read for QR codes
	// Org is the organisation's own model, learned from its team's
	// decisions; nil (or empty) uses the default model alone.
	Org *OrgModel
}

// DefaultOptions returns the limits used for zero fields of Options.
func DefaultOptions() Options {
	return Options{
		MaxBytes:          25 << 20,
		MaxParts:          200,
		MaxDepth:          12,
		MaxHeaderBytes:    256 << 10,
		MaxArchiveEntries: 500,
		MaxURLs:           500,
		MaxImages:         8,
		MaxImageBytes:     10 << 20,
		MaxImagePixels:    16_000_000,
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	pick := func(v, def int) int {
		if v <= 0 {
			return def
		}
		return v
	}
	return Options{
		MaxBytes:          pick(o.MaxBytes, d.MaxBytes),
		MaxParts:          pick(o.MaxParts, d.MaxParts),
		MaxDepth:          pick(o.MaxDepth, d.MaxDepth),
		MaxHeaderBytes:    pick(o.MaxHeaderBytes, d.MaxHeaderBytes),
		MaxArchiveEntries: pick(o.MaxArchiveEntries, d.MaxArchiveEntries),
		MaxURLs:           pick(o.MaxURLs, d.MaxURLs),
		MaxImages:         pick(o.MaxImages, d.MaxImages),
		MaxImageBytes:     pick(o.MaxImageBytes, d.MaxImageBytes),
		MaxImagePixels:    pick(o.MaxImagePixels, d.MaxImagePixels),
		Org:               o.Org,
	}
}
