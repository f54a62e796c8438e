package mailscan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/nwaples/rardecode/v2"
)

// archiveListing is what an archive's directory says, read without
// extracting anything. The zip and rar readers fill it; archiveSignals
// turns it into signals the same way for both (and for any reader added
// later: 7z is not listed yet, see docs/mailscan.md).
type archiveListing struct {
	kind        string   // "zip" or "rar"
	names       []string // entry names, in archive order, at most MaxArchiveEntries
	more        bool     // there were more entries than listed
	encrypted   bool     // an entry, or the file list itself, is password-protected
	namesHidden bool     // the file list itself is encrypted: no names could be read
}

// archiveKind names the archive type of an attachment that we can list:
// by extension or declared type first, then by the file's first bytes.
func archiveKind(ext, ctype string, data []byte) string {
	switch {
	case ext == "zip" || ctype == "application/zip" || ctype == "application/x-zip-compressed":
		return "zip"
	case ext == "rar" || ctype == "application/vnd.rar" || ctype == "application/x-rar-compressed" ||
		ctype == "application/x-rar":
		return "rar"
	case rules.archiveExt[ext]:
		return "" // another archive type: not opened
	case bytes.HasPrefix(data, []byte("Rar!\x1a\x07")):
		return "rar"
	}
	return ""
}

// listArchive lists a zip or rar attachment (never extracting an
// entry), raises the archive signals and returns the listing for the report.
func (a *analysis) listArchive(kind string, pt part, o Options) (entries []string, encrypted bool) {
	var l archiveListing
	var ok bool
	switch kind {
	case "zip":
		l, ok = a.zipListing(pt, o)
	case "rar":
		l, ok = a.rarListing(pt, o)
	}
	if !ok {
		return nil, false
	}
	a.archiveSignals(pt, l, o)
	return l.names, l.encrypted
}

// archiveSignals raises the signals of one archive listing: risky entries
// (programs, scripts, web pages, double extensions), password protection
// and a password given in the message body. Shared by zip and rar.
func (a *analysis) archiveSignals(pt part, l archiveListing, o Options) {
	if l.more {
		a.p.limit("%s: more than %d archive entries: the rest were not listed", pt.filename, o.MaxArchiveEntries)
	}
	for _, n := range l.names {
		name := strings.ToLower(n)
		if ext := extOf(name); rules.executableExt[ext] || rules.htmlExt[ext] || doubleExtension(name) {
			a.sig.add("archive-risky-entry", "%s (%s) contains %s", pt.filename, l.kind, n)
		}
	}
	if l.namesHidden {
		a.p.limit("%s: the %s archive's file list is encrypted, so its entry names are hidden and were not checked",
			pt.filename, l.kind)
	}
	if l.encrypted {
		if l.namesHidden {
			a.sig.add("encrypted-archive", "%s is a password-protected %s archive; even its file names are hidden", pt.filename,
				l.kind)
		} else {
			a.sig.add("encrypted-archive", "%s is a password-protected %s archive", pt.filename, l.kind)
		}
		if len(a.cues["archive_password"]) > 0 {
			a.sig.add("archive-password-in-body", "the message mentions %q", a.cues["archive_password"][0].text)
		}
	}
}

// readerFailed turns a panic inside a third-party archive reader into an
// error, so a hostile archive ends as a Limits note.
func readerFailed(err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("reader panicked: %v", p)
	}
}

// --- rar ---

// rarListing lists a rar (RAR 1.5–4.x or 5.0) archive's file headers with
// rardecode's List, which walks the block headers and skips the packed
// data: no entry is decompressed or decrypted. When List fails (truncated
// or damaged archive, first volume of several), the entries before the
// damage are read with rardecode's streaming reader instead.
func (a *analysis) rarListing(pt part, o Options) (archiveListing, bool) {
	l := archiveListing{kind: "rar"}
	files, err := listRar(pt.data, o.MaxArchiveEntries)
	switch {
	case errors.Is(err, rardecode.ErrArchiveEncrypted):
		l.encrypted, l.namesHidden = true, true
		return l, true
	case err != nil:
		names, enc, more := streamRar(pt.data, o.MaxArchiveEntries)
		if len(names) == 0 {
			a.p.limit("%s: not a readable rar archive (%s), so its contents were not listed", pt.filename, shortErr(err))
			return l, false
		}
		if !more {
			a.p.limit("%s: the rar archive is damaged, incomplete or split into volumes (%s): "+
				"only its first %d entries were listed", pt.filename, shortErr(err), len(names))
		}
		l.names, l.encrypted, l.more = names, enc, more
		return l, true
	}
	for i, f := range files {
		if i >= o.MaxArchiveEntries {
			l.more = true
			break
		}
		l.names = append(l.names, f.Name)
		l.encrypted = l.encrypted || f.Encrypted || f.HeaderEncrypted
	}
	return l, true
}

// rarStreamWindow caps the decoder window rardecode's streaming reader
// allocates for each compressed entry it passes (it prepares a decoder even
// when nothing is read); an entry needing more ends the fallback listing.
const rarStreamWindow = 4 << 20

// streamRar reads entry headers one by one until the first error, for
// archives List rejects as a whole. Nothing is read from any entry.
func streamRar(data []byte, max int) (names []string, encrypted, more bool) {
	defer func() { recover() }() // keep what was listed before a panic
	r, err := rardecode.NewReader(bytes.NewReader(data), rardecode.MaxDictionarySize(rarStreamWindow), rardecode.SkipCheck)
	if err != nil {
		return nil, false, false
	}
	for {
		h, err := r.Next()
		if err != nil {
			return names, encrypted, false
		}
		if len(names) >= max {
			return names, encrypted, true
		}
		names = append(names, h.Name)
		encrypted = encrypted || h.Encrypted || h.HeaderEncrypted
	}
}

// rarVolumeName is the name the in-memory archive is served under.
const rarVolumeName = "attachment.rar"

// rarHeaderBudget bounds the bytes List may read per entry we list
// (headers and a small read-ahead; packed data is skipped, not read). List
// keeps every header it reads, so without it a 25 MiB archive of empty
// entries costs about 1 GB; once spent, List fails and streamRar lists the
// first entries instead. rarReadAhead keeps the read after each skip small.
const (
	rarHeaderBudget = 2 << 10
	rarReadAhead    = 256
)

func listRar(data []byte, maxEntries int) (files []*rardecode.File, err error) {
	defer readerFailed(&err)
	fsys := memFS{name: rarVolumeName, data: data, budget: (maxEntries + 1) * rarHeaderBudget}
	return rardecode.List(rarVolumeName, rardecode.FileSystem(fsys), rardecode.SkipCheck,
		rardecode.BufferSize(rarReadAhead))
}

// memFS serves one in-memory file, so rardecode can seek over packed data
// instead of reading it. Other names (the next volume of a multi-volume
// archive) do not exist.
type memFS struct {
	name   string
	data   []byte
	budget int // bytes a file opened from it may read; 0 for no limit
}

func (m memFS) Open(name string) (fs.File, error) {
	if name != m.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &memFile{Reader: bytes.NewReader(m.data), name: name, left: m.budget, limited: m.budget > 0}, nil
}

type memFile struct {
	*bytes.Reader
	name    string
	left    int // bytes it may still read, when limited
	limited bool
}

// errHeaderBudget ends a listing that read more headers than it may keep.
var errHeaderBudget = errors.New("too many entries to list them all")

func (f *memFile) Read(p []byte) (int, error) {
	if !f.limited {
		return f.Reader.Read(p)
	}
	if f.left <= 0 {
		return 0, errHeaderBudget
	}
	n, err := f.Reader.Read(p[:min(len(p), f.left)])
	f.left -= n
	return n, err
}

func (f *memFile) Stat() (fs.FileInfo, error) { return memInfo{f.name, f.Size()}, nil }
func (f *memFile) Close() error               { return nil }

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

// shortErr keeps a reader's error short and on one line for Limits.
func shortErr(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		s = "truncated: " + s
	}
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}
