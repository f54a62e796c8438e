package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/allydesk/ally/roleplay"
	"github.com/allydesk/ally/roleplay/llm"
	"github.com/spf13/cobra"
)

// roleplayFlags are shared by "ally roleplay" and "ally roleplay list".
type roleplayFlags struct {
	format    string
	scenarios string
	script    string
	llmURL    string
	llmModel  string
}

func newRoleplayCmd() *cobra.Command {
	f := &roleplayFlags{}
	cmd := &cobra.Command{
		Use:   "roleplay [SCENARIO]",
		Short: "Practise hard conversations with a simulated person",
		Long: `Practise talking with someone who has just had a security scare.

Without --script the conversation is interactive: type what you would say,
the persona answers, and /quit ends it. A debrief follows: scores, what the
person was hiding and what would have unlocked it, and kinder phrasings.
Without SCENARIO, the scenarios are listed and you pick one.

With --script FILE (one message a line, "-" for standard input; blank lines
and lines starting with # are skipped) the messages are played in order and
the transcript and debrief are printed.`,
		Example: `  ally roleplay list
  ally roleplay parcel-link-new-hire
  ally roleplay parcel-link-new-hire --script messages.txt --format json`,
		Args: roleplayArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runRoleplay(cmd, f, args) },
	}
	cmd.PersistentFlags().StringVar(&f.format, "format", "text", "output format: text or json")
	cmd.PersistentFlags().StringVar(&f.scenarios, "scenarios", "",
		"folder of scenario *.yaml files that add to or replace the built-in ones")
	cmd.Flags().StringVar(&f.script, "script", "", `play the messages in FILE, one a line ("-" for standard input)`)
	cmd.Flags().StringVar(&f.llmURL, "llm-url", "",
		"let a local language model word the persona's replies: an OpenAI-compatible API such as http://127.0.0.1:11434/v1 "+
			"(scores stay deterministic)")
	cmd.Flags().StringVar(&f.llmModel, "llm-model", "local", "model name to send with --llm-url")
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the practice scenarios",
		Args:  roleplayArgs(0),
		RunE:  func(cmd *cobra.Command, _ []string) error { return listRoleplay(cmd, f) },
	})
	return cmd
}

// roleplayArgs accepts at most n arguments, reporting more as bad usage.
func roleplayArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return usageError("too many arguments: %q (see %q)", args, cmd.CommandPath()+" --help")
		}
		return nil
	}
}

func (f *roleplayFlags) library() (*roleplay.Library, error) {
	if f.format != "text" && f.format != "json" {
		return nil, usageError("--format %q: use text or json", f.format)
	}
	if f.scenarios == "" {
		return roleplay.Default(), nil
	}
	lib, err := roleplay.LoadDir(f.scenarios)
	if err != nil {
		return nil, usageError("--scenarios %s: %v", f.scenarios, err)
	}
	return lib, nil
}

func listRoleplay(cmd *cobra.Command, f *roleplayFlags) error {
	lib, err := f.library()
	if err != nil {
		return err
	}
	if f.format == "json" {
		briefs := []roleplay.Brief{}
		for _, sc := range lib.List() {
			briefs = append(briefs, sc.Brief())
		}
		return writeRoleplayJSON(cmd.OutOrStdout(), map[string]any{"items": briefs})
	}
	return roleplay.WriteList(cmd.OutOrStdout(), lib.List())
}

func runRoleplay(cmd *cobra.Command, f *roleplayFlags, args []string) error {
	lib, err := f.library()
	if err != nil {
		return err
	}
	in := bufio.NewScanner(cmd.InOrStdin())
	out := cmd.OutOrStdout()
	var id string
	switch {
	case len(args) == 1:
		id = args[0]
	case f.script != "":
		return usageError("--script needs a SCENARIO; known: %s", strings.Join(lib.IDs(), ", "))
	default:
		if id, err = chooseScenario(in, out, lib); err != nil {
			return err
		}
	}
	sc, ok := lib.Get(id)
	if !ok {
		return usageError("unknown scenario %q; known: %s", id, strings.Join(lib.IDs(), ", "))
	}
	say, err := f.speaker(cmd)
	if err != nil {
		return err
	}
	var s *roleplay.Session
	if f.script != "" {
		s, err = playScript(cmd, sc, f.script, say)
	} else {
		s, err = playInteractive(in, out, sc, say)
	}
	if err != nil {
		return err
	}
	if f.format == "json" {
		return writeRoleplayJSON(out, s.Debrief())
	}
	return roleplay.WriteDebrief(out, s.Debrief())
}

// chooseScenario lists the scenarios and reads a number or an id.
func chooseScenario(in *bufio.Scanner, out io.Writer, lib *roleplay.Library) (string, error) {
	list := lib.List()
	if err := roleplay.WriteList(out, list); err != nil {
		return "", err
	}
	fmt.Fprint(out, "\nWhich scenario? Type a number or an id: ")
	if !in.Scan() {
		return "", usageError("no scenario chosen; run \"ally roleplay SCENARIO\" with one of: %s", strings.Join(lib.IDs(),
			", "))
	}
	answer := strings.TrimSpace(in.Text())
	if n, err := strconv.Atoi(answer); err == nil && n >= 1 && n <= len(list) {
		return list[n-1].ID, nil
	}
	return answer, nil
}

// sayFunc plays one message in a session.
type sayFunc func(s *roleplay.Session, msg string) roleplay.Turn

// speaker returns how to play messages: the engine alone, or with replies
// worded by the language model at --llm-url. If the model fails, the
// engine's own reply stands and one warning goes to stderr.
func (f *roleplayFlags) speaker(cmd *cobra.Command) (sayFunc, error) {
	if f.llmURL == "" {
		return (*roleplay.Session).Say, nil
	}
	v, err := llm.New(f.llmURL, f.llmModel)
	if err != nil {
		return nil, usageError("--llm-url: %v", err)
	}
	warned := false
	return func(s *roleplay.Session, msg string) roleplay.Turn {
		t, err := s.SayVoiced(cmd.Context(), msg, v)
		if err != nil && !warned {
			warned = true
			fmt.Fprintf(cmd.ErrOrStderr(), "ally: the language model did not answer (%v); using the built-in replies\n", err)
		}
		return t
	}, nil
}

func playInteractive(in *bufio.Scanner, out io.Writer, sc *roleplay.Scenario, say sayFunc) (*roleplay.Session, error) {
	p := sc.Persona
	fmt.Fprintf(out, "\n%s\nYou are talking with %s (%s). Goals: calm them, learn the facts, give the first steps, "+
		"agree when you'll next be in touch.\nType /quit to end.\n\n%s: %s\n",
		sc.Title, p.Name, p.Role, p.Name, sc.Opening)
	s := roleplay.Start(sc)
	for s.Ended == "" {
		fmt.Fprint(out, "> ")
		if !in.Scan() {
			break
		}
		msg := strings.TrimSpace(in.Text())
		switch {
		case msg == "/quit":
			s.Stop()
		case msg != "":
			turn := say(s, msg)
			fmt.Fprintf(out, "%s: %s\n", p.Name, turn.Reply)
			if turn.Ended != "" {
				fmt.Fprintf(out, "[the conversation has ended: %s]\n", turn.Ended)
			}
		}
	}
	if err := in.Err(); err != nil {
		return nil, usageError("reading your messages: %v", err)
	}
	s.Stop()
	return s, nil
}

func playScript(cmd *cobra.Command, sc *roleplay.Scenario, path string, say sayFunc) (*roleplay.Session, error) {
	lines, err := readRoleplayScript(cmd.InOrStdin(), path)
	if err != nil {
		return nil, usageError("--script %s: %v", path, err)
	}
	s := roleplay.Start(sc)
	for i, l := range lines {
		if s.Ended != "" {
			fmt.Fprintf(cmd.ErrOrStderr(), "ally: the session ended (%s) after turn %d; %d more lines were not used\n",
				s.Ended, len(s.Turns), len(lines)-i)
			break
		}
		say(s, l)
	}
	s.Stop()
	return s, nil
}

// readRoleplayScript reads one message a line, skipping blank lines and # comments.
func readRoleplayScript(stdin io.Reader, path string) ([]string, error) {
	r := stdin
	if path != "-" {
		file, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer file.Close()
		r = file
	}
	var lines []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines, sc.Err()
}

func writeRoleplayJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
