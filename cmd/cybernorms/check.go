package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
	"unicode"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/internal/ordered"
	"github.com/cybernorms/cybernorms/schema"
)

func init() { register(newCheckCmd) }

var verdicts = []evaluate.Verdict{evaluate.Breached, evaluate.Indeterminate, evaluate.Pending, evaluate.NotBreached, evaluate.NotApplicable}

func newCheckCmd(a *app) *cobra.Command {
	var (
		pf      packFlags
		lf      limitFlags
		asOf    string
		format  string
		trace   bool
		failOn  []string
		ndjson  bool
		summary bool
		timeout time.Duration
	)
	cmd := &cobra.Command{
		Use:   "check FILE...|-",
		Short: "Check incidents against the norms",
		Long: `Validate incident documents, then evaluate each against the norms of the
built-in packs (or those chosen with --pack) and report a finding per norm:
breached, not_breached, not_applicable, pending (a duty not yet due) or
indeterminate (an unknown fact decides it; the finding names the missing
facts and the condition left over them).

A .json file holds one incident; a .ndjson or .jsonl file, or any input with
--ndjson, holds one per line. "-" reads stdin. Line input is evaluated on
every core and reported in input order; a line that cannot be read or is
invalid yields an error record in its place and the batch goes on.

Formats: text (a table per incident), json (one report object per incident,
one per line for line input; {"line":N,"error":{…}} for a bad line) and
markdown. --summary prints one table of verdicts, incidents by norms.

Exit status: 0 when done; 1 when a --fail-on verdict was found; 2 for bad
input, bad rules, a rule that could not be evaluated, or bad usage.`,
		Example: `  cybernorms check examples/incidents/apt10-cloud-hopper.json
  cybernorms check --as-of 2020-01-01T00:00:00Z --format json incident.json
  cybernorms check --fail-on breached --pack us-cn-2015 incidents.ndjson
  cybernorms check --summary --format markdown examples/incidents/*.json`,
		Args: needArgs("FILE... or - for stdin"),
		RunE: func(cmd *cobra.Command, args []string) error {
			evalOpts := []evaluate.EvalOption{}
			when := time.Now().UTC().Truncate(time.Second)
			if asOf != "" {
				t, err := time.Parse(time.RFC3339, asOf)
				if err != nil {
					return usageError("--as-of %q: expected an RFC 3339 time such as 2020-01-01T00:00:00Z", asOf)
				}
				when = t
			}
			evalOpts = append(evalOpts, evaluate.AsOf(when))
			if trace {
				evalOpts = append(evalOpts, evaluate.WithTrace())
			}
			fail := map[evaluate.Verdict]bool{}
			for _, f := range failOn {
				for _, v := range strings.Split(f, ",") {
					v = strings.TrimSpace(v)
					if !slices.Contains(verdicts, evaluate.Verdict(v)) {
						return usageError("--fail-on %q: expected one of breached, indeterminate, pending, not_breached, not_applicable", v)
					}
					fail[evaluate.Verdict(v)] = true
				}
			}
			out, err := newCheckOutput(format, summary, a.stdout, colour(a.stdout))
			if err != nil {
				return err
			}
			decodeOpts, err := lf.decodeOptions()
			if err != nil {
				return err
			}
			if pf.evalOptions, err = lf.evalOptions(); err != nil {
				return err
			}
			ev, err := pf.evaluator(a.stderr)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			prog := newProgress(a.stderr)
			type result struct {
				rec    record
				report *evaluate.Report
				err    error
			}
			work := func(rec record) result {
				if rec.Err != nil {
					return result{rec: rec, err: rec.Err}
				}
				inc, err := schema.Decode(rec.Data, decodeOpts...)
				if err != nil {
					return result{rec: rec, err: err}
				}
				// A batch interrupted by a signal still finishes the incidents it
				// took; --timeout bounds each one.
				ectx := context.WithoutCancel(ctx)
				if timeout > 0 {
					var cancel context.CancelFunc
					ectx, cancel = context.WithTimeout(ectx, timeout)
					defer cancel()
				}
				rep, err := ev.Evaluate(ectx, inc, evalOpts...)
				return result{rec: rec, report: rep, err: err}
			}
			bad, failed, ruleErrors, n := 0, false, 0, 0
			emit := func(r result) error {
				n++
				prog.tick(n)
				if r.err != nil {
					bad++
					return out.invalid(r.rec, r.err, a.stderr)
				}
				for _, f := range r.report.Findings {
					if fail[f.Verdict] {
						failed = true
					}
					if f.Verdict == evaluate.Failed {
						ruleErrors++
						fmt.Fprintf(a.stderr, "%s: %s: %s\n", r.rec.Where(), f.Norm, f.Error)
					}
				}
				return out.report(r.rec, r.report)
			}
			err = ordered.Map(ctx, readInputs(args, inputConfig{ndjson: ndjson, stdin: a.stdin, ctx: ctx, maxBytes: lf.maxBytes}), runtime.GOMAXPROCS(0), work, emit)
			prog.done()
			if ferr := out.finish(); err == nil {
				err = ferr
			}
			if errors.Is(err, context.Canceled) {
				fmt.Fprintf(a.stderr, "cybernorms: interrupted after %d record(s); every record written is whole\n", n)
				return reported(exitBad)
			}
			if err != nil {
				return &exitError{code: exitBad, err: err}
			}
			switch {
			case bad > 0 || ruleErrors > 0:
				if bad > 0 {
					fmt.Fprintf(a.stderr, "cybernorms: %d of %d document(s) could not be checked\n", bad, n)
				}
				if ruleErrors > 0 {
					fmt.Fprintf(a.stderr, "cybernorms: %d finding(s) could not be evaluated\n", ruleErrors)
				}
				return reported(exitBad)
			case failed:
				return reported(exitFailOn)
			}
			return nil
		},
	}
	pf.register(cmd)
	lf.register(cmd, true)
	cmd.Flags().StringVar(&asOf, "as-of", "", "evaluation time, RFC 3339 (default: now)")
	cmd.Flags().DurationVar(&timeout, "timeout", 0, "longest time to evaluate one incident, e.g. 2s; a rule cut short yields an error finding (default: no limit)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or markdown")
	cmd.Flags().BoolVar(&trace, "trace", false, "show the value of every sub-expression of each rule")
	cmd.Flags().StringArrayVar(&failOn, "fail-on", nil, "exit 1 when a finding has this verdict (e.g. breached); repeatable or comma-separated")
	cmd.Flags().BoolVar(&ndjson, "ndjson", false, "read every input, stdin included, as one incident per line")
	cmd.Flags().BoolVar(&summary, "summary", false, "print one table of verdicts (incidents by norms) instead of the findings")
	return cmd
}

// colour reports whether to colour output: a terminal, and NO_COLOR unset.
func colour(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) && os.Getenv("NO_COLOR") == ""
}

// progress shows a count on stderr while a long input is checked, only
// when stderr is a terminal.
type progress struct {
	w     io.Writer
	on    bool
	shown bool
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, on: ok && term.IsTerminal(int(f.Fd()))}
}

func (p *progress) tick(n int) {
	if p.on && n%500 == 0 {
		fmt.Fprintf(p.w, "\rchecked %d incidents…", n)
		p.shown = true
	}
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// checkOutput prints reports in one format.
type checkOutput interface {
	report(rec record, r *evaluate.Report) error
	invalid(rec record, err error, stderr io.Writer) error
	finish() error
}

func newCheckOutput(format string, summary bool, w io.Writer, colour bool) (checkOutput, error) {
	switch {
	case summary && (format == "text" || format == "markdown"):
		return &summaryOutput{w: w, markdown: format == "markdown"}, nil
	case summary:
		return nil, usageError("--summary: works with --format text or markdown")
	case format == "text":
		return &textOutput{w: w, colour: colour}, nil
	case format == "markdown":
		return &markdownOutput{w: w}, nil
	case format == "json":
		return &jsonOutput{w: w}, nil
	}
	return nil, usageError("--format: expected text, json or markdown, got %q", format)
}

// printInvalid prints the faults of a document that could not be checked.
func printInvalid(rec record, err error, stderr io.Writer) {
	for _, f := range faults(err) {
		fmt.Fprintln(stderr, faultLine(rec, f))
	}
}

// jsonOutput prints one report per incident: indented for a single file,
// one per line for line input.
type jsonOutput struct{ w io.Writer }

func (o *jsonOutput) report(rec record, r *evaluate.Report) error {
	var b []byte
	var err error
	if rec.Line == 0 {
		b, err = json.MarshalIndent(r, "", "  ")
	} else {
		b, err = json.Marshal(r)
	}
	if err != nil {
		return err
	}
	_, err = o.w.Write(append(b, '\n'))
	return err
}

func (o *jsonOutput) invalid(rec record, err error, stderr io.Writer) error {
	le := evaluate.NewLineError(rec.Line, err)
	body := any(le)
	if rec.Line == 0 {
		body = struct {
			File  string             `json:"file"`
			Error evaluate.ErrorBody `json:"error"`
		}{rec.File, le.Error}
	}
	b, _ := json.Marshal(body)
	_, werr := o.w.Write(append(b, '\n'))
	printInvalid(rec, err, stderr)
	return werr
}

func (o *jsonOutput) finish() error { return nil }

// textOutput prints a readable table per incident.
type textOutput struct {
	w      io.Writer
	colour bool
	count  int
}

var verdictColour = map[evaluate.Verdict]string{
	evaluate.Breached:      "\033[1;31m",
	evaluate.Indeterminate: "\033[33m",
	evaluate.Pending:       "\033[36m",
	evaluate.NotBreached:   "\033[32m",
	evaluate.NotApplicable: "\033[2m",
	evaluate.Failed:        "\033[1;35m",
}

func (o *textOutput) paint(v evaluate.Verdict) string {
	s := fmt.Sprintf("%-15s", v)
	if o.colour {
		return verdictColour[v] + s + "\033[0m"
	}
	return s
}

func (o *textOutput) report(rec record, r *evaluate.Report) error {
	var b strings.Builder
	if o.count > 0 {
		b.WriteString("\n")
	}
	o.count++
	fmt.Fprintf(&b, "%s — %s, as of %s\n", r.Incident, rec.Where(), r.AsOf.UTC().Format(time.RFC3339))
	width := 0
	for _, f := range r.Findings {
		width = max(width, len(f.Norm))
	}
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "  %s %-*s  %s\n", o.paint(f.Verdict), width, f.Norm, printable(f.Message))
		indent := strings.Repeat(" ", 2+15+1+width+2)
		if f.Residual != "" {
			fmt.Fprintf(&b, "%sresidual: %s\n", indent, printable(f.Residual))
		}
		for _, l := range f.Loopholes {
			fmt.Fprintf(&b, "%sloophole %s: %s\n", indent, l.ID, printable(oneLine(l.Note)))
		}
		for _, ob := range f.Obligations {
			fmt.Fprintf(&b, "%sduty of %s to %s (%s): due %s, %s\n", indent, printable(ob.Bearer), printable(ob.Duty), printable(ob.Trigger), ob.Due.UTC().Format("2006-01-02"), ob.Status)
		}
		for _, t := range f.Trace {
			fmt.Fprintf(&b, "%s%s: %s = %s\n", indent, t.Rule, printable(t.Expr), printable(t.Value))
		}
	}
	fmt.Fprintf(&b, "  %s\n", tally(r))
	_, err := io.WriteString(o.w, b.String())
	return err
}

func (o *textOutput) invalid(rec record, err error, stderr io.Writer) error {
	printInvalid(rec, err, stderr)
	return nil
}

func (o *textOutput) finish() error { return nil }

// tally counts a report's verdicts: "2 breached, 1 indeterminate, …".
func tally(r *evaluate.Report) string {
	var parts []string
	for _, v := range append(slices.Clone(verdicts), evaluate.Failed) {
		if n := r.Count(v); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, v))
		}
	}
	return strings.Join(parts, ", ")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// markdownOutput prints a section with a table per incident.
type markdownOutput struct{ w io.Writer }

func (o *markdownOutput) report(rec record, r *evaluate.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\nAs of %s (%s).\n\n| Norm | Verdict | Reason |\n|---|---|---|\n", r.Incident, r.AsOf.UTC().Format(time.RFC3339), rec.Where())
	for _, f := range r.Findings {
		reason := f.Message
		if f.Residual != "" {
			reason += "; residual: `" + f.Residual + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", f.Norm, f.Verdict, mdCell(reason))
	}
	b.WriteString("\n")
	_, err := io.WriteString(o.w, b.String())
	return err
}

func (o *markdownOutput) invalid(rec record, err error, stderr io.Writer) error {
	printInvalid(rec, err, stderr)
	return nil
}

func (o *markdownOutput) finish() error { return nil }

func mdCell(s string) string { return strings.ReplaceAll(printable(oneLine(s)), "|", `\|`) }

// printable escapes control characters and bidirectional overrides (as
// \u001b) in text that may come from an incident, such as an actor's name in
// a rule's message, so that a document cannot send escape sequences to a
// terminal or reorder what is shown.
func printable(s string) string {
	if !strings.ContainsFunc(s, unprintable) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unprintable(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unprintable(r rune) bool {
	return unicode.IsControl(r) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x2028 || r == 0x2029
}

// summaryOutput collects verdicts and prints one table at the end.
type summaryOutput struct {
	w        io.Writer
	markdown bool
	norms    []string
	rows     [][]string
}

var shortVerdict = map[evaluate.Verdict]string{
	evaluate.Breached: "breached", evaluate.NotBreached: "not breached", evaluate.NotApplicable: "n/a",
	evaluate.Indeterminate: "indeterminate", evaluate.Pending: "pending", evaluate.Failed: "error",
}

func (o *summaryOutput) report(rec record, r *evaluate.Report) error {
	if o.norms == nil {
		for _, f := range r.Findings {
			o.norms = append(o.norms, f.Norm)
		}
	}
	row := []string{r.Incident}
	for _, f := range r.Findings {
		row = append(row, shortVerdict[f.Verdict])
	}
	o.rows = append(o.rows, row)
	return nil
}

func (o *summaryOutput) invalid(rec record, err error, stderr io.Writer) error {
	printInvalid(rec, err, stderr)
	o.rows = append(o.rows, []string{rec.Where() + " (invalid)"})
	return nil
}

func (o *summaryOutput) finish() error {
	header := append([]string{"incident"}, o.norms...)
	var b strings.Builder
	if o.markdown {
		fmt.Fprintf(&b, "| %s |\n|%s\n", strings.Join(header, " | "), strings.Repeat("---|", len(header)))
		for _, r := range o.rows {
			fmt.Fprintf(&b, "| %s |\n", strings.Join(r, " | "))
		}
	} else {
		widths := make([]int, len(header))
		for _, r := range append([][]string{header}, o.rows...) {
			for i, c := range r {
				widths[i] = max(widths[i], len(c))
			}
		}
		for _, r := range append([][]string{header}, o.rows...) {
			for i, c := range r {
				fmt.Fprintf(&b, "%-*s  ", widths[i], c)
			}
			b.WriteString("\n")
		}
	}
	_, err := io.WriteString(o.w, b.String())
	return err
}
