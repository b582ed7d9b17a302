package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Exit statuses.
const (
	exitOK     = 0 // all went well
	exitFailOn = 1 // a --fail-on verdict was found
	exitBad    = 2 // bad input, bad rules or bad usage
)

// exitError ends the command with an exit status. A quiet one has already
// been reported (e.g. validation faults printed one per line); otherwise run
// prints its message.
type exitError struct {
	code  int
	err   error
	quiet bool
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError reports bad usage: exit status 2 with a hint to --help.
func usageError(format string, args ...any) error {
	return &exitError{code: exitBad, err: fmt.Errorf(format+"\nRun 'cybernorms --help' for usage.", args...)}
}

// needArgs requires at least one argument, described by what.
func needArgs(what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return usageError("%s: expected %s", cmd.Name(), what)
		}
		return nil
	}
}

// reported ends with code after the command printed what went wrong.
func reported(code int) error { return &exitError{code: code, quiet: true} }

// app is what commands share: the standard streams, replaced in tests.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// commands are the constructors of the subcommands, added by register from the
// file of each command.
var commands []func(*app) *cobra.Command

// register adds a subcommand; call it from an init function in the command's
// own file.
func register(newCmd func(*app) *cobra.Command) { commands = append(commands, newCmd) }

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "cybernorms",
		Short: "Check cyber incidents against international cyber norms",
		Long: `cybernorms checks structured facts about state-linked cyber operations
against international cyber norms (the 2015 US–China pledge, the G20 2015
communiqué, the UN GGE 2015 norms, the law of state responsibility).

Exit status: 0 when all went well; 1 when a --fail-on verdict was found;
2 for bad input, bad rules or bad usage.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.HiddenDefaultCmd = true
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError("%s: %v", c.Name(), err)
	})
	for _, newCmd := range commands {
		root.AddCommand(newCmd(a))
	}
	return root
}

// run runs the command line args and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdin, stdout, stderr)
}

// runContext runs the command line args with a context (commands read it
// from cmd.Context(); ending it interrupts them as SIGINT does) and returns
// the exit status.
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd(&app{stdin: stdin, stdout: stdout, stderr: stderr})
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		// Cobra's own errors: an unknown command, a wrong number of arguments.
		ee = usageError("%v", err).(*exitError)
	}
	if !ee.quiet {
		fmt.Fprintln(stderr, "cybernorms: "+ee.Error())
	}
	return ee.code
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
