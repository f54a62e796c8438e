package mailscan

// Test helpers that build QR code images and messages carrying them; used
// by the QR tests, the fuzz targets and the benchmarks.

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// qrMatrix encodes content as a QR code image of size×size pixels.
func qrMatrix(t testing.TB, content string, size int) image.Image {
	t.Helper()
	m, err := qrcode.NewQRCodeWriter().Encode(content, gozxing.BarcodeFormat_QR_CODE, size, size, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func qrPNG(t testing.TB, content string) []byte { return encodePNG(t, qrMatrix(t, content, 240)) }

func qrJPEG(t testing.TB, content string) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, qrMatrix(t, content, 300), &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func qrGIF(t testing.TB, content string) []byte {
	var b bytes.Buffer
	if err := gif.Encode(&b, qrMatrix(t, content, 240), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// inverted returns img with light and dark swapped (light modules on a
// dark ground).
func inverted(img image.Image) image.Image {
	b := img.Bounds()
	out := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			out.SetGray(x, y, color.Gray{255 - color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y})
		}
	}
	return out
}

// mailImage is an image part for qrMail.
type mailImage struct {
	name, ctype string
	data        []byte
	inline      bool
}

// qrMail builds a message with an HTML body and image parts (inline parts
// carry a Content-ID, as mail programs write them).
func qrMail(headers, html string, imgs ...mailImage) string {
	var b strings.Builder
	b.WriteString(headers)
	b.WriteString("MIME-Version: 1.0\nContent-Type: multipart/related; boundary=\"qr-b\"\n\n--qr-b\nContent-Type: text/html; charset=utf-8\n\n")
	b.WriteString(html)
	b.WriteString("\n")
	for i, im := range imgs {
		disp := "attachment"
		if im.inline {
			disp = "inline"
		}
		fmt.Fprintf(&b, "--qr-b\nContent-Type: %s; name=\"%s\"\nContent-Disposition: %s; filename=\"%s\"\nContent-ID: <img%d@mail>\nContent-Transfer-Encoding: base64\n\n", im.ctype, im.name, disp, im.name, i)
		enc := base64.StdEncoding.EncodeToString(im.data)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\n")
	}
	b.WriteString("--qr-b--\n")
	return b.String()
}

// hugePNG is a PNG whose header claims w×h pixels (its data is one row).
func hugePNG(t testing.TB, w, h uint32) []byte {
	raw := encodePNG(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	// IHDR data starts at 16: width, height (big endian), then the CRC at 29.
	be := func(off int, v uint32) {
		raw[off], raw[off+1], raw[off+2], raw[off+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
	be(16, w)
	be(20, h)
	be(29, crc32.ChecksumIEEE(raw[12:29]))
	return raw
}
