package main

import "github.com/spf13/cobra"

// STUB: being written.
func newPlaybookCmd() *cobra.Command {
	return &cobra.Command{Use: "playbook", Short: "Write or check playbook files"}
}
