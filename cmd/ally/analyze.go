package main

import "github.com/spf13/cobra"

// STUB: being written.
func newAnalyzeCmd() *cobra.Command {
	return &cobra.Command{Use: "analyze", Short: "Analyse reported emails (.eml files or folders)"}
}
