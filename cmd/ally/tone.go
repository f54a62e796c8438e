package main

import "github.com/spf13/cobra"

// STUB: being written.
func newToneCmd() *cobra.Command {
	return &cobra.Command{Use: "tone", Short: "Check wording for blame, and test or evaluate the tone rules"}
}
