package mailscan

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"testing"
)

// zipBytes builds a zip archive of (name, content) entries; encrypted sets
// the encryption flag on each entry (for listing tests only).
func zipBytes(t testing.TB, entries [][2]string, encrypted bool) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e[0], Method: zip.Store}
		if encrypted {
			h.Flags |= 0x1
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withAttachment returns a small message carrying one base64 attachment.
func withAttachment(name, ctype string, data []byte) string {
	return "From: a@b.example\nSubject: file\nContent-Type: multipart/mixed; boundary=\"z\"\n\n--z\nContent-Type: text/plain\n\nsee attached\n--z\nContent-Type: " + ctype +
		"\nContent-Disposition: attachment; filename=\"" + name + "\"\nContent-Transfer-Encoding: base64\n\n" + base64.StdEncoding.EncodeToString(data) + "\n--z--\n"
}
