package mailscan

// A test-only writer of tiny RAR 5.0 archives with stored (uncompressed)
// entries, following the public "RAR 5.0 archive format" description by
// RARLAB. It writes fixtures only: the RAR format has no open-source
// writer, and nothing here reads archives (rardecode does that). Run
//
//	MAILSCAN_WRITE_FIXTURES=1 go test -run TestWriteRarFixtures ./mailscan/
//
// to rewrite testdata/archives/*.rar.

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
)

// rarEntry is one stored file of a generated archive.
type rarEntry struct {
	name, content string
	encrypted     bool // add an AES-256 encryption record (content left as is)
}

func rarVint(b *bytes.Buffer, v uint64) {
	for v >= 0x80 {
		b.WriteByte(byte(v) | 0x80)
		v >>= 7
	}
	b.WriteByte(byte(v))
}

// rarBlock writes one header: CRC32, header size, then body (type, flags...).
func rarBlock(out *bytes.Buffer, body []byte) {
	var h bytes.Buffer
	rarVint(&h, uint64(len(body)))
	h.Write(body)
	var crc [4]byte
	binary.LittleEndian.PutUint32(crc[:], crc32.ChecksumIEEE(h.Bytes()))
	out.Write(crc[:])
	out.Write(h.Bytes())
}

// rar5 builds a RAR 5.0 archive of stored entries. headersEncrypted adds an
// archive encryption header and then random bytes, as an archive made with
// "rar -hp" looks to a reader without the password.
func rar5(entries []rarEntry, headersEncrypted bool) []byte {
	var out bytes.Buffer
	out.WriteString("Rar!\x1a\x07\x01\x00")
	if headersEncrypted {
		var b bytes.Buffer
		rarVint(&b, 4)                          // archive encryption header
		rarVint(&b, 0)                          // header flags
		rarVint(&b, 0)                          // encryption version: AES-256
		rarVint(&b, 0)                          // encryption flags: no password check value
		b.WriteByte(15)                         // KDF count (log2)
		b.Write(bytes.Repeat([]byte{0x5a}, 16)) // salt
		rarBlock(&out, b.Bytes())
		// what follows is AES-encrypted: IV then ciphertext
		for i := 0; i < 96; i++ {
			out.WriteByte(byte(i*37 + 11))
		}
		return out.Bytes()
	}
	var m bytes.Buffer
	rarVint(&m, 1) // main archive header
	rarVint(&m, 0)
	rarVint(&m, 0) // archive flags
	rarBlock(&out, m.Bytes())
	for _, e := range entries {
		var extra bytes.Buffer
		if e.encrypted {
			var rec bytes.Buffer
			rarVint(&rec, 1) // record type: file encryption
			rarVint(&rec, 0) // version: AES-256
			rarVint(&rec, 0) // flags
			rec.WriteByte(15)
			rec.Write(bytes.Repeat([]byte{0x33}, 16)) // salt
			rec.Write(bytes.Repeat([]byte{0x44}, 16)) // IV
			rarVint(&extra, uint64(rec.Len()))
			extra.Write(rec.Bytes())
		}
		data := []byte(e.content)
		if e.encrypted { // AES blocks are 16 bytes
			data = append(data, make([]byte, (16-len(data)%16)%16)...)
		}
		var b bytes.Buffer
		rarVint(&b, 2) // file header
		flags := uint64(0x02)
		if extra.Len() > 0 {
			flags |= 0x01
		}
		rarVint(&b, flags)
		if extra.Len() > 0 {
			rarVint(&b, uint64(extra.Len()))
		}
		rarVint(&b, uint64(len(data))) // data size
		rarVint(&b, 0x04)              // file flags: CRC32 present
		rarVint(&b, uint64(len(e.content)))
		rarVint(&b, 0x20) // attributes
		var crc [4]byte
		binary.LittleEndian.PutUint32(crc[:], crc32.ChecksumIEEE([]byte(e.content)))
		b.Write(crc[:])
		rarVint(&b, 0) // compression: version 0, stored
		rarVint(&b, 0) // host OS: Windows
		rarVint(&b, uint64(len(e.name)))
		b.WriteString(e.name)
		b.Write(extra.Bytes())
		rarBlock(&out, b.Bytes())
		out.Write(data)
	}
	var end bytes.Buffer
	rarVint(&end, 5) // end of archive
	rarVint(&end, 0)
	rarVint(&end, 0)
	rarBlock(&out, end.Bytes())
	return out.Bytes()
}

// rar4 builds a RAR 1.5–4.x archive of stored entries (the older format,
// still common). An encrypted entry gets the encrypted and salt flags.
func rar4(entries []rarEntry) []byte {
	var out bytes.Buffer
	block := func(typ byte, flags uint16, body []byte) {
		var h bytes.Buffer
		h.WriteByte(typ)
		binary.Write(&h, binary.LittleEndian, flags)
		binary.Write(&h, binary.LittleEndian, uint16(7+len(body)))
		h.Write(body)
		binary.Write(&out, binary.LittleEndian, uint16(crc32.ChecksumIEEE(h.Bytes())))
		out.Write(h.Bytes())
	}
	out.WriteString("Rar!\x1a\x07\x00")
	block(0x73, 0, make([]byte, 6)) // main archive header: reserved fields
	for _, e := range entries {
		data := []byte(e.content)
		flags := uint16(0x8000) // long block: packed data follows
		if e.encrypted {
			flags |= 0x04 | 0x400 // encrypted, salt present
			data = append(data, make([]byte, (16-len(data)%16)%16)...)
		}
		var b bytes.Buffer
		binary.Write(&b, binary.LittleEndian, uint32(len(data)))      // packed size
		binary.Write(&b, binary.LittleEndian, uint32(len(e.content))) // unpacked size
		b.WriteByte(2)                                                // host OS: Win32
		binary.Write(&b, binary.LittleEndian, crc32.ChecksumIEEE([]byte(e.content)))
		binary.Write(&b, binary.LittleEndian, uint32(0x21<<25|1<<21|1<<16)) // DOS time 1985-01-01
		b.WriteByte(29)                                                     // version needed: 2.9
		b.WriteByte(0x30)                                                   // method: store
		binary.Write(&b, binary.LittleEndian, uint16(len(e.name)))
		binary.Write(&b, binary.LittleEndian, uint32(0x20)) // attributes
		b.WriteString(e.name)
		if e.encrypted {
			b.Write(bytes.Repeat([]byte{0x5a}, 8)) // salt
		}
		block(0x74, flags, b.Bytes())
		out.Write(data)
	}
	block(0x7b, 0x4000, nil) // end of archive
	return out.Bytes()
}

// rarFixtures are the generated files under testdata/archives.
func rarFixtures() map[string][]byte {
	harmless := rar5([]rarEntry{{"minutes.txt", "Minutes of the Tuesday meeting.\n", false}, {"report.pdf", "%PDF-1.4 placeholder\n", false}}, false)
	return map[string][]byte{
		"harmless.rar":          harmless,
		"exe.rar":               rar5([]rarEntry{{"invoice.pdf.exe", "MZ not a real program\n", false}, {"readme.txt", "open the invoice\n", false}}, false),
		"encrypted-entries.rar": rar5([]rarEntry{{"statement.pdf", "%PDF-1.4 placeholder\n", true}}, false),
		"encrypted-names.rar":   rar5(nil, true),
		"truncated.rar":         harmless[:40],
		"exe-rar4.rar":          rar4([]rarEntry{{"payment.js", "WScript.Echo(1)\n", false}, {"notes.txt", "see the script\n", false}}),
		"encrypted-rar4.rar":    rar4([]rarEntry{{"statement.pdf", "%PDF-1.4 placeholder\n", true}}),
		"harmless-rar4.rar":     rar4([]rarEntry{{"minutes.txt", "Minutes of the Tuesday meeting.\n", false}}),
	}
}

func TestWriteRarFixtures(t *testing.T) {
	if os.Getenv("MAILSCAN_WRITE_FIXTURES") == "" {
		t.Skip("set MAILSCAN_WRITE_FIXTURES=1 to rewrite testdata/archives/*.rar")
	}
	for name, b := range rarFixtures() {
		if err := os.WriteFile(filepath.Join("testdata", "archives", name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
