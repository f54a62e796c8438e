package main

import "github.com/spf13/cobra"

// STUB: being written.
func newInsightsCmd() *cobra.Command {
	return &cobra.Command{Use: "insights", Short: "Training insights from real cases"}
}
