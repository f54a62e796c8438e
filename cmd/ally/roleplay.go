package main

import "github.com/spf13/cobra"

// STUB: being written.
func newRoleplayCmd() *cobra.Command {
	return &cobra.Command{Use: "roleplay", Short: "Practise hard conversations with a simulated person"}
}
