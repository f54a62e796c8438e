package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// checkUsage makes every refusal that cobra itself would word bad usage
// (exit 2) with a message saying what was wrong and how to fix it, for c
// and every command under it: a missing required flag, missing or extra
// arguments (unknownCommand does the groups). Commands that word their own
// refusals (usageError) keep them.
func checkUsage(c *cobra.Command) {
	for _, sub := range c.Commands() {
		checkUsage(sub)
	}
	if c.HasSubCommands() && !c.Runnable() {
		return
	}
	valid := c.Args
	c.Args = func(cmd *cobra.Command, args []string) error {
		if err := requiredFlags(cmd); err != nil {
			return err
		}
		if valid == nil {
			return nil
		}
		err := valid(cmd, args)
		var ee *exitError
		if err == nil || errors.As(err, &ee) {
			return err
		}
		if len(args) == 0 {
			return usageError("%s: an argument is missing; usage: %s (see %q)",
				cmd.CommandPath(), cmd.UseLine(), cmd.CommandPath()+" --help")
		}
		return usageError("%s: too many arguments (%s); usage: %s (see %q)",
			cmd.CommandPath(), quoteAll(args), cmd.UseLine(), cmd.CommandPath()+" --help")
	}
}

// unknownCommand refuses a command line that names a group (such as
// "ally user") followed by a word that is none of its commands, naming its
// commands (and the nearest, for a typo); cobra would show the group's help
// and succeed, or for the root exit 1 with its own words. A group alone, or
// with flags only (--help), is left to cobra.
func unknownCommand(root *cobra.Command, args []string) error {
	if len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd) {
		return nil // the shell asking for completions: cobra adds these commands as it runs
	}
	root.InitDefaultHelpCmd()
	if len(args) > 1 && args[0] == "help" { // "ally help user bogus" asks for a command that is not there
		return unknownCommand(root, args[1:])
	}
	cmd, rest, _ := root.Find(args) // cobra's error is the root's "unknown command", worded below
	if cmd == nil || !cmd.HasSubCommands() || cmd.Runnable() || len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
		return nil
	}
	word := rest[0]
	var names []string
	for _, sub := range cmd.Commands() {
		if sub.IsAvailableCommand() {
			names = append(names, sub.Name())
		}
	}
	hint := ""
	cmd.SuggestionsMinimumDistance = 2
	if near := cmd.SuggestionsFor(word); len(near) > 0 {
		hint = fmt.Sprintf("did you mean %q? ", near[0])
	}
	return usageError("%s: %q is not a command; %schoose one of %s (see %q)",
		cmd.CommandPath(), word, hint, strings.Join(names, ", "), cmd.CommandPath()+" --help")
}

// requiredFlags refuses a command run without a flag it requires, naming
// every missing one at once.
func requiredFlags(cmd *cobra.Command) error {
	var missing []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if req := f.Annotations[cobra.BashCompOneRequiredFlag]; len(req) > 0 && req[0] == "true" && !f.Changed {
			missing = append(missing, "--"+f.Name)
		}
	})
	if len(missing) == 0 {
		return nil
	}
	return usageError("%s needs %s; usage: %s (see %q)",
		cmd.CommandPath(), strings.Join(missing, ", "), cmd.UseLine(), cmd.CommandPath()+" --help")
}

// flagError words a flag that cobra could not parse: for a value of the
// wrong type, what kind of value the flag takes instead of Go's parser
// error ("strconv.ParseInt: parsing ...").
func flagError(c *cobra.Command, err error) error {
	help := c.CommandPath() + " --help"
	var bad *pflag.InvalidValueError
	if !errors.As(err, &bad) {
		return usageError("%v (see %q)", err, help)
	}
	want := map[string]string{
		"int":      "a whole number, e.g. 100",
		"int64":    "a whole number, e.g. 100",
		"duration": "a duration such as 90s, 10m or 2h",
		"bool":     "true or false",
	}[bad.GetFlag().Value.Type()]
	if want == "" {
		return usageError("%v (see %q)", err, help)
	}
	return usageError("--%s: %q is not %s (see %q)", bad.GetFlag().Name, bad.GetValue(), want, help)
}

// quoteAll quotes each of args, separated by spaces.
func quoteAll(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = fmt.Sprintf("%q", a)
	}
	return strings.Join(q, " ")
}
