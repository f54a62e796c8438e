package mailscan

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nwaples/rardecode/v2"
)

// TestArchiveFixtures lists each rar fixture (testdata/archives, see
// its README) as an attachment and checks entries, signals and limits.
func TestArchiveFixtures(t *testing.T) {
	cases := []struct {
		file      string
		entries   []string
		risky     bool   // archive-risky-entry
		encrypted bool   // encrypted-archive and AttachmentInfo.Encrypted
		limit     string // substring of a Limits note, "" for none
	}{
		{"harmless.rar", []string{"minutes.txt", "report.pdf"}, false, false, ""},
		{"exe.rar", []string{"invoice.pdf.exe", "readme.txt"}, true, false, ""},
		{"encrypted-entries.rar", []string{"statement.pdf"}, false, true, ""},
		{"encrypted-names.rar", nil, false, true, "file list is encrypted, so its entry names are hidden"},
		{"truncated.rar", nil, false, false, "not a readable rar archive"},
		{"harmless-rar4.rar", []string{"minutes.txt"}, false, false, ""},
		{"exe-rar4.rar", []string{"payment.js", "notes.txt"}, true, false, ""},
		{"encrypted-rar4.rar", []string{"statement.pdf"}, false, true, ""},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "archives", c.file))
			if err != nil {
				t.Fatal(err)
			}
			kind := "rar"
			for _, ctype := range []string{"application/octet-stream", "application/vnd.rar"} {
				r := mustAnalyze(t, withAttachment(c.file, ctype, data), Options{})
				if len(r.Attachments) != 1 {
					t.Fatalf("attachments %+v", r.Attachments)
				}
				at := r.Attachments[0]
				if fmt.Sprint(at.Entries) != fmt.Sprint(c.entries) || at.Encrypted != c.encrypted {
					t.Errorf("%s: entries %q encrypted %v, want %q %v", ctype, at.Entries, at.Encrypted, c.entries, c.encrypted)
				}
				if hasSignal(r, "archive-risky-entry") != c.risky {
					t.Errorf("%s: archive-risky-entry = %v, want %v (%v)", ctype, !c.risky, c.risky, r.Signals)
				}
				if hasSignal(r, "encrypted-archive") != c.encrypted {
					t.Errorf("%s: encrypted-archive = %v, want %v (%v)", ctype, !c.encrypted, c.encrypted, r.Signals)
				}
				limits := strings.Join(r.Limits, " | ")
				if c.limit == "" && limits != "" || !strings.Contains(limits, c.limit) {
					t.Errorf("%s: limits %q, want %q", ctype, limits, c.limit)
				}
				for _, s := range r.Signals {
					if s.ID == "archive-risky-entry" && !strings.Contains(s.Evidence, "("+kind+") contains") ||
						s.ID == "encrypted-archive" && !strings.Contains(s.Evidence, "protected "+kind+" archive") {
						t.Errorf("%s: evidence %q does not name the archive kind", s.ID, s.Evidence)
					}
				}
				if c.risky && r.Verdict == VerdictClean {
					t.Errorf("%s: risky archive judged clean", c.file)
				}
			}
		})
	}
}

// TestArchivePasswordInBody: a password-protected rar sent with its
// password in the body is treated like such a zip.
func TestArchivePasswordInBody(t *testing.T) {
	for _, file := range []string{"encrypted-names.rar", "encrypted-entries.rar"} {
		data, err := os.ReadFile(filepath.Join("testdata", "archives", file))
		if err != nil {
			t.Fatal(err)
		}
		raw := strings.Replace(withAttachment(file, "application/octet-stream", data), "see attached", "Invoice attached. The password is 7788.", 1)
		r := mustAnalyze(t, raw, Options{})
		if !hasSignal(r, "encrypted-archive") || !hasSignal(r, "archive-password-in-body") {
			t.Errorf("%s: signals %v", file, r.Signals)
		}
		if r.Verdict == VerdictClean {
			t.Errorf("%s: judged clean (score %d)", file, r.Score)
		}
	}
}

// TestArchiveEntryBound: rar listings stop at MaxArchiveEntries, like zip.
func TestArchiveEntryBound(t *testing.T) {
	var many []rarEntry
	for i := 0; i < 20; i++ {
		many = append(many, rarEntry{fmt.Sprintf("f%02d.txt", i), "x", false})
	}
	r := mustAnalyze(t, withAttachment("many.rar", "application/octet-stream", rar5(many, false)), Options{MaxArchiveEntries: 5})
	if len(r.Attachments[0].Entries) != 5 || !strings.Contains(strings.Join(r.Limits, " "), "more than 5 archive entries") {
		t.Errorf("entries %q, limits %q", r.Attachments[0].Entries, r.Limits)
	}
}

// TestRarDamagedPartial: when the whole-archive listing fails, the entries
// before the damage are still listed and checked, with a Limits note.
func TestRarDamagedPartial(t *testing.T) {
	exe, err := os.ReadFile(filepath.Join("testdata", "archives", "exe.rar"))
	if err != nil {
		t.Fatal(err)
	}
	// first volume of several: archive and end-of-archive "volume" flags
	vol := rar5([]rarEntry{{"a.exe", "MZ", false}}, false)
	vol[15] = 1
	binary.LittleEndian.PutUint32(vol[8:], crc32.ChecksumIEEE(vol[12:16]))
	n := len(vol)
	vol[n-1] = 1
	binary.LittleEndian.PutUint32(vol[n-8:], crc32.ChecksumIEEE(vol[n-4:]))
	for name, c := range map[string]struct {
		data  []byte
		entry string
	}{
		"cut.rar":     {exe[:len(exe)-5], "invoice.pdf.exe"},
		"a.part1.rar": {vol, "a.exe"},
	} {
		r := mustAnalyze(t, withAttachment(name, "application/octet-stream", c.data), Options{})
		if len(r.Attachments[0].Entries) == 0 || r.Attachments[0].Entries[0] != c.entry || !hasSignal(r, "archive-risky-entry") ||
			!strings.Contains(strings.Join(r.Limits, " "), "only its first") {
			t.Errorf("%s: entries %q, limits %q, signals %v", name, r.Attachments[0].Entries, r.Limits, r.Signals)
		}
	}
}

// TestArchiveSniffed: a rar renamed to hide its type is still listed.
func TestArchiveSniffed(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "archives", "exe.rar"))
	if err != nil {
		t.Fatal(err)
	}
	r := mustAnalyze(t, withAttachment("scan.dat", "application/octet-stream", data), Options{})
	if !hasSignal(r, "archive-risky-entry") {
		t.Errorf("renamed rar: signals %v", r.Signals)
	}
}

// TestSevenZipNotOpened: 7z archives are named in Limits as not opened
// (see docs/mailscan.md for why), without a listing or a crash.
func TestSevenZipNotOpened(t *testing.T) {
	data := []byte("7z\xbc\xaf\x27\x1c\x00\x04 not a whole archive")
	r := mustAnalyze(t, withAttachment("invoice.7z", "application/x-7z-compressed", data), Options{})
	if len(r.Attachments[0].Entries) != 0 || !strings.Contains(strings.Join(r.Limits, " "), "7z archives are not opened") {
		t.Errorf("entries %q, limits %q", r.Attachments[0].Entries, r.Limits)
	}
}

// TestArchiveSharedSignals: zip goes through the same listing-to-signals
// path, with the kind in the evidence.
func TestArchiveSharedSignals(t *testing.T) {
	r := mustAnalyze(t, withAttachment("a.zip", "application/zip", zipBytes(t, [][2]string{{"a.js", "x"}}, true)), Options{})
	for _, id := range []string{"archive-risky-entry", "encrypted-archive"} {
		found := false
		for _, s := range r.Signals {
			if s.ID == id && (strings.Contains(s.Evidence, "(zip) contains") || strings.Contains(s.Evidence, "protected zip archive")) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s with zip evidence missing: %v", id, r.Signals)
		}
	}
}

// TestArchiveReaderPanic: a panic inside a third-party reader ends as an
// error (a Limits note), not a crash.
func TestArchiveReaderPanic(t *testing.T) {
	f := func() (err error) {
		defer readerFailed(&err)
		panic("reader bug") // as a third-party reader's own panic would
	}
	if err := f(); err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("err = %v", err)
	}
}

// TestRarFixturesUpToDate: the committed rar fixtures are what
// rargen_test.go writes, so the README's account of them stays true.
func TestRarFixturesUpToDate(t *testing.T) {
	for name, want := range rarFixtures() {
		got, err := os.ReadFile(filepath.Join("testdata", "archives", name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from rarFixtures() (err %v): run MAILSCAN_WRITE_FIXTURES=1 go test -run TestWriteRarFixtures ./mailscan/", name, err)
		}
	}
}

// FuzzRarListing feeds arbitrary bytes to the rar reader, directly and as
// an attachment (named .rar, and sniffed under another name): no panic or
// hang, a bounded listing and a well-formed report.
func FuzzRarListing(f *testing.F) {
	files, _ := filepath.Glob("testdata/archives/*.rar")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("Rar!\x1a\x07\x01\x00"))
	f.Add([]byte("Rar!\x1a\x07\x00"))
	o := Options{MaxArchiveEntries: 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		// the library itself, without readerFailed: a panic here is worth
		// knowing even though Analyze would recover it
		rardecode.List(rarVolumeName, rardecode.FileSystem(memFS{name: rarVolumeName, data: data}), rardecode.SkipCheck)
		for _, name := range []string{"a.rar", "scan.dat"} {
			r, err := Analyze(archiveMail(name, data), o)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Attachments) != 1 || len(r.Attachments[0].Entries) > o.MaxArchiveEntries {
				t.Fatalf("attachments %+v", r.Attachments)
			}
			if _, err := json.Marshal(r); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// archiveMail wraps archive bytes as an attachment; used by FuzzArchive.
func archiveMail(name string, data []byte) []byte {
	return []byte("From: a@b.example\nSubject: files\nContent-Type: multipart/mixed; boundary=\"z\"\n\n--z\nContent-Type: text/plain\n\nthe password is 1234\n--z\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"" +
		name + "\"\nContent-Transfer-Encoding: base64\n\n" + base64.StdEncoding.EncodeToString(data) + "\n--z--\n")
}
