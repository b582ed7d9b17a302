package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cybernorms/cybernorms/internal/packtest"
	"github.com/cybernorms/cybernorms/norms"
)

func init() { register(newTestCmd) }

func newTestCmd(a *app) *cobra.Command {
	var (
		packs  []string
		run    string
		format string
	)
	cmd := &cobra.Command{
		Use:   "test [PATH...]",
		Short: "Run the test cases of norm packs",
		Long: `Run pack test files: <name>_test.yaml beside the pack <name>.yaml, each
case naming an incident (a path relative to the test file, or an inline
mapping), an evaluation time and the verdicts expected:

  cases:
    - name: APT10 was a contractor, not armed forces
      as_of: 2020-01-01T00:00:00Z
      incident: ../incidents/apt10.json
      expect: {my-pack/military-actor: not_breached}
      expect_residual: {my-pack/other-norm: incident.purpose}
      expect_loopholes: {my-pack/military-actor: []}
      params: {response_window: P60D}

PATH is a test file, a pack file (its test file is run), or a folder (every
*_test.yaml in it). Without PATH the test files of the built-in packs are run;
they read the example incidents of the source tree, so run them from the
repository root.

Each case is evaluated against the pack beside its test file and the packs
given with --pack. With --format text (the default) every failing case is
printed with the file and line of each expectation, what was expected and what
the evaluation gave, then a summary line "N passed, M failed". --format json
prints one object with every result.

Exit status: 0 when every case passed; 1 when a case failed; 2 when a test
file, an incident or a pack could not be read (pack problems are printed as
diagnostics with file:line:col).`,
		Example: `  cybernorms test
  cybernorms test norms/packs/us-cn-2015_test.yaml
  cybernorms test --pack intl-law --run 'proxy' my-packs/
  cybernorms test --format json my-pack_test.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageError("--format: expected text or json, got %q", format)
			}
			runner := &packtest.Runner{}
			if run != "" {
				re, err := regexp.Compile(run)
				if err != nil {
					return usageError("--run: %v", err)
				}
				runner.Run = re
			}
			if len(packs) > 0 {
				extra, err := (&packFlags{packs: packs}).load(a.stderr)
				if err != nil {
					return err
				}
				runner.Packs = extra
			}
			return runTests(cmd.Context(), a, runner, args, format)
		},
	}
	cmd.Flags().StringArrayVar(&packs, "pack", nil, "another pack to load beside the pack under test: a built-in pack by name, or a pack file or folder; repeatable")
	cmd.Flags().StringVar(&run, "run", "", "run only the cases whose name matches this regular expression")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// testReport is the JSON form of a test run.
type testReport struct {
	Files  []*packtest.FileResult `json:"files"`
	Errors []string               `json:"errors,omitempty"`
	Passed int                    `json:"passed"`
	Failed int                    `json:"failed"`
}

func runTests(ctx context.Context, a *app, runner *packtest.Runner, args []string, format string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	files, bad := testFiles(args, a.stderr)
	rep := testReport{Files: []*packtest.FileResult{}}
	badInput := bad > 0
	for _, tf := range files {
		f, err := tf.parse()
		if err == nil {
			var res *packtest.FileResult
			res, err = runner.RunFile(ctx, f)
			if err == nil {
				rep.Files = append(rep.Files, res)
				rep.Passed += res.Passed()
				rep.Failed += res.Failed()
				badInput = badInput || res.Errors() > 0
				for _, w := range res.Warnings {
					fmt.Fprintln(a.stderr, w.Error())
				}
				continue
			}
		}
		badInput = true
		rep.Errors = append(rep.Errors, err.Error())
		var ds norms.Diagnostics
		if errors.As(err, &ds) {
			for _, d := range ds {
				fmt.Fprintln(a.stderr, d.Error())
			}
			fmt.Fprintf(a.stderr, "cybernorms: %s: %d problem(s) in the packs\n", tf.name, len(ds))
		} else {
			fmt.Fprintln(a.stderr, err.Error())
		}
	}
	if format == "json" {
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printFailures(a.stdout, rep.Files)
		fmt.Fprintf(a.stdout, "%d passed, %d failed\n", rep.Passed, rep.Failed)
	}
	if runner.Run != nil && rep.Passed+rep.Failed == 0 && !badInput {
		fmt.Fprintf(a.stderr, "cybernorms: no case matches --run %s\n", runner.Run)
	}
	switch {
	case badInput:
		return reported(exitBad)
	case rep.Failed > 0:
		return reported(exitFailOn)
	}
	return nil
}

// printFailures prints each failing case with its expectations.
func printFailures(w io.Writer, files []*packtest.FileResult) {
	for _, fr := range files {
		for _, c := range fr.Cases {
			if c.Passed {
				continue
			}
			fmt.Fprintf(w, "FAIL %s:%d: %s\n", fr.File, c.Line, c.Name)
			if c.Error != "" {
				for _, line := range strings.Split(c.Error, "\n") {
					fmt.Fprintf(w, "    %s\n", line)
				}
				continue
			}
			explained := map[string]bool{}
			for i, ch := range c.Checks {
				if ch.Passed {
					continue
				}
				switch ch.Kind {
				case "verdict":
					fmt.Fprintf(w, "    %s:%d: %s: expected %s, got %s\n", fr.File, ch.Line, ch.Norm, ch.Expected, ch.Actual)
				case "residual":
					fmt.Fprintf(w, "    %s:%d: %s: expected a residual containing %q\n", fr.File, ch.Line, ch.Norm, ch.Expected)
					if ch.Verdict != "indeterminate" {
						fmt.Fprintf(w, "        no residual: the verdict is %s\n", ch.Verdict)
						explained[ch.Norm] = true
						continue
					}
				case "loopholes":
					fmt.Fprintf(w, "    %s:%d: %s: expected loopholes [%s], got [%s]\n", fr.File, ch.Line, ch.Norm, ch.Expected, ch.Actual)
				}
				// Explain the finding once, after the last failed check of its norm.
				if explained[ch.Norm] || slices.ContainsFunc(c.Checks[i+1:], func(x packtest.Check) bool { return x.Norm == ch.Norm && !x.Passed }) {
					continue
				}
				explained[ch.Norm] = true
				if ch.Verdict == "indeterminate" {
					fmt.Fprintf(w, "        residual: %s\n", oneLineText(ch.Residual))
					fmt.Fprintf(w, "        missing: %s\n", strings.Join(ch.Missing, ", "))
				} else if ch.Message != "" {
					fmt.Fprintf(w, "        %s: %s\n", ch.Verdict, oneLineText(ch.Message))
				}
			}
		}
	}
}

func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

// testFile is a test file to run: on disk, or embedded with the built-in packs.
type testFile struct {
	name  string
	parse func() (*packtest.File, error)
}

// testFiles finds the test files named by args; with none, the built-in
// packs' test files. It reports paths that name no test file and counts them.
func testFiles(args []string, stderr io.Writer) ([]testFile, int) {
	var out []testFile
	if len(args) == 0 {
		fsys := norms.BuiltinFS()
		names, _ := fs.Glob(fsys, "packs/*_test.yaml")
		for _, name := range names {
			out = append(out, testFile{name: name, parse: func() (*packtest.File, error) {
				data, err := fs.ReadFile(fsys, name)
				if err != nil {
					return nil, err
				}
				// The example incidents the tests name are in the source
				// tree, at ../../examples from norms/packs.
				return packtest.Parse(name, data, packtest.FSSource(fsys, path.Dir(name), "norms"))
			}})
		}
		return out, 0
	}
	bad := 0
	disk := func(name string) testFile {
		return testFile{name: name, parse: func() (*packtest.File, error) { return packtest.ParseFile(name) }}
	}
	for _, arg := range args {
		st, err := os.Stat(arg)
		switch {
		case err != nil:
			fmt.Fprintf(stderr, "cybernorms: %v\n", err)
			bad++
		case st.IsDir():
			var found []string
			for _, pat := range []string{"*_test.yaml", "*_test.yml"} {
				m, _ := filepath.Glob(filepath.Join(arg, pat))
				found = append(found, m...)
			}
			slices.Sort(found)
			if len(found) == 0 {
				fmt.Fprintf(stderr, "cybernorms: %s: no test files (*_test.yaml) in the folder\n", arg)
				bad++
			}
			for _, name := range found {
				out = append(out, disk(name))
			}
		case packtest.IsTestFile(filepath.Base(arg)):
			out = append(out, disk(arg))
		case norms.IsPackFile(filepath.Base(arg)):
			stem := strings.TrimSuffix(arg, filepath.Ext(arg)) + "_test"
			i := slices.IndexFunc([]string{".yaml", ".yml"}, func(ext string) bool {
				_, err := os.Stat(stem + ext)
				return err == nil
			})
			if i < 0 {
				fmt.Fprintf(stderr, "cybernorms: %s: no test file %s beside the pack\n", arg, filepath.Base(stem)+".yaml")
				bad++
				continue
			}
			out = append(out, disk(stem+[]string{".yaml", ".yml"}[i]))
		default:
			fmt.Fprintf(stderr, "cybernorms: %s: not a pack test file (expected <name>_test.yaml, a pack file or a folder)\n", arg)
			bad++
		}
	}
	return out, bad
}
