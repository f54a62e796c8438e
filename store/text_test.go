package store

import (
	"strings"
	"testing"
)

func TestTextArgsKeepsCallerSlice(t *testing.T) {
	s := "a\x00b"
	args := []any{"ok", "bad\x00", int64(3), []byte("raw\x00"), &s}
	out := textArgs(args)
	if args[1] != "bad\x00" {
		t.Fatal("textArgs changed the caller's slice")
	}
	if out[0] != "ok" || out[1] != "bad\uFFFD" || out[4] != "a\uFFFDb" || string(out[3].([]byte)) != "raw\x00" {
		t.Fatalf("got %q", out)
	}
}

// BenchmarkTextArgs measures what every query pays for the NUL check on
// typical arguments (a summary, details, ids, a time).
func BenchmarkTextArgs(b *testing.B) {
	args := []any{"Clicked a parcel link", strings.Repeat("I clicked it and typed my password. ", 20),
		int64(42), int64(7), "clicked_link", int64(1733560000000)}
	for b.Loop() {
		textArgs(args)
	}
}
