package main

import (
	"os"
	"regexp"
	"testing"

	"github.com/spf13/pflag"
)

// readmeFlag matches a flag named in a row of the README's configuration
// table, such as | `--db` | or | `--smtp-cert`, `--smtp-key` |.
var readmeFlag = regexp.MustCompile("`--([a-z0-9-]+)`")

// TestReadmeListsEveryServeFlag keeps the README's configuration table
// true: every flag of `ally serve` (and of the commands that open the
// database, which serve shares) is in it, so a flag added later without a
// row fails here.
func TestReadmeListsEveryServeFlag(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, m := range readmeFlag.FindAllStringSubmatch(string(readme), -1) {
		documented[m[1]] = true
	}
	serve, _, err := newRootCmd().Find([]string{"serve"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	check := func(f *pflag.Flag) {
		if f.Hidden || f.Name == "help" {
			return
		}
		n++
		if !documented[f.Name] {
			t.Errorf("ally serve --%s is not in the README's configuration table", f.Name)
		}
	}
	serve.Flags().VisitAll(check)
	serve.InheritedFlags().VisitAll(check)
	if n < 30 {
		t.Fatalf("ally serve has only %d flags; is the test reading its command?", n)
	}
}
