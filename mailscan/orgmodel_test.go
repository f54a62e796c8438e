package mailscan

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// statement is a quiet phishing note of a kind the rules and the default
// model do not know: plain words, a link to the sender's own new domain.
func statement(n, name string) []byte {
	return []byte("From: Accounts Team <accounts@harbourline-partners.com>\nTo: " + name + "@example.org\n" +
		"Subject: Statement " + n + " for your review\nMessage-ID: <" + n + "@harbourline-partners.com>\n\n" +
		"Hello " + name + ",\n\nThe quarterly statement " + n + " for your team is ready. Review it and confirm " +
		"the details here: https://harbourline-partners.com/s/" + n + "\n\nKind regards,\nAccounts Team\n")
}

func mustExample(t *testing.T, raw []byte) *Example {
	t.Helper()
	e, err := NewExample(raw, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func signal(r *Report, id string) *Signal {
	for i := range r.Signals {
		if r.Signals[i].ID == id {
			return &r.Signals[i]
		}
	}
	return nil
}

// TestOrgModelLearnsFromADecision: once the team marks one such email as
// phishing, the next one of the campaign scores higher, with the team's
// decision in the evidence, and unrelated mail is not pushed.
func TestOrgModelLearnsFromADecision(t *testing.T) {
	next := statement("4502", "sam")
	before, err := Analyze(next, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if before.Verdict != VerdictClean {
		t.Fatalf("the test needs mail the default analysis misses; got %s %d", before.Verdict, before.Score)
	}
	m := NewOrgModel()
	now := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	m.Learn([]*Example{mustExample(t, statement("4471", "alex"))}, []bool{true}, []string{""}, now)
	after, err := Analyze(next, Options{Org: m})
	if err != nil {
		t.Fatal(err)
	}
	s := signal(after, "org-like-phish")
	if after.Score <= before.Score || after.Verdict == VerdictClean || s == nil {
		t.Fatalf("after the decision: %s %d (before %d), signals %v", after.Verdict, after.Score, before.Score,
			after.Signals)
	}
	if !strings.Contains(s.Evidence, "Mail like this (same sender) was marked phishing by your team 1 time") {
		t.Errorf("evidence = %q", s.Evidence)
	}
	if m.Phish != 1 || m.Safe != 0 || !m.Updated.Equal(now) {
		t.Errorf("counts %d/%d, updated %v", m.Phish, m.Safe, m.Updated)
	}
	benign, err := os.ReadFile(filepath.Join("testdata", "eval", "benign", "001-news-techweekly.eml"))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := Analyze(benign, Options{})
	taught, _ := Analyze(benign, Options{Org: m})
	if taught.Score > plain.Score || signal(taught, "org-like-phish") != nil {
		t.Errorf("unrelated mail pushed by one decision: %d -> %d %v", plain.Score, taught.Score, taught.Signals)
	}
}

// TestOrgModelMarkedSafe: mail the team marked safe is scored lower next
// time, and relabelling an example moves it from one count to the other.
func TestOrgModelMarkedSafe(t *testing.T) {
	m := NewOrgModel()
	first := mustExample(t, statement("4471", "alex"))
	m.Learn([]*Example{first}, []bool{true}, []string{""}, time.Now())
	m.Learn([]*Example{first}, []bool{false}, []string{"phish"}, time.Now())
	if m.Phish != 0 || m.Safe != 1 {
		t.Fatalf("after relabelling: %d phish, %d safe", m.Phish, m.Safe)
	}
	for range 3 {
		m.Learn([]*Example{first}, []bool{false}, []string{"safe"}, time.Now())
	}
	r, err := Analyze(statement("4502", "sam"), Options{Org: m})
	if err != nil {
		t.Fatal(err)
	}
	if s := signal(r, "org-like-safe"); s == nil || !strings.Contains(s.Evidence, "marked safe by your team 1 time") {
		t.Fatalf("signals %v", r.Signals)
	}
}

// TestExampleKey: the same message learned twice has one key, whoever
// forwarded it; another message has another.
func TestExampleKey(t *testing.T) {
	a, b := mustExample(t, statement("4471", "alex")), mustExample(t, statement("4471", "alex"))
	c := mustExample(t, statement("4502", "alex"))
	noID := []byte("From: x@y.example\nSubject: hello there\n\nhi\n")
	d, e := mustExample(t, noID), mustExample(t, noID)
	if a.Key != b.Key || a.Key == c.Key || d.Key == a.Key {
		t.Errorf("keys %s %s %s", a.Key, b.Key, c.Key)
	}
	if d.Key != e.Key {
		t.Error("a message without Message-ID has no stable key")
	}
}

// TestOrgModelRoundTrip: a stored model reads back the same, byte for byte.
func TestOrgModelRoundTrip(t *testing.T) {
	m := NewOrgModel()
	m.Learn([]*Example{mustExample(t, statement("4471", "alex")), mustExample(t, []byte("From: a@b.example\n"+
		"Subject: lunch on friday\n\nSee you at noon.\n"))}, []bool{true, false}, []string{"", ""},
		time.UnixMilli(1_765_000_000_000).UTC())
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseOrgModel(b)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := back.MarshalBinary()
	if !bytes.Equal(b, again) || back.Phish != 1 || back.Safe != 1 || !back.Updated.Equal(m.Updated) ||
		back.Features() != m.Features() || back.Features() == 0 || back.gramWeights() == 0 ||
		!slices.Equal(back.grams, m.grams) {
		t.Fatalf("round trip changed the model: %+v", back)
	}
}

// TestParseOrgModelCorrupt: a damaged row is an error naming the damage,
// never a panic or a half-read model.
func TestParseOrgModelCorrupt(t *testing.T) {
	m := NewOrgModel()
	m.Learn([]*Example{mustExample(t, statement("4471", "alex"))}, []bool{true}, []string{""}, time.Now())
	good, _ := m.MarshalBinary()
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x40
	for name, bad := range map[string][]byte{
		"empty":     nil,
		"foreign":   []byte("{\"weights\": {}}"),
		"truncated": good[:len(good)-9],
		"flipped":   flipped,
	} {
		_, err := ParseOrgModel(bad)
		if !errors.Is(err, errOrgModel) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// FuzzParseOrgModel: any bytes either parse into a model that encodes back
// to the same bytes (a format 1 model: to bytes that parse back the same),
// or are refused.
func FuzzParseOrgModel(f *testing.F) {
	m := NewOrgModel()
	f.Add([]byte(orgMagic))
	m.Learn([]*Example{{feats: []string{"a", "from:b.example"}, like: []string{"from:b.example"},
		grams: []uint32{3, 3, 70000}, xg: 0.2}}, []bool{true}, []string{""}, time.UnixMilli(5))
	good, _ := m.MarshalBinary()
	f.Add(good)
	v1 := bytes.Clone(good[:len(good)-4])
	copy(v1, orgMagicV1)
	f.Add(withCRC(v1)) // format 1 with an n-gram section after it: left over, refused
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseOrgModel(data)
		if err != nil {
			return
		}
		again, _ := m.MarshalBinary()
		if bytes.HasPrefix(data, []byte(orgMagicV1)) {
			back, err := ParseOrgModel(again)
			if err != nil || back.Features() != m.Features() || back.Examples() != m.Examples() {
				t.Fatalf("format 1 model stored back differently: %v", err)
			}
			return
		}
		if !bytes.Equal(again, data) {
			t.Fatalf("parsed model encodes differently")
		}
	})
}

// TestOrgModelMemoryBound: a model learned from far more distinct words
// than it may keep holds OrgMaxFeatures named weights and its n-gram
// table, under 20 MB of heap.
func TestOrgModelMemoryBound(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a full-size model")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var ex []*Example
	var phish []bool
	for i := range 1200 {
		e := &Example{like: []string{fmt.Sprintf("from:sender%d.example", i)}, xg: 0.01}
		for j := range 300 {
			e.feats = append(e.feats, fmt.Sprintf("word%dx%d", i, j))
			e.grams = appendWordGrams(e.grams, e.feats[j])
		}
		ex, phish = append(ex, e), append(phish, i%3 == 0)
	}
	m := NewOrgModel()
	m.Learn(ex, phish, make([]string, len(ex)), time.Now())
	ex, phish = nil, nil
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	if len(m.weights) != OrgMaxFeatures || m.gramWeights() == 0 || heap > 20<<20 {
		t.Fatalf("%d features in %.1f MB", m.Features(), float64(heap)/(1<<20))
	}
	t.Logf("%d features, %.1f MB of heap", m.Features(), float64(heap)/(1<<20))
	runtime.KeepAlive(m)
}
