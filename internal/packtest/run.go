package packtest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/internal/suggest"
	"github.com/cybernorms/cybernorms/norms"
	"github.com/cybernorms/cybernorms/schema"
)

// Runner runs test files. The zero value runs every case against the pack
// beside each test file.
type Runner struct {
	// Packs are loaded beside the pack under test, e.g. packs it is meant
	// to be read with (`cybernorms test --pack`). A pack with the id of the
	// pack under test is left out: the file beside the test file wins.
	Packs []*norms.Pack
	// Run, when set, selects the cases whose name it matches.
	Run *regexp.Regexp
}

// FileResult is the outcome of one test file.
type FileResult struct {
	// File is the test file.
	File string `json:"file"`
	// Pack is the pack file tested ("" when there is none beside the test
	// file and only the runner's packs are used).
	Pack string `json:"pack,omitempty"`
	// Cases are the results of the cases run, in file order.
	Cases []CaseResult `json:"cases"`
	// Warnings are the rule set's warnings (an unused parameter, a norm
	// without a citation).
	Warnings norms.Diagnostics `json:"warnings,omitempty"`
}

// CaseResult is the outcome of one case.
type CaseResult struct {
	// Name is the case's name; Line its line in the test file.
	Name string `json:"name"`
	Line int    `json:"line"`
	// Passed is true when every check passed and there was no error.
	Passed bool `json:"passed"`
	// Error says why the case could not run: an incident that cannot be
	// read or is invalid, a norm or parameter that the rule set lacks.
	Error string `json:"error,omitempty"`
	// Checks are the expectations and what the evaluation gave, in file order.
	Checks []Check `json:"checks,omitempty"`
}

// Check is one expectation and its outcome.
type Check struct {
	// Norm is the norm id; Line is where the expectation is written.
	Norm string `json:"norm"`
	Line int    `json:"line"`
	// Kind is "verdict", "residual" or "loopholes".
	Kind string `json:"kind"`
	// Expected and Actual are the verdicts, the residual text (expected as a
	// substring), or the loophole ids joined by ", ".
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
	Passed   bool   `json:"passed"`
	// Verdict, Residual, Missing and Message describe the finding, to help
	// read a failure.
	Verdict  string   `json:"verdict"`
	Residual string   `json:"residual,omitempty"`
	Missing  []string `json:"missing,omitempty"`
	Message  string   `json:"message,omitempty"`
}

// Passed counts the cases that passed.
func (r *FileResult) Passed() int {
	n := 0
	for _, c := range r.Cases {
		if c.Passed {
			n++
		}
	}
	return n
}

// Failed counts the cases that failed or could not run.
func (r *FileResult) Failed() int { return len(r.Cases) - r.Passed() }

// Errors counts the cases that could not run.
func (r *FileResult) Errors() int {
	n := 0
	for _, c := range r.Cases {
		if c.Error != "" {
			n++
		}
	}
	return n
}

// RunFile runs the cases of a test file. The error is for a rule set that
// does not load or compile ([norms.Diagnostics]), or a missing pack;
// problems of single cases are reported in their results.
func (r *Runner) RunFile(ctx context.Context, f *File) (*FileResult, error) {
	res := &FileResult{File: f.Name}
	packs, packName, err := r.packs(f)
	if err != nil {
		return nil, err
	}
	res.Pack = packName
	tested := ""
	if packName != "" {
		tested = packs[0].ID
	}
	rulesets := map[string]*evaluate.Evaluator{}
	for _, c := range f.Cases {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if r.Run != nil && !r.Run.MatchString(c.Name) {
			continue
		}
		opts, key, perr := caseParams(c, tested, f.Name)
		ev, ok := rulesets[key]
		if perr == nil && !ok {
			// The packs as written first: their problems stop the file.
			if _, done := rulesets[""]; !done && key != "" {
				if _, err := r.compile(packs, rulesets, "", nil, res); err != nil {
					return nil, err
				}
			}
			ev, err = r.compile(packs, rulesets, key, opts, res)
			if err != nil && key == "" {
				return nil, err
			}
			if err != nil {
				perr = paramError(f.Name, c, err) // an override the packs refuse
			}
		}
		cr := CaseResult{Name: c.Name, Line: c.Line}
		if perr != nil {
			cr.Error = perr.Error()
		} else {
			cr.Checks, err = runCase(ctx, ev, f, c)
			if err != nil {
				cr.Error = err.Error()
			}
		}
		cr.Passed = cr.Error == "" && !slices.ContainsFunc(cr.Checks, func(ch Check) bool { return !ch.Passed })
		res.Cases = append(res.Cases, cr)
	}
	return res, nil
}

// compile builds the evaluator of the packs with parameter overrides, once
// per set of overrides (key).
func (r *Runner) compile(packs []*norms.Pack, cache map[string]*evaluate.Evaluator, key string, opts []norms.CompileOption, res *FileResult) (*evaluate.Evaluator, error) {
	rs, err := norms.Compile(packs, opts...)
	if err != nil {
		return nil, err
	}
	if key == "" {
		res.Warnings = rs.Warnings()
	}
	ev, err := evaluate.New(rs)
	if err != nil {
		return nil, err
	}
	cache[key] = ev
	return ev, nil
}

// paramError reports a parameter override that does not compile at the
// case's params.
func paramError(file string, c *Case, err error) error {
	var ds norms.Diagnostics
	if !errors.As(err, &ds) {
		return fmt.Errorf("%s:%d: params: %w", file, c.Params[0].Line, err)
	}
	msgs := make([]string, len(ds))
	for i, d := range ds {
		msg := d.Summary
		if d.Detail != "" {
			msg += " (" + d.Detail + ")"
		}
		msgs[i] = fmt.Sprintf("%s:%d: params: %s", file, c.Params[0].Line, msg)
	}
	return errors.New(strings.Join(msgs, "\n"))
}

// packs returns the pack under test (first, when there is one) and the
// runner's packs.
func (r *Runner) packs(f *File) ([]*norms.Pack, string, error) {
	var packs []*norms.Pack
	name := ""
	var (
		data  []byte
		where string
		err   error
	)
	for _, cand := range packNamesFor(f.Name) {
		if data, where, err = f.src.ReadFile(cand); !errors.Is(err, fs.ErrNotExist) {
			f.PackFile = cand
			break
		}
	}
	switch {
	case err == nil:
		p, err := norms.Load(where, data)
		if err != nil {
			return nil, "", err
		}
		packs, name = append(packs, p), where
	case errors.Is(err, fs.ErrNotExist):
		if len(r.Packs) == 0 {
			return nil, "", fmt.Errorf("%s: no pack %s beside the test file, and no other pack loaded", f.Name, f.PackFile)
		}
	default:
		return nil, "", err
	}
	for _, p := range r.Packs {
		if name != "" && p.ID == packs[0].ID {
			continue // the pack under test wins over another of its id
		}
		packs = append(packs, p)
	}
	return packs, name, nil
}

// caseParams turns a case's parameter overrides into compile options and a
// key naming the rule set they build.
func caseParams(c *Case, tested, file string) ([]norms.CompileOption, string, error) {
	var opts []norms.CompileOption
	var keys []string
	for _, p := range c.Params {
		pack := p.Pack
		if pack == "" {
			if tested == "" {
				return nil, "", fmt.Errorf("%s:%d: params: %s: name the pack as <pack>/%s (no pack beside the test file)", file, p.Line, p.Name, p.Name)
			}
			pack = tested
		}
		opts = append(opts, norms.WithParam(pack, p.Name, p.Value))
		keys = append(keys, pack+"/"+p.Name+"="+p.Value)
	}
	slices.Sort(keys)
	return opts, strings.Join(keys, "\n"), nil
}

// runCase decodes the incident, evaluates it and checks the expectations.
func runCase(ctx context.Context, ev *evaluate.Evaluator, f *File, c *Case) ([]Check, error) {
	inc, err := c.incident(f)
	if err != nil {
		return nil, err
	}
	// Every norm the case names must exist, before anything is checked.
	var ids []string
	for _, n := range ev.RuleSet().Norms() {
		ids = append(ids, n.ID)
	}
	var unknown []string
	for _, e := range c.Expect {
		if _, ok := ev.RuleSet().Norm(e.Norm); !ok {
			unknown = append(unknown, fmt.Sprintf("%s:%d: no norm %q in the rule set%s", f.Name, e.Line, e.Norm, suggest.Hint(e.Norm, ids)))
		}
	}
	if len(unknown) > 0 {
		return nil, errors.New(strings.Join(unknown, "\n"))
	}
	rep, err := ev.Evaluate(ctx, inc, evaluate.AsOf(c.AsOf))
	if err != nil {
		return nil, err
	}
	var checks []Check
	for _, e := range c.Expect {
		fd, _ := rep.Finding(e.Norm)
		ch := Check{Norm: e.Norm, Line: e.Line, Kind: e.Kind, Verdict: string(fd.Verdict),
			Residual: fd.Residual, Missing: fd.Missing, Message: fd.Message}
		switch e.Kind {
		case "verdict":
			ch.Expected, ch.Actual = e.Want, string(fd.Verdict)
			ch.Passed = ch.Expected == ch.Actual
		case "residual":
			ch.Expected, ch.Actual = e.Want, fd.Residual
			ch.Passed = fd.Residual != "" && strings.Contains(squash(fd.Residual), squash(e.Want))
		case "loopholes":
			got := make([]string, len(fd.Loopholes))
			for i, l := range fd.Loopholes {
				got[i] = l.ID
			}
			want := slices.Clone(e.Loopholes)
			slices.Sort(want)
			slices.Sort(got)
			ch.Expected, ch.Actual = strings.Join(want, ", "), strings.Join(got, ", ")
			ch.Passed = slices.Equal(want, got)
		}
		checks = append(checks, ch)
	}
	return checks, nil
}

// squash collapses runs of white space into one space.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// incident reads and validates the case's incident. Faults of an inline
// incident are reported at their line in the test file.
func (c *Case) incident(f *File) (*incident.Incident, error) {
	if c.IncidentJSON != nil {
		inc, err := schema.Decode(c.IncidentJSON)
		if err == nil {
			return inc, nil
		}
		var list incident.ErrorList
		if !errors.As(err, &list) {
			return nil, err
		}
		msgs := make([]string, len(list))
		for i, fe := range list {
			msgs[i] = fmt.Sprintf("%s:%d: incident %s", f.Name, lineOf(c.incidentNode, fe.Pointer), fe.Error())
		}
		return nil, errors.New(strings.Join(msgs, "\n"))
	}
	data, where, err := f.src.ReadFile(c.IncidentPath)
	if err != nil {
		return nil, fmt.Errorf("%s:%d: incident: %w", f.Name, c.Line, err)
	}
	inc, err := schema.Decode(data)
	if err != nil {
		var list incident.ErrorList
		if errors.As(err, &list) {
			msgs := make([]string, len(list))
			for i, fe := range list {
				msgs[i] = where + ": " + fe.Error()
			}
			return nil, errors.New(strings.Join(msgs, "\n"))
		}
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	return inc, nil
}
