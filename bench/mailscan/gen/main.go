// Command gen writes the mailscan benchmark corpus (.eml files) so the Go
// benchmark and the node comparison read the very same messages.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/allydesk/ally/mailscan/benchgen"
)

func main() {
	out := flag.String("out", "/tmp/mailscan-bench", "folder to write .eml files to")
	n := flag.Int("n", 1000, "number of messages")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for i := 0; i < *n; i++ {
		if err := os.WriteFile(filepath.Join(*out, fmt.Sprintf("%05d.eml", i)), benchgen.Message(i), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
}
