package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/playbook"
	"github.com/allydesk/ally/signals"
	"github.com/allydesk/ally/tone"
	"github.com/spf13/cobra"
)

func newPlaybookCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "playbook",
		Short: "Write or check playbook files",
		Long: `Playbooks tell the reporter and the responder what to do for each kind of
incident. Ally ships one per kind; "init" writes them out for editing, and
"lint" checks a folder of them (see docs/playbooks.md).`,
	}
	cmd.AddCommand(newPlaybookInitCmd(), newPlaybookLintCmd())
	return cmd
}

func newPlaybookInitCmd() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init DIR",
		Short: "Write the default playbooks (and mail/templates.yaml, signals/*.yaml) into DIR as editable files",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("playbook init needs one folder, e.g. ally playbook init ./playbooks")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			paths, err := playbook.WriteDefaults(dir, force)
			if err == nil {
				err = writeMailTemplates(dir, force)
			}
			if err == nil {
				err = writeSignalTypes(dir, force)
			}
			if errors.Is(err, playbook.ErrExists) {
				return usageError("%v; use --force to overwrite them", err)
			}
			if err != nil {
				return usageError("cannot write the playbooks to %s: %v; choose a folder you can write to", dir, unwrapPath(err))
			}
			fmt.Fprintf(cmd.OutOrStdout(),
				"Wrote %d playbooks to %s.\nEdit them, check them with \"ally playbook lint %s\",\nthen start the server with "+
					"--playbooks %s (or ALLY_PLAYBOOKS).\n",
				len(paths), dir, dir, dir)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite playbook files that already exist")
	return cmd
}

func newPlaybookLintCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "lint [DIR]",
		Short: "Check playbook files (no DIR: the built-in ones)",
		Long: `Check every *.yaml playbook in DIR: its fields, ids, kinds, phases, owners,
question types, severity rules, durations, SLA targets and placeholders, and
the wording of every text a reporter reads (tone findings at error level, and
a reading grade above 8). The mail templates in DIR/mail/templates.yaml are
checked the same way, and so are the signal types in DIR/signals/*.yaml. Exit 1 when there are problems.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageError("playbook lint takes at most one folder, e.g. ally playbook lint ./playbooks")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageError("--format %q is not known; use text or json", format)
			}
			dir := ""
			fsys, where := playbook.DefaultFS(), "built in"
			if len(args) == 1 {
				dir = args[0]
				fsys, where = os.DirFS(dir), "in "+dir
			}
			files, err := playbook.Files(fsys)
			if err != nil {
				return usageError("cannot read the playbooks %s: %v; give a folder of playbook .yaml files", where, unwrapPath(err))
			}
			if len(files) == 0 {
				return usageError("no playbook files (*.yaml) %s; \"ally playbook init DIR\" writes some to start from", where)
			}
			problems, err := lintWording(fsys, dir, where, tone.Default())
			if err != nil {
				return err
			}
			if err := writeLint(cmd, format, len(files), where, problems); err != nil {
				return err
			}
			if len(problems) > 0 {
				return problemsFound()
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// lintWording checks the playbooks in fsys (dir, or the built-in ones when
// dir is "") and the mail templates beside them with the tone engine e.
func lintWording(fsys fs.FS, dir, where string, e *tone.Engine) ([]playbook.Problem, error) {
	var problems []playbook.Problem
	var err error
	if dir == "" {
		problems, err = playbook.Lint(fsys, e)
	} else {
		problems, err = playbook.LintDir(dir, e)
	}
	if err != nil {
		return nil, usageError("cannot read the playbooks %s: %v", where, err)
	}
	mailProblems, err := mailtext.Lint(dir, e)
	if err != nil {
		return nil, usageError("cannot read the mail templates %s: %v", mailtext.Path(dir), unwrapPath(err))
	}
	signalProblems, err := signals.Lint(dir, e)
	if err != nil {
		return nil, usageError("cannot read the signal types %s: %v", signals.Dir(dir), unwrapPath(err))
	}
	return append(append(problems, mailProblems...), signalProblems...), nil
}

// checkServedWording refuses to serve a playbooks folder whose words to
// reporters (playbook templates, mail templates) the tone engine in use
// finds blaming or hard to read: they would reach reporters unchecked.
func checkServedWording(dir string, e *tone.Engine) error {
	if dir == "" {
		return nil // the built-in wording is checked by the tests
	}
	problems, err := lintWording(os.DirFS(dir), dir, "in "+dir, e)
	if err != nil || len(problems) == 0 {
		return err
	}
	var b strings.Builder
	for i, p := range problems {
		if i == 5 {
			fmt.Fprintf(&b, "\n  … and %d more", len(problems)-i)
			break
		}
		fmt.Fprintf(&b, "\n  %s", p)
	}
	return usageError("--playbooks %s: %d problem(s) in words that would reach reporters:%s\n"+
		"Reword them (\"ally playbook lint %s\" lists them all) and start again.", dir, len(problems), b.String(), dir)
}

// writeLint prints the problems and a one-line summary, or the JSON report.
func writeLint(cmd *cobra.Command, format string, files int, where string, problems []playbook.Problem) error {
	out := cmd.OutOrStdout()
	if format == "json" {
		if problems == nil {
			problems = []playbook.Problem{}
		}
		return json.NewEncoder(out).Encode(map[string]any{"files": files, "problems": problems})
	}
	for _, p := range problems {
		fmt.Fprintln(out, p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(out, "%s in %s %s.\n", plural(len(problems), "problem"), plural(files, "playbook file"), where)
		return nil
	}
	summary := fmt.Sprintf("%s %s: no problems", plural(files, "playbook"), where)
	if rest := len(ally.Kinds) - files; rest > 0 {
		summary += fmt.Sprintf("; the other %d kinds use the built-in playbooks", rest)
	}
	fmt.Fprintln(out, summary+".")
	return nil
}

// writeMailTemplates writes the built-in mail templates to
// DIR/mail/templates.yaml, refusing to overwrite without force.
func writeMailTemplates(dir string, force bool) error {
	path := mailtext.Path(dir)
	if _, err := os.Stat(path); err == nil && !force {
		return fmt.Errorf("%s already exists: %w", path, playbook.ErrExists)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, mailtext.DefaultFile(), 0o644)
}

// writeSignalTypes writes the built-in signal types into DIR/signals.
func writeSignalTypes(dir string, force bool) error {
	src, dst := signals.DefaultFS(), signals.Dir(dir)
	if _, err := os.Stat(dst); err == nil && !force {
		return fmt.Errorf("%s already exists: %w", dst, playbook.ErrExists)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	return fs.WalkDir(src, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(src, name)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, name), b, 0o644)
	})
}

// unwrapPath drops the path from a *fs.PathError: the message names it already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
