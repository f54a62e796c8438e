package main

import (
	"os/exec"
	"strings"
	"testing"
)

// testOnly are modules only tests may use: the browser driver, the OpenAPI
// validator, the OpenID Provider of the sign-on tests, and the archived
// YAML package (Ally uses go.yaml.in/yaml/v3).
var testOnly = []string{"github.com/chromedp/", "github.com/getkin/kin-openapi", "github.com/zitadel/",
	"gopkg.in/yaml.v3"}

// TestServerBuildHasNoTestDeps lists what `go build ./cmd/ally` compiles:
// none of the test-only modules is among it.
func TestServerBuildHasNoTestDeps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 100 {
		t.Fatalf("go list -deps listed only %d packages", len(deps))
	}
	for _, d := range deps {
		for _, bad := range testOnly {
			if strings.HasPrefix(d, bad) {
				t.Errorf("ally's build pulls %s, which only tests may use", d)
			}
		}
	}
}
