package backupfile

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sample(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Header{Schema: 7, Engine: "sqlite", Created: time.Unix(1e9, 0)})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.Table("users", []string{"id", "email", "disabled", "photo"}))
	must(w.Row([]any{int64(1), "ada@example.org", false, []byte{0, 1, 2}}))
	must(w.Row([]any{int64(2), "bo\u00e9@example.org", true, nil}))
	must(w.Table("scores", []string{"case_id", "score"}))
	must(w.Row([]any{int64(1), 0.25}))
	must(w.Table("empty", []string{"x"}))
	must(w.Close())
	return buf.Bytes()
}

func readAll(b []byte) (map[string][][]any, Header, error) {
	r, err := NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, Header{}, err
	}
	out := map[string][][]any{}
	for {
		tb, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, r.Header(), nil
		}
		if err != nil {
			return nil, Header{}, err
		}
		out[tb.Name] = [][]any{}
		for {
			row, err := r.Row()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, Header{}, err
			}
			out[tb.Name] = append(out[tb.Name], row)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	got, h, err := readAll(sample(t))
	if err != nil {
		t.Fatal(err)
	}
	if h.Schema != 7 || h.Engine != "sqlite" || h.Format != Format || h.Version != Version {
		t.Fatalf("header %+v", h)
	}
	want := map[string][][]any{
		"users":  {{int64(1), "ada@example.org", false, []byte{0, 1, 2}}, {int64(2), "bo\u00e9@example.org", true, nil}},
		"scores": {{int64(1), 0.25}},
		"empty":  {},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v\nwant %#v", got, want)
	}
}

// A backup cut off anywhere, or with a row count altered, is refused.
func TestDamagedBackupsAreRefused(t *testing.T) {
	b := sample(t)
	for _, n := range []int{0, 10, len(b) / 2, len(b) - 9, len(b) - 1} {
		if _, _, err := readAll(b[:n]); err == nil {
			t.Errorf("a backup cut at %d of %d bytes was read whole", n, len(b))
		}
	}
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, Header{Schema: 1})
	w.Table("t", []string{"a"})
	w.Row([]any{int64(1)})
	w.total++ // the trailer now claims a row that is not there
	w.Close()
	if _, _, err := readAll(buf.Bytes()); err == nil || !strings.Contains(err.Error(), "holds 1 tables and 2 rows") {
		t.Fatalf("a trailer that disagrees: %v", err)
	}
	if _, err := NewReader(strings.NewReader("id,email\n1,a@b")); err == nil ||
		!strings.Contains(err.Error(), "not an Ally backup") {
		t.Fatalf("a CSV file: %v", err)
	}
}

func TestWriterRefusesRowsThatDoNotFit(t *testing.T) {
	w, _ := NewWriter(io.Discard, Header{})
	if err := w.Row([]any{1}); err == nil {
		t.Fatal("a row before any table was written")
	}
	w.Table("t", []string{"a", "b"})
	if err := w.Row([]any{int64(1)}); err == nil {
		t.Fatal("a short row was written")
	}
	if err := w.Row([]any{struct{}{}, nil}); err == nil {
		t.Fatal("a struct value was written")
	}
}

// FuzzReader: whatever the bytes, reading ends in rows or an error, never a
// panic; what it reads back it can write again identically.
func FuzzReader(f *testing.F) {
	f.Add(sample(f))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, h, err := readAll(b)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		w, _ := NewWriter(&buf, h)
		for name, rows := range got {
			if len(rows) == 0 {
				continue
			}
			w.Table(name, make([]string, len(rows[0])))
			for _, r := range rows {
				if err := w.Row(r); err != nil {
					t.Fatalf("a row read back cannot be written: %v", err)
				}
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	})
}
