package main

import "github.com/spf13/cobra"

// STUB: being written.
func newMetricsCmd() *cobra.Command {
	return &cobra.Command{Use: "metrics", Short: "Team metrics straight from the database"}
}
