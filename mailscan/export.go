package mailscan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/allydesk/ally/csvsafe"
	"github.com/google/uuid"
)

// stixNamespace is the STIX 2.1 namespace for deterministic SCO ids.
var stixNamespace = uuid.MustParse("00abedb4-aa42-466c-9c01-fed23315a9b7")

// allyNamespace derives deterministic ids for Ally's own STIX and MISP
// objects (indicators, bundles, events).
var allyNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://allydesk.example/mailscan"))

// exported returns the reports worth sharing as threat intelligence: clean
// messages are left out so their (benign) indicators never reach a block list.
func exported(reports []*Report) []*Report {
	var out []*Report
	for _, r := range reports {
		if r != nil && r.Verdict != VerdictClean {
			out = append(out, r)
		}
	}
	return out
}

// scoID returns a STIX 2.1 deterministic id: UUIDv5 over the canonical JSON
// of the object's id-contributing properties.
func scoID(kind string, props map[string]any) string {
	// Canonical JSON (RFC 8785) for these flat string maps: sorted keys, no
	// HTML escaping.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(props)
	b := bytes.TrimSpace(buf.Bytes())
	return kind + "--" + uuid.NewSHA1(stixNamespace, b).String()
}

// stixPatternEscape quotes a value inside a STIX pattern string literal.
func stixPatternEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s)
}

// ExportSTIX writes the non-clean reports as a STIX 2.1 bundle: for each
// message an email-message observable with its sender's email-addr, and
// url, domain-name, ipv4/ipv6-addr and file observables; indicators (STIX
// patterns) for the sender, each URL and each attachment hash. Observable
// ids are the spec's deterministic UUIDv5 ids; indicator and bundle ids are
// UUIDv5 too, so the same reports always give the same bundle. Shared
// infrastructure (free mail, listed brands' own domains) is never made an
// indicator. created sets the timestamps.
func ExportSTIX(reports []*Report, created time.Time) ([]byte, error) {
	ts := created.UTC().Format("2006-01-02T15:04:05.000Z")
	objects := []map[string]any{}
	seen := map[string]bool{}
	add := func(o map[string]any) {
		id := o["id"].(string)
		if !seen[id] {
			seen[id] = true
			objects = append(objects, o)
		}
	}
	indicator := func(r *Report, pattern, name string) {
		add(map[string]any{
			"type": "indicator", "spec_version": "2.1", "id": "indicator--" + uuid.NewSHA1(allyNamespace,
				[]byte(pattern)).String(),
			"created": ts, "modified": ts, "valid_from": ts, "name": name, "pattern": pattern, "pattern_type": "stix",
			"indicator_types": []string{map[bool]string{true: "malicious-activity",
				false: "anomalous-activity"}[r.Verdict == VerdictMalicious]},
			"description": r.ResponderSummary,
		})
	}
	for _, r := range exported(reports) {
		email := map[string]any{"type": "email-message", "spec_version": "2.1", "is_multipart": len(r.Attachments) > 0,
			"subject": r.Subject}
		if r.From != "" {
			from := map[string]any{"type": "email-addr", "spec_version": "2.1", "value": r.From, "id": scoID("email-addr",
				map[string]any{"value": r.From})}
			add(from)
			email["from_ref"] = from["id"]
		}
		if !r.Date.IsZero() {
			email["date"] = r.Date.UTC().Format(time.RFC3339)
		}
		email["id"] = scoID("email-message", map[string]any{"from_ref": email["from_ref"], "subject": r.Subject})
		add(email)
		if r.From != "" {
			indicator(r, fmt.Sprintf("[email-message:from_ref.value = '%s']", stixPatternEscape(r.From)),
				"Sender of a reported "+r.Verdict+" email")
		}
		for _, u := range r.IOCs.URLs {
			if knownInfra(hostOf(u)) {
				continue
			}
			add(map[string]any{"type": "url", "spec_version": "2.1", "value": u, "id": scoID("url", map[string]any{"value": u})})
			indicator(r, fmt.Sprintf("[url:value = '%s']", stixPatternEscape(u)), "URL in a reported "+r.Verdict+" email")
		}
		for _, d := range r.IOCs.Domains {
			add(map[string]any{"type": "domain-name", "spec_version": "2.1", "value": d, "id": scoID("domain-name",
				map[string]any{"value": d})})
		}
		for _, ip := range r.IOCs.IPs {
			kind := "ipv4-addr"
			if strings.Contains(ip, ":") {
				kind = "ipv6-addr"
			}
			add(map[string]any{"type": kind, "spec_version": "2.1", "value": ip, "id": scoID(kind, map[string]any{"value": ip})})
		}
		for _, f := range r.IOCs.Attachments {
			hashes := map[string]any{"SHA-256": f.SHA256}
			add(map[string]any{"type": "file", "spec_version": "2.1", "name": f.Filename, "hashes": hashes, "id": scoID("file",
				map[string]any{"hashes": hashes, "name": f.Filename})})
			indicator(r, fmt.Sprintf("[file:hashes.'SHA-256' = '%s']", f.SHA256),
				"Attachment "+f.Filename+" of a reported "+r.Verdict+" email")
		}
	}
	ids := make([]string, 0, len(objects))
	for _, o := range objects {
		ids = append(ids, o["id"].(string))
	}
	sort.Strings(ids)
	bundle := map[string]any{
		"type": "bundle", "id": "bundle--" + uuid.NewSHA1(allyNamespace, []byte(strings.Join(ids, ","))).String(),
		"objects": objects,
	}
	return json.MarshalIndent(bundle, "", "  ")
}

// mispAttribute is one attribute of a MISP event.
type mispAttribute struct {
	UUID     string `json:"uuid"`
	Type     string `json:"type"`
	Category string `json:"category"`
	Value    string `json:"value"`
	ToIDS    bool   `json:"to_ids"`
	Comment  string `json:"comment,omitempty"`
}

// ExportMISP writes the non-clean reports as one MISP event (the JSON that
// MISP's "add event" API and its import accept), dated created.
func ExportMISP(reports []*Report, created time.Time) ([]byte, error) {
	var attrs []mispAttribute
	seen := map[string]bool{}
	add := func(typ, cat, value string, ids bool, comment string) {
		key := typ + "|" + value
		if value == "" || seen[key] {
			return
		}
		seen[key] = true
		attrs = append(attrs, mispAttribute{uuid.NewSHA1(allyNamespace, []byte(key)).String(), typ, cat, value, ids, comment})
	}
	rs := exported(reports)
	for _, r := range rs {
		c := r.Verdict + ": " + r.Subject
		add("email-src", "Payload delivery", r.From, !knownInfra(domainOf(r.From)), c)
		add("email-reply-to", "Payload delivery", r.ReplyTo, !knownInfra(domainOf(r.ReplyTo)), c)
		add("email-subject", "Payload delivery", r.Subject, false, c)
		for _, u := range r.IOCs.URLs {
			if knownInfra(hostOf(u)) {
				continue
			}
			add("url", "Network activity", u, true, c)
		}
		for _, d := range r.IOCs.Domains {
			add("domain", "Network activity", d, false, c)
		}
		for _, ip := range r.IOCs.IPs {
			add("ip-src", "Network activity", ip, false, c)
		}
		for _, f := range r.IOCs.Attachments {
			add("filename|sha256", "Payload delivery", f.Filename+"|"+f.SHA256, true, c)
		}
	}
	if attrs == nil {
		attrs = []mispAttribute{}
	}
	keysSeen := make([]string, 0, len(attrs))
	for _, at := range attrs {
		keysSeen = append(keysSeen, at.UUID)
	}
	sort.Strings(keysSeen)
	event := map[string]any{"Event": map[string]any{
		"uuid": uuid.NewSHA1(allyNamespace, []byte(strings.Join(keysSeen, ","))).String(),
		"info": fmt.Sprintf("Ally: %d reported email(s) judged malicious or suspicious", len(rs)),
		"date": created.UTC().Format("2006-01-02"), "timestamp": strconv.FormatInt(created.Unix(), 10),
		"threat_level_id": "2", "analysis": "2", "distribution": "0",
		"Tag":       []map[string]string{{"name": "tlp:amber"}, {"name": "rsit:fraud=\"phishing\""}},
		"Attribute": attrs,
	}}
	return json.MarshalIndent(event, "", "  ")
}

// ExportCSV writes one row per indicator (file, verdict, score, from,
// subject, type, value); a message without indicators gets one row with
// empty type and value. Unlike the STIX and MISP exports it lists every
// report, clean ones included, because it is a listing, not a feed.
func ExportCSV(reports []*Report) ([]byte, error) {
	var buf bytes.Buffer
	w := csvsafe.NewWriter(&buf)
	_ = w.Write([]string{"file", "verdict", "score", "from", "subject", "type", "value"})
	for _, r := range reports {
		row := func(typ, value string) {
			_ = w.Write([]string{r.Source, r.Verdict, strconv.Itoa(r.Score), r.From, r.Subject, typ, value})
		}
		n := 0
		for _, set := range []struct {
			typ    string
			values []string
		}{{"url", r.IOCs.URLs}, {"domain", r.IOCs.Domains}, {"ip", r.IOCs.IPs}, {"email", r.IOCs.Emails}} {
			for _, v := range set.values {
				row(set.typ, v)
				n++
			}
		}
		for _, f := range r.IOCs.Attachments {
			row("sha256", f.SHA256+" "+f.Filename)
			n++
		}
		if n == 0 {
			row("", "")
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
