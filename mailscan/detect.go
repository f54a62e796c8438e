package mailscan

import (
	"bytes"
	"path/filepath"
	"strings"
)

// LooksLikeEmail decides whether an uploaded file is a message to analyse:
// by its name (.eml), its type (message/rfc822), or RFC 822 headers at the
// start of a file with no name extension of another kind.
func LooksLikeEmail(name, contentType string, data []byte) bool {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".eml" || strings.HasPrefix(strings.ToLower(contentType), "message/rfc822") {
		return true
	}
	head := bytes.ToLower(data[:min(len(data), 512)])
	for _, h := range []string{"from ", "received:", "return-path:", "delivered-to:", "from:", "mime-version:",
		"message-id:"} {
		if bytes.HasPrefix(head, []byte(h)) {
			return ext == "" || ext == ".txt" || ext == ".msg" || ext == ".mbox"
		}
	}
	return false
}
