package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/norms"
)

// packFlags are the flags that choose the rules: --pack and --param.
type packFlags struct {
	packs  []string
	params []string
	// rule limits, checked when the packs compile
	maxExprLength, maxNesting int
	maxEstimatedCost          uint64
	// evalOptions configure the evaluator (the cost limit).
	evalOptions []evaluate.Option
}

func (p *packFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&p.packs, "pack", nil, "a built-in pack by name (us-cn-2015, g20-2015, un-gge-2015, intl-law), or a pack file or folder; repeatable (default: all built-in packs)")
	lim := norms.DefaultLimits()
	cmd.Flags().IntVar(&p.maxExprLength, "max-expression-length", lim.MaxExpressionLength, "longest rule expression accepted, in characters")
	cmd.Flags().IntVar(&p.maxNesting, "max-nesting", lim.MaxComprehensionNesting, "deepest nesting of comprehensions (exists, all, map, filter) in a rule")
	cmd.Flags().Uint64Var(&p.maxEstimatedCost, "max-estimated-cost", lim.MaxEstimatedCost, "largest static cost estimate of one rule expression, in CEL cost units")
	cmd.Flags().StringArrayVar(&p.params, "param", nil, "override a pack parameter: PACK.NAME=VALUE, e.g. us-cn-2015.response_window=P60D; repeatable")
}

// load loads the chosen packs: built-in ones by name, others from files and
// folders. Diagnostics are printed to stderr.
func (p *packFlags) load(stderr io.Writer) ([]*norms.Pack, error) {
	builtin, err := norms.Builtin()
	if err != nil {
		return nil, err
	}
	if len(p.packs) == 0 {
		return builtin, nil
	}
	var out []*norms.Pack
	for _, name := range p.packs {
		if i := slices.IndexFunc(builtin, func(b *norms.Pack) bool { return b.ID == name }); i >= 0 {
			out = append(out, builtin[i])
			continue
		}
		if _, err := os.Stat(name); err != nil && !strings.ContainsAny(name, "/.") {
			ids := make([]string, len(builtin))
			for i, b := range builtin {
				ids[i] = b.ID
			}
			return nil, &exitError{code: exitBad, err: fmt.Errorf("--pack %s: no built-in pack or file of that name (built-in: %s)", name, strings.Join(ids, ", "))}
		}
		loaded, err := norms.LoadPath(name)
		if err != nil {
			return nil, packError(stderr, err)
		}
		out = append(out, loaded...)
	}
	return out, nil
}

// ruleSet loads and compiles the chosen packs; warnings go to stderr.
func (p *packFlags) ruleSet(stderr io.Writer) (*norms.RuleSet, error) {
	packs, err := p.load(stderr)
	if err != nil {
		return nil, err
	}
	lim := norms.DefaultLimits()
	lim.MaxExpressionLength, lim.MaxComprehensionNesting, lim.MaxEstimatedCost = p.maxExprLength, p.maxNesting, p.maxEstimatedCost
	if p.maxExprLength <= 0 || p.maxNesting <= 0 || p.maxEstimatedCost == 0 {
		return nil, usageError("--max-expression-length, --max-nesting and --max-estimated-cost: expected positive numbers")
	}
	opts := []norms.CompileOption{norms.WithLimits(lim)}
	for _, kv := range p.params {
		key, val, ok := strings.Cut(kv, "=")
		pack, name, ok2 := strings.Cut(key, ".")
		if !ok || !ok2 {
			return nil, usageError("--param %s: expected PACK.NAME=VALUE", kv)
		}
		opts = append(opts, norms.WithParam(pack, name, val))
	}
	rs, err := norms.Compile(packs, opts...)
	if err != nil {
		return nil, packError(stderr, err)
	}
	for _, w := range rs.Warnings() {
		fmt.Fprintln(stderr, w.Error())
	}
	return rs, nil
}

// evaluator builds the evaluator of the chosen packs.
func (p *packFlags) evaluator(stderr io.Writer) (*evaluate.Evaluator, error) {
	rs, err := p.ruleSet(stderr)
	if err != nil {
		return nil, err
	}
	ev, err := evaluate.New(rs, p.evalOptions...)
	if err != nil {
		return nil, &exitError{code: exitBad, err: err}
	}
	return ev, nil
}

// packError prints pack diagnostics, one each, and ends with exit status 2.
func packError(stderr io.Writer, err error) error {
	var ds norms.Diagnostics
	if errors.As(err, &ds) {
		for _, d := range ds {
			fmt.Fprintln(stderr, d.Error())
		}
		fmt.Fprintf(stderr, "cybernorms: %d problem(s) in the packs\n", len(ds))
		return reported(exitBad)
	}
	return &exitError{code: exitBad, err: err}
}
