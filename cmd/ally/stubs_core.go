package main

import "github.com/spf13/cobra"

// STUB: being written.
func newServeCmd() *cobra.Command   { return &cobra.Command{Use: "serve"} }
func newMigrateCmd() *cobra.Command { return &cobra.Command{Use: "migrate"} }
func newUserCmd() *cobra.Command    { return &cobra.Command{Use: "user"} }
func newTokenCmd() *cobra.Command   { return &cobra.Command{Use: "token"} }
func newDemoCmd() *cobra.Command    { return &cobra.Command{Use: "demo"} }
func newVersionCmd() *cobra.Command { return &cobra.Command{Use: "version"} }
