package mailscan

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"sort"
	"time"
)

// orgMagic starts a stored organisation model; the digit is the format.
// Format 2 adds the n-gram weights after the marks; a model stored in
// format 1 (before n-grams) still loads, with no n-gram weights.
const (
	orgMagic   = "ALLYORG2"
	orgMagicV1 = "ALLYORG1"
)

// Bounds on a stored model, so that a damaged row cannot make the reader
// allocate without limit.
const (
	maxOrgKey   = 512
	maxOrgCount = 1 << 24
)

// MarshalBinary encodes the model for storage: the magic, the counts, the
// time it last learned, the weights and the marks (each sorted, so the same
// model gives the same bytes), the n-gram weights that are not zero (each
// bucket as the gap from the one before), then a CRC-32 of all of it.
func (m *OrgModel) MarshalBinary() ([]byte, error) {
	b := []byte(orgMagic)
	b = binary.AppendUvarint(b, uint64(m.Phish))
	b = binary.AppendUvarint(b, uint64(m.Safe))
	var ms int64
	if !m.Updated.IsZero() {
		ms = m.Updated.UnixMilli()
	}
	b = binary.AppendVarint(b, ms)
	b = binary.AppendUvarint(b, uint64(len(m.weights)))
	for _, f := range sortedKeys(m.weights) {
		b = appendKey(b, f)
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(m.weights[f]))
	}
	b = binary.AppendUvarint(b, uint64(len(m.marks)))
	for _, k := range sortedKeys(m.marks) {
		b = appendKey(b, k)
		b = binary.AppendUvarint(b, uint64(m.marks[k].phish))
		b = binary.AppendUvarint(b, uint64(m.marks[k].safe))
	}
	b = binary.AppendUvarint(b, uint64(m.gramWeights()))
	last := -1
	for i, w := range m.grams {
		if w != 0 {
			b = binary.AppendUvarint(b, uint64(i-last))
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(w))
			last = i
		}
	}
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b)), nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func appendKey(b []byte, k string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(k))), k...)
}

// errOrgModel is wrapped by every error of ParseOrgModel.
var errOrgModel = errors.New("not a readable organisation model")

// ParseOrgModel decodes a model stored by MarshalBinary. A damaged,
// truncated or foreign row is an error that says where it went wrong;
// nothing in it is trusted before the checksum matches.
func ParseOrgModel(data []byte) (*OrgModel, error) {
	version := ""
	if len(data) >= len(orgMagic)+4 {
		version = string(data[:len(orgMagic)])
	}
	if version != orgMagic && version != orgMagicV1 {
		return nil, fmt.Errorf("%w: it does not start with %s or %s", errOrgModel, orgMagic, orgMagicV1)
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, fmt.Errorf("%w: its checksum does not match (damaged or cut short)", errOrgModel)
	}
	r := &orgReader{b: body[len(orgMagic):]}
	m := NewOrgModel()
	m.Phish, m.Safe = int(r.count()), int(r.count())
	if ms := r.varint(); ms != 0 {
		m.Updated = time.UnixMilli(ms).UTC()
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		k := r.key()
		w := math.Float32frombits(r.uint32())
		if math.IsNaN(float64(w)) || math.IsInf(float64(w), 0) {
			r.fail("weight of %q is not a number", k)
		}
		m.weights[k] = w
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		k := r.key()
		m.marks[k] = marks{uint32(r.count()), uint32(r.count())}
	}
	if version == orgMagic {
		r.grams(m)
	}
	if r.err == nil && len(r.b) > 0 {
		r.fail("%d bytes left over", len(r.b))
	}
	if r.err != nil {
		return nil, fmt.Errorf("%w: %v", errOrgModel, r.err)
	}
	return m, nil
}

// orgReader reads a model's fields, keeping the first error.
type orgReader struct {
	b   []byte
	err error
}

func (r *orgReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf(format, args...)
	}
	r.b = nil
}

func (r *orgReader) count() uint64 {
	v, n := binary.Uvarint(r.b)
	switch {
	case n <= 0:
		r.fail("a count is cut short")
		return 0
	case v > maxOrgCount:
		r.fail("a count of %d is too large", v)
		return 0
	}
	r.b = r.b[n:]
	return v
}

// grams reads the n-gram weights into m: a count, then for each a gap
// from the bucket before and a weight.
func (r *orgReader) grams(m *OrgModel) {
	n := r.count()
	if n == 0 || r.err != nil {
		return
	}
	if n > GramBuckets {
		r.fail("%d n-gram weights is more than %d", n, GramBuckets)
		return
	}
	m.grams = make([]float32, GramBuckets)
	b := -1
	for ; n > 0 && r.err == nil; n-- {
		gap := r.count()
		if gap == 0 || int64(b)+int64(gap) >= GramBuckets {
			r.fail("an n-gram bucket is out of order or out of range")
			return
		}
		b += int(gap)
		w := math.Float32frombits(r.uint32())
		if math.IsNaN(float64(w)) || math.IsInf(float64(w), 0) || w == 0 {
			r.fail("weight of n-gram bucket %d is not a number other than 0", b)
		}
		m.grams[b] = w
	}
}

func (r *orgReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("the time is cut short")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *orgReader) key() string {
	n := r.count()
	switch {
	case n > maxOrgKey:
		r.fail("a feature of %d bytes is too long", n)
		return ""
	case uint64(len(r.b)) < n:
		r.fail("a feature is cut short")
		return ""
	}
	k := string(r.b[:n])
	r.b = r.b[n:]
	return k
}

func (r *orgReader) uint32() uint32 {
	if len(r.b) < 4 {
		r.fail("a weight is cut short")
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}
