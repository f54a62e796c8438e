package tone

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

//go:generate go run ./internal/corpusgen corpus
//go:generate go run ./internal/train -corpus corpus -out model.bin.gz

//go:embed model.bin.gz
var defaultModelGz []byte

// Model is the learned layer: logistic regression over hashed features
// (see extractFeatures) giving the probability that a run of words blames,
// and a softmax over Kinds naming the kind of blame.
type Model struct {
	Bits      int     // the model has 1<<Bits feature buckets
	Threshold float32 // a sentence at or above this probability blames, alone
	// ReplyThreshold is the threshold for a sentence of a reply: a text in
	// which the model scores two sentences or more. A reply is flagged by
	// its most blaming sentence, so one kind sentence scored a little high
	// would flag the whole kind reply; the reply threshold is chosen on
	// whole replies, apart from the sentence threshold.
	ReplyThreshold float32
	Veto           float32   // a rule's blame in a sentence below this probability is excused
	Bias           float32   // blame head
	Weights        []float32 // blame head, one per bucket
	KindBias       []float32 // per kind
	KindW          []float32 // kind head: bucket*len(Kinds) + kind
}

const modelMagic = "ALLYTONE2"

// newModel returns an empty model of 1<<bits buckets.
func newModel(bits int) *Model {
	n := 1 << bits
	return &Model{Bits: bits, Threshold: 0.5, ReplyThreshold: 0.5, Weights: make([]float32, n),
		KindBias: make([]float32, len(Kinds)), KindW: make([]float32, n*len(Kinds))}
}

func (m *Model) mask() uint64 { return 1<<m.Bits - 1 }

// blame is the probability that the features blame.
func (m *Model) blame(idx []uint32) float32 {
	z, v := m.Bias, value(len(idx))
	for _, i := range idx {
		z += m.Weights[i] * v
	}
	return sigmoid(z)
}

// kind is the most likely kind of blame for the features.
func (m *Model) kind(idx []uint32) int {
	var buf [16]float32
	probs := buf[:len(Kinds)]
	m.kindProbs(idx, probs)
	best := 0
	for j := range probs {
		if probs[j] > probs[best] {
			best = j
		}
	}
	return best
}

func sigmoid(z float32) float32 { return float32(1 / (1 + math.Exp(-float64(z)))) }

// WriteTo writes the model gzip-compressed, in a fixed little-endian layout.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	buf.WriteString(modelMagic)
	hdr := []any{uint32(m.Bits), uint32(len(Kinds)), m.Threshold, m.ReplyThreshold, m.Veto, m.Bias,
		m.KindBias, m.Weights, m.KindW}
	for _, v := range hdr {
		if err := binary.Write(&buf, binary.LittleEndian, v); err != nil {
			return 0, err
		}
	}
	zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
	if _, err := zw.Write(buf.Bytes()); err != nil {
		return 0, err
	}
	return int64(buf.Len()), zw.Close()
}

// ReadModel reads a model written by WriteTo, checking its shape. It
// decodes straight from the compressed stream, so loading takes little
// more memory than the model itself.
func ReadModel(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("tone model: %w", err)
	}
	rd := bufio.NewReader(zr)
	magic := make([]byte, len(modelMagic))
	if _, err := io.ReadFull(rd, magic); err != nil || string(magic) != modelMagic {
		return nil, errors.New("tone model: not a model file")
	}
	var bits, kinds uint32
	var th, rth, veto, bias float32
	for _, v := range []any{&bits, &kinds, &th, &rth, &veto, &bias} {
		if err := binary.Read(rd, binary.LittleEndian, v); err != nil {
			return nil, fmt.Errorf("tone model: header: %w", err)
		}
	}
	if bits < 8 || bits > 22 || int(kinds) != len(Kinds) {
		return nil, fmt.Errorf("tone model: %d bits and %d kinds, want 8–22 bits and %d kinds", bits, kinds, len(Kinds))
	}
	m := newModel(int(bits))
	m.Threshold, m.ReplyThreshold, m.Veto, m.Bias = th, rth, veto, bias
	for _, v := range []any{m.KindBias, m.Weights, m.KindW} {
		if err := binary.Read(rd, binary.LittleEndian, v); err != nil {
			return nil, fmt.Errorf("tone model: weights: %w", err)
		}
	}
	if _, err := rd.ReadByte(); err != io.EOF {
		return nil, errors.New("tone model: trailing bytes")
	}
	return m, nil
}
