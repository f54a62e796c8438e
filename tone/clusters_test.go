package tone

import (
	"bytes"
	"compress/gzip"
	"math"
	"testing"
)

// TestClustersLoad: the embedded word clusters load, and words of similar
// meaning share a cluster.
func TestClustersLoad(t *testing.T) {
	c := clusters()
	if n := len(c.of); n < 40000 {
		t.Fatalf("%d words in clusters, want 40,000 or more", n)
	}
	if c.n != 1000 {
		t.Errorf("%d clusters, want 1,000", c.n)
	}
	for _, p := range [][2]string{{"careless", "clumsy"}, {"lazy", "foolish"}, {"manager", "boss"},
		{"warned", "cautioned"}} {
		if a, b := c.cluster(p[0]), c.cluster(p[1]); a == 0 || a != b {
			t.Errorf("%s and %s: clusters %d and %d, want the same", p[0], p[1], a, b)
		}
	}
	if c.cluster("careless") == c.cluster("manager") {
		t.Error("careless and manager share a cluster")
	}
	if c.cluster("qzxv") != 0 || c.cluster("") != 0 {
		t.Error("a word in no cluster has one")
	}
}

// TestReadClustersRejectsCorrupt: a damaged clusters file is an error, not
// a panic or half a map.
func TestReadClustersRejectsCorrupt(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	for name, b := range map[string][]byte{
		"not gzip":      []byte("ALLYCLUST1 1\na\n"),
		"empty":         gz(""),
		"bad magic":     gz("CLUST 1\na\n"),
		"short":         gz("ALLYCLUST1 2\na\n"),
		"too many":      gz("ALLYCLUST1 1\na\nb\n"),
		"not a number":  gz("ALLYCLUST1 x\na\n"),
		"zero clusters": gz("ALLYCLUST1 0\n"),
	} {
		if _, err := readClusters(bytes.NewReader(b)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	c, err := readClusters(bytes.NewReader(gz("ALLYCLUST1 2\na b\nc\n")))
	if err != nil || c.cluster("b") != 1 || c.cluster("c") != 2 || c.n != 2 {
		t.Errorf("good file: %v %+v", err, c)
	}
}

// TestClustersCarryEvidence: the built-in model learned from the clusters
// themselves (training shows each run once more with its words hidden
// behind their clusters), so a word never in the training text inherits
// its cluster's lean. "clumsy" is in no training text (it shares
// "careless"'s cluster); "negligent" and "sloppy" are, so their lines check
// the clusters' own weights rather than unseen words. Until session 9 the
// clusters of "thanks" and "helpful" had to lean kind; with the 1,460 whole
// replies written whole trained on (hand_replies2, holdout4) they lean a
// little to blame (+1.01 and +0.24, against +1.6 to +5.4 for the blaming
// clusters above and −1.8 for "reported"): "thanks" shares its cluster
// with "brilliant", "amazing" and "excellent", the words of sarcasm, and a
// blaming reply is learned as one run, its "thanks for reporting" with it.
// So they must stay under the weakest blaming cluster, and kind thanks
// and praise must still score as kind (0.00–0.17 in session 9).
func TestClustersCarryEvidence(t *testing.T) {
	m := Default().Model()
	weight := func(w string) float32 {
		cl := clusters().cluster(w)
		if cl == 0 {
			t.Fatalf("%s is in no cluster", w)
		}
		return m.Weights[mix(famClus, uint64(cl))&m.mask()]
	}
	weakest := float32(math.MaxFloat32)
	for _, w := range []string{"clumsy", "negligent", "sloppy", "training"} {
		if weight(w) <= 1 {
			t.Errorf("the cluster of %q leans kind or barely to blame (%.3f), want over 1", w, weight(w))
		}
		weakest = min(weakest, weight(w))
	}
	for _, w := range []string{"thanks", "helpful"} {
		if weight(w) >= weakest {
			t.Errorf("the cluster of %q leans to blame (%.3f) like a blaming cluster (the weakest: %.3f)", w, weight(w), weakest)
		}
	}
	if weight("reported") >= 0 {
		t.Errorf("the cluster of %q leans to blame (%.3f), want kind", "reported", weight("reported"))
	}
	for _, kind := range []string{"Thanks so much, that was brilliant of you.", "Amazing work spotting that, thanks.",
		"Thank you, your report was really helpful.", "Brilliant, thanks for letting us know."} {
		if p := Default().SentenceScores(kind)[0].P; p >= 0.3 {
			t.Errorf("%q scores %.3f, want under 0.3", kind, p)
		}
	}
	const s = "The way you handled the link was clumsy."
	with := Default().SentenceScores(s)[0].P
	saved := clusters
	clusters = func() *wordClusters { return &wordClusters{} }
	defer func() { clusters = saved }()
	if without := Default().SentenceScores(s)[0].P; with <= without+0.05 {
		t.Errorf("%q scores %.3f with clusters and %.3f without; want higher with", s, with, without)
	}
}

// TestWriteClustersRoundTrip: what WriteClusters writes, readClusters reads
// back, cluster for cluster.
func TestWriteClustersRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteClusters(&buf, [][]string{{"sloppy", "careless"}, {"thanks"}}); err != nil {
		t.Fatal(err)
	}
	c, err := readClusters(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if c.n != 2 || c.cluster("careless") != 1 || c.cluster("sloppy") != 1 || c.cluster("thanks") != 2 || c.cluster("x") != 0 {
		t.Errorf("read back %d clusters: %v", c.n, c.of)
	}
}
