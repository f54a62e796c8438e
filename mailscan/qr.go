package mailscan

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"sort"
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// QR codes in images ("quishing"): the link is in a picture, so the reader
// can only follow it with a phone and mail filters cannot read it. Images
// attached or inline (PNG, JPEG, GIF) are decoded, within the limits in
// Options, and a URL found in a QR code is checked like any other link.

const (
	// minQRSide is the smallest image side that can hold a QR code (21
	// modules for version 1); smaller images (spacers, tracking pixels) are
	// skipped without a note.
	minQRSide = 21
	// maxQRSide bounds the side of the grey image handed to the QR reader:
	// larger images are shrunk first (QR codes in mail are a few hundred
	// pixels wide, so nothing is lost).
	maxQRSide = 2048
	// maxFinderCenters bounds the candidate finder patterns the QR reader
	// may collect in one image: its choice of the best three is cubic in
	// their number, so an image tiled with finder patterns would hang it.
	maxFinderCenters = 256
	// qrMessagePixelBudget bounds the pixels decoded per message, in
	// multiples of Options.MaxImagePixels (decoding 16 megapixels takes
	// about half a second).
	qrMessagePixelBudget = 3
	// maxQRPayload bounds how much of a payload is kept in the report.
	maxQRPayload = 2048
)

// qrFound is one QR code read from an image.
type qrFound struct {
	image   string // the image's name for evidence
	payload string
	url     string // the payload as a link, or "" when it is not one
}

// imageFormat returns the image format by its first bytes: "png", "jpeg",
// "gif", or "" for anything else.
func imageFormat(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "jpeg"
	case bytes.HasPrefix(data, []byte("GIF87a")) || bytes.HasPrefix(data, []byte("GIF89a")):
		return "gif"
	}
	return ""
}

// imageDecoders are the only decoders used, chosen by the data's first
// bytes (imageFormat), whatever other formats the program has registered
// with package image. GIF gives its first frame.
var imageDecoders = map[string]struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}{
	"png":  {png.DecodeConfig, png.Decode},
	"jpeg": {jpeg.DecodeConfig, jpeg.Decode},
	"gif":  {gif.DecodeConfig, gif.Decode},
}

// imageCandidate is an attachment or inline part that may hold a QR code.
type imageCandidate struct {
	index  int // into a.p.parts and a.r.Attachments
	name   string
	format string
	cfg    image.Config
}

// isImagePart reports whether a part is declared or named as an image.
func isImagePart(pt part) bool {
	if strings.HasPrefix(pt.contentType, "image/") {
		return true
	}
	switch extOf(pt.filename) {
	case "png", "jpg", "jpeg", "jpe", "gif":
		return true
	}
	return false
}

// qrImages decodes the QR codes in the message's images, records their
// payloads on the attachments, adds URL payloads to the links (checked
// like any link by linkSignals) and raises qr-code-link or qr-code-data.
func (a *analysis) qrImages(o Options) {
	parts := a.p.parts[:len(a.p.parts):len(a.p.parts)]
	for i, src := range a.dataImage {
		if pt, ok := a.dataImagePart(src, i+1, o); ok {
			parts = append(parts, pt)
		}
	}
	parts = append(parts, a.pdfImage...)
	var cands []imageCandidate
	for i, pt := range parts {
		if !isImagePart(pt) {
			continue
		}
		name := pt.filename
		if name == "" {
			name = fmt.Sprintf("inline image %d (%s)", i+1, pt.contentType)
		}
		format := imageFormat(pt.data)
		switch {
		case format == "" && (pt.contentType == "image/svg+xml" || extOf(pt.filename) == "svg"):
			continue // read as a web page by htmlAttachment
		case format == "" && (pt.contentType == "image/png" || pt.contentType == "image/jpeg" ||
			pt.contentType == "image/jpg" || pt.contentType == "image/gif" || pt.contentType == "image/pjpeg"):
			a.p.limit("%s: not a readable %s image, so it was not checked for QR codes", name, pt.contentType)
			continue
		case format == "":
			if strings.HasPrefix(pt.contentType, "image/") {
				a.p.limit("%s: %s images are not checked for QR codes (only PNG, JPEG and GIF)", name, pt.contentType)
			}
			continue
		}
		if len(pt.data) > o.MaxImageBytes {
			a.p.limit("%s: image larger than %d bytes, so it was not checked for QR codes", name, o.MaxImageBytes)
			continue
		}
		cfg, err := safeDecodeConfig(format, pt.data)
		if err != nil {
			a.p.limit("%s: not a readable %s image (%v), so it was not checked for QR codes", name, format, err)
			continue
		}
		if cfg.Width < minQRSide || cfg.Height < minQRSide {
			continue
		}
		if int64(cfg.Width)*int64(cfg.Height) > int64(o.MaxImagePixels) {
			a.p.limit("%s: image of %d×%d pixels is over the %d-pixel budget, so it was not checked for QR codes", name,
				cfg.Width, cfg.Height, o.MaxImagePixels)
			continue
		}
		cands = append(cands, imageCandidate{index: i, name: name, format: format, cfg: cfg})
	}
	if len(cands) == 0 {
		return
	}
	// QR codes are square: when there are more images than the budget,
	// squarish ones are read first, then in message order.
	sort.SliceStable(cands, func(i, j int) bool { return squarish(cands[i].cfg) && !squarish(cands[j].cfg) })
	if len(cands) > o.MaxImages {
		a.p.limit("more than %d images: only %d were checked for QR codes", o.MaxImages, o.MaxImages)
		cands = cands[:o.MaxImages]
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].index < cands[j].index })
	var found []qrFound
	budget := int64(o.MaxImagePixels) * qrMessagePixelBudget
	for _, c := range cands {
		if budget -= int64(c.cfg.Width) * int64(c.cfg.Height); budget < 0 {
			a.p.limit("%s: the images together are over %d× the pixel budget, so the rest were not checked for QR codes",
				c.name, qrMessagePixelBudget)
			break
		}
		payload, ok, err := readQRRemembered(parts[c.index].sum, c.format, parts[c.index].data)
		if err != nil {
			a.p.limit("%s: %v, so it was not checked for QR codes", c.name, err)
			continue
		}
		if !ok {
			continue
		}
		q := qrFound{image: c.name, payload: payload, url: qrURL(payload)}
		found = append(found, q)
		at := c.index // the attachment the picture is, or is in (a PDF's)
		if at >= len(a.p.parts) {
			at = parts[c.index].in - 1
		}
		if at >= 0 && at < len(a.r.Attachments) {
			a.r.Attachments[at].QRCodes = append(a.r.Attachments[at].QRCodes, payload)
		}
	}
	var urls, data []string
	for _, q := range found {
		if q.url != "" {
			a.links = append(a.links, link{href: q.url})
			if a.qrImage == nil {
				a.qrImage = map[string]string{}
			}
			if a.qrImage[q.url] == "" {
				a.qrImage[q.url] = q.image
			}
			urls = append(urls, q.image+": "+q.url)
		} else {
			data = append(data, fmt.Sprintf("%s: %q", q.image, clip(q.payload, 80)))
		}
	}
	if len(urls) > 0 {
		a.sig.add("qr-code-link", "%s", strings.Join(urls, "; "))
	}
	if len(data) > 0 {
		a.sig.add("qr-code-data", "%s", strings.Join(data, "; "))
	}
}

// maxDataImages bounds the pictures taken from HTML <img src="data:…">
// per document; Options.MaxImages bounds those read.
const maxDataImages = 16

// dataImagePart turns the src of an <img> holding its own picture
// ("data:image/png;base64,…") into a part named "embedded image n", or
// reports false (with a Limits note when the picture was not usable).
func (a *analysis) dataImagePart(src string, n int, o Options) (part, bool) {
	name := fmt.Sprintf("embedded image %d", n)
	meta, payload, ok := strings.Cut(src[len("data:"):], ",")
	mime, _, _ := strings.Cut(meta, ";")
	if !ok || !strings.Contains(strings.ToLower(meta), ";base64") {
		return part{}, false // percent-encoded pictures (SVG, mostly) are not read
	}
	payload = strings.Join(strings.Fields(payload), "")
	if base64.StdEncoding.DecodedLen(len(payload)) > o.MaxImageBytes {
		a.p.limit("%s: image larger than %d bytes, so it was not checked for QR codes", name, o.MaxImageBytes)
		return part{}, false
	}
	data, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		data, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(payload, "="))
	}
	if err != nil {
		a.p.limit("%s: not readable base64, so it was not checked for QR codes", name)
		return part{}, false
	}
	return part{filename: name, contentType: strings.ToLower(mime), inline: true, data: data,
		sum: sha256.Sum256(data)}, true
}

// squarish reports whether an image's sides are within 1.5× of each other.
func squarish(c image.Config) bool {
	w, h := c.Width, c.Height
	return 2*w <= 3*h && 2*h <= 3*w
}

// clip shortens s to at most n runes for evidence.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// qrURL returns a QR payload as a link a phone would open, or "" when it is
// not one: http(s) URLs, "www." addresses and URL:/URLTO: records. Other
// payloads (text, mailto:, tel:, Wi-Fi or contact cards) are not links.
func qrURL(payload string) string {
	p := strings.TrimSpace(payload)
	for _, prefix := range []string{"urlto:", "url:"} {
		if hasPrefixFold(p, prefix) {
			p = strings.TrimSpace(p[len(prefix):])
			break
		}
	}
	if strings.ContainsAny(p, " \t\r\n") {
		return ""
	}
	if hasPrefixFold(p, "http://") || hasPrefixFold(p, "https://") || hasPrefixFold(p, "www.") {
		if hostOf(p) != "" {
			return p
		}
	}
	return ""
}

// errTooManyCenters aborts the QR reader when an image holds more candidate
// finder patterns than maxFinderCenters.
type errTooManyCenters struct{}

// safeDecodeConfig reads an image's size, turning a decoder panic into an error.
func safeDecodeConfig(format string, data []byte) (cfg image.Config, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the image decoder failed")
		}
	}()
	return imageDecoders[format].config(bytes.NewReader(data))
}

// qrDecode is the QR reader; tests replace it to check panics are contained.
var qrDecode = decodeQRLuminance

// readQR decodes an image and reads one QR code from it. ok is false when
// there is none; err says why the image could not be read (including a
// panic inside the image or QR decoders, which is contained here).
func readQR(format string, data []byte) (payload string, ok bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			payload, ok = "", false
			if _, many := p.(errTooManyCenters); many {
				err = fmt.Errorf("too many QR-like patterns in the image")
			} else {
				err = fmt.Errorf("the image or QR decoder failed")
			}
		}
	}()
	img, derr := imageDecoders[format].decode(bytes.NewReader(data))
	if derr != nil {
		return "", false, fmt.Errorf("not a readable %s image (%v)", format, derr)
	}
	lum, w, h := luminance(img)
	if w < minQRSide || h < minQRSide {
		return "", false, nil
	}
	payload, ok = qrDecode(lum, w, h)
	if ok {
		payload = strings.ToValidUTF8(clip(payload, maxQRPayload), "\uFFFD")
	}
	return payload, ok, nil
}

// decodeQRLuminance reads a QR code from a grey image, trying it as it is
// and then inverted (light modules on a dark ground, a filter evasion).
func decodeQRLuminance(lum []byte, w, h int) (string, bool) {
	src, err := gozxing.NewPlanarYUVLuminanceSource(lum, w, h, 0, 0, w, h, false)
	if err != nil {
		return "", false
	}
	for _, s := range []gozxing.LuminanceSource{src, src.Invert()} {
		bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(s))
		if err != nil {
			return "", false
		}
		centers := 0
		hints := map[gozxing.DecodeHintType]any{
			gozxing.DecodeHintType_NEED_RESULT_POINT_CALLBACK: gozxing.ResultPointCallback(func(gozxing.ResultPoint) {
				centers++
				if centers > maxFinderCenters {
					panic(errTooManyCenters{})
				}
			}),
		}
		if res, err := qrcode.NewQRCodeReader().Decode(bmp, hints); err == nil && res.GetText() != "" {
			return res.GetText(), true
		}
	}
	return "", false
}

// luminance returns an image as grey bytes (transparent pixels read as
// white, as a phone shows them), shrunk by an integer factor so neither
// side exceeds maxQRSide.
func luminance(img image.Image) ([]byte, int, int) {
	b := img.Bounds()
	k := max(1, (max(b.Dx(), b.Dy())+maxQRSide-1)/maxQRSide)
	w, h := b.Dx()/k, b.Dy()/k
	if w <= 0 || h <= 0 {
		return nil, 0, 0
	}
	out := make([]byte, w*h)
	if k == 1 {
		// Full size: copy the luma plane of JPEG and grey images row by row.
		switch m := img.(type) {
		case *image.YCbCr:
			for y := 0; y < h; y++ {
				i := m.YOffset(b.Min.X, b.Min.Y+y)
				copy(out[y*w:(y+1)*w], m.Y[i:i+w])
			}
			return out, w, h
		case *image.Gray:
			for y := 0; y < h; y++ {
				i := m.PixOffset(b.Min.X, b.Min.Y+y)
				copy(out[y*w:(y+1)*w], m.Pix[i:i+w])
			}
			return out, w, h
		}
	}
	grey := greyAt(img)
	n := uint32(k * k)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var sum uint32
			for dy := 0; dy < k; dy++ {
				for dx := 0; dx < k; dx++ {
					sum += uint32(grey(b.Min.X+x*k+dx, b.Min.Y+y*k+dy))
				}
			}
			out[y*w+x] = byte(sum / n)
		}
	}
	return out, w, h
}

// greyAt returns a fast grey-level reader for the decoders' image types.
func greyAt(img image.Image) func(x, y int) uint8 {
	switch m := img.(type) {
	case *image.YCbCr:
		return func(x, y int) uint8 { return m.Y[m.YOffset(x, y)] }
	case *image.Gray:
		return func(x, y int) uint8 { return m.Pix[m.PixOffset(x, y)] }
	case *image.Paletted:
		pal := make([]uint8, len(m.Palette))
		for i, c := range m.Palette {
			pal[i] = greyOf(c)
		}
		return func(x, y int) uint8 {
			if i := int(m.Pix[m.PixOffset(x, y)]); i < len(pal) {
				return pal[i]
			}
			return 255
		}
	case *image.NRGBA:
		return func(x, y int) uint8 {
			p := m.Pix[m.PixOffset(x, y):]
			l := (uint32(p[0]) + 2*uint32(p[1]) + uint32(p[2])) / 4
			a := uint32(p[3])
			return uint8((l*a + 255*(255-a)) / 255)
		}
	}
	return func(x, y int) uint8 { return greyOf(img.At(x, y)) }
}

// greyOf is a colour's grey level over a white ground.
func greyOf(c color.Color) uint8 {
	r, g, b, a := c.RGBA() // premultiplied, 16 bits
	l := (r + 2*g + b) / 4
	return uint8((l + (0xffff - a)) >> 8)
}
