// Command ally is the one Ally binary: the server and every tool around it.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // time zones work in a static binary without the system's zoneinfo

	"github.com/allydesk/ally"
	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the command line and returns the process exit code:
// 0 success, 1 the check found problems (or the work failed), 2 bad usage or
// unreadable input.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	addCompletion(root)
	checkUsage(root)
	err := unknownCommand(root, args)
	if err == nil {
		err = executeUntilStopped(ctx, root, args)
	}
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "ally:", ee.msg)
		}
		return ee.code
	}
	if errors.Is(err, ally.ErrReadOnly) { // the database's permissions, said in words: exit 2
		fmt.Fprintln(stderr, "ally:", ally.ErrorMessage(err))
		return 2
	}
	fmt.Fprintln(stderr, "ally:", err)
	if isUsage(err) {
		return 2
	}
	return 1
}

// stopGrace is how long a command may take to wrap up after SIGINT or
// SIGTERM before the process ends without it; commands annotated
// graceful (serve) get their own shutdown time plus this.
var stopGrace = 2 * time.Second

// executeUntilStopped runs the command line and returns its error, or, once
// ctx ends (SIGINT, SIGTERM), waits stopGrace for it to finish and then
// gives up on it, so that every command stops promptly however busy it is.
func executeUntilStopped(ctx context.Context, root *cobra.Command, args []string) error {
	grace := stopGrace
	if c, _, err := root.Find(args); err == nil && c.Annotations["graceful"] != "" {
		grace += serveShutdown
	}
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	select {
	case err := <-done:
		return err
	case <-time.After(grace):
		return &exitError{code: 130, msg: "stopped before the work was done (interrupted)"}
	}
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "ally",
		Short: "Ally: the security incident desk people are not afraid to call",
		Long: `Ally lets anyone report a security worry in under a minute, gives them
first-aid steps at once, and helps responders answer kindly and fast.

Run "ally serve --demo" to try it with demo data.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       versionText(),
	}
	root.SetVersionTemplate("ally {{.Version}}\n")
	root.InitDefaultVersionFlag()
	root.Flags().Lookup("version").Usage = "print the version"
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(
		newServeCmd(), newMigrateCmd(), newUserCmd(), newTokenCmd(), newDemoCmd(), newVersionCmd(),
		newToneCmd(), newAnalyzeCmd(), newMetricsCmd(), newPlaybookCmd(), newRoleplayCmd(), newInsightsCmd(),
		newMailCmd(), newBackupCmd(), newRestoreCmd(), newVerifyCmd(), newPersonCmd(),
		newRetentionCmd(), newSignalCmd(), newWebhookCmd(),
	)
	hideSecretDefaults(root)
	return root
}

// addCompletion adds cobra's built-in "completion" command (after the
// root's output is set: the zsh and fish scripts are written where it was
// then). Without a shell, or with an unknown one, it is bad usage rather
// than its help and success.
func addCompletion(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(*cobra.Command, []string) error {
			return usageError("completion: name a shell: bash, zsh, fish or powershell " +
				"(e.g. ally completion bash > ~/.local/share/bash-completion/completions/ally)")
		}
	}
}

// exitError ends the process with a given code and optional message.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// usageError reports bad usage or unreadable input: exit code 2.
func usageError(format string, args ...any) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, args...)}
}

// problemsFound reports that a check found problems: exit code 1, no message.
func problemsFound() error { return &exitError{code: 1} }

func isUsage(err error) bool {
	var ee *exitError
	return errors.As(err, &ee) && ee.code == 2
}
