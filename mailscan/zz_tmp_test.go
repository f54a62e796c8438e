package mailscan

import (
	"os"
	"testing"
)

func TestTmp(t *testing.T) {
	raw, _ := os.ReadFile("/tmp/t1.eml")
	r, err := Analyze(raw, Options{})
	if err != nil {
		t.Fatal(err)
	}
	WriteText(os.Stdout, r)
}
