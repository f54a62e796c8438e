package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCompletion: `ally completion bash|zsh|fish` prints a script for the
// shell, and the bash one is valid bash.
func TestCompletion(t *testing.T) {
	for shell, want := range map[string]string{"bash": "__start_ally", "zsh": "#compdef ally", "fish": "complete -c ally"} {
		code, out, errs := runCmd(t, "", "completion", shell)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("completion %s: %d, lacks %q (%s)", shell, code, want, errs)
		}
		if shell == "bash" {
			if bash, err := exec.LookPath("bash"); err == nil {
				cmd := exec.Command(bash, "-n")
				cmd.Stdin = strings.NewReader(out)
				if msg, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("the bash completion is not valid bash: %v %s", err, msg)
				}
			}
		}
	}
	if code, _, _ := runCmd(t, "", "completion", "tcsh"); code == 0 {
		t.Error("completion for an unknown shell succeeded")
	}
}
