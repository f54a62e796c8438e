package mailscan

// orgBatch is a batch of examples being learned: the named weights its
// examples use, copied out of the model's map into a dense slice, and
// each example's features as indices into it. Training steps then add
// and read plain slice elements instead of hashing every feature name
// twice per step; keep writes the weights back. The arithmetic is the
// same as on the map, in the same order, so the model learned is the same
// to the bit.
type orgBatch struct {
	m     *OrgModel
	ex    []*Example
	w     []float32 // the batch's named weights
	names []string  // the feature of each weight
	feats [][]int32 // each example's features, as indices into w
}

// newBatch copies the weights of the examples' features out of the model,
// and makes the n-gram table when an example has n-grams.
func (m *OrgModel) newBatch(ex []*Example) *orgBatch {
	b := &orgBatch{m: m, ex: ex, feats: make([][]int32, len(ex))}
	n := 0
	for _, e := range ex {
		n += len(e.feats)
	}
	flat := make([]int32, 0, n)
	index := make(map[string]int32, n/4)
	for i, e := range ex {
		if len(e.feats) == 0 {
			continue // never stepped: adds no feature, as on the map
		}
		start := len(flat)
		for _, f := range e.feats {
			k, ok := index[f]
			if !ok {
				k = int32(len(b.w))
				index[f] = k
				b.w = append(b.w, m.weights[f])
				b.names = append(b.names, f)
			}
			flat = append(flat, k)
		}
		b.feats[i] = flat[start:len(flat):len(flat)]
		if len(e.grams) > 0 && m.grams == nil {
			m.grams = make([]float32, GramBuckets)
		}
	}
	return b
}

// step is one step of stochastic gradient descent on the logistic loss of
// example i, the default model's log-odds held fixed.
func (b *orgBatch) step(i int, phish bool, weight float64) {
	e, fs := b.ex[i], b.feats[i]
	if len(fs) == 0 {
		return
	}
	y := 0.0
	if phish {
		y = 1
	}
	d, g := 0.0, 0.0
	for _, k := range fs {
		d += float64(b.w[k])
	}
	grams := b.m.grams
	if grams != nil {
		for _, k := range e.grams {
			g += float64(grams[k])
		}
	}
	x := e.x()
	step := orgRate * weight * (y - sigmoid(e.base+(d*x+g*e.xg)))
	gw := float32(step * x)
	for _, k := range fs {
		b.w[k] = clampWeight(b.w[k] + gw)
	}
	if len(e.grams) == 0 {
		return
	}
	gg := float32(step * e.xg)
	for _, k := range e.grams {
		grams[k] = clampWeight(grams[k] + gg)
	}
}

// keep writes the batch's weights back into the model.
func (b *orgBatch) keep() {
	for k, f := range b.names {
		b.m.weights[f] = b.w[k]
	}
}
