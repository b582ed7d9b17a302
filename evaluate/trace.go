package evaluate

import (
	"slices"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// maxTraceSteps bounds the steps of one rule in a trace.
const maxTraceSteps = 64

// traceNorm evaluates every rule of a norm again with exhaustive evaluation
// and reports the value of each sub-expression, mapped to its source text.
func (st *state) traceNorm(np *normPrograms) []TraceStep {
	var steps []TraceStep
	for _, p := range []*program{np.applies, np.breach} {
		if p != nil {
			steps = append(steps, st.traceRule(p, np.pack)...)
		}
	}
	// The variables the rules use, as computed for this incident.
	seen := map[int]bool{}
	for _, p := range []*program{np.applies, np.breach, np.each} {
		if p == nil {
			continue
		}
		for _, i := range p.x.Variables {
			if !seen[i] {
				seen[i] = true
				v := st.e.packs[np.pack].vars[i]
				steps = append(steps, TraceStep{Rule: v.rule, Expr: strings.TrimSpace(v.x.Source), Value: show(st.variable(np.pack, i))})
			}
		}
	}
	return steps
}

func (p *program) tracePrograms() (cel.Program, cel.Program, error) {
	p.traceOnce.Do(func() {
		p.traceFast, p.traceErr = p.x.Env.Program(p.x.Checked, cel.EvalOptions(cel.OptExhaustiveEval))
		if p.traceErr == nil {
			p.tracePrt, p.traceErr = p.x.DynEnv.Program(p.x.Dynamic, cel.EvalOptions(cel.OptExhaustiveEval, cel.OptPartialEval))
		}
	})
	return p.traceFast, p.tracePrt, p.traceErr
}

func (st *state) traceRule(p *program, pack int) []TraceStep {
	fast, prt, err := p.tracePrograms()
	if err != nil {
		return []TraceStep{{Rule: p.rule, Expr: p.x.Source, Value: "error: " + err.Error()}}
	}
	act := &activation{st: st, pack: pack, partial: st.needsPartial(p.x)}
	a, prg := p.x.Checked, fast
	if act.partial {
		a, prg = p.x.Dynamic, prt
	}
	out, det, err := prg.Eval(act)
	if err != nil || det == nil {
		return []TraceStep{{Rule: p.rule, Expr: p.x.Source, Value: "error: " + errString(err)}}
	}
	src := []rune(p.x.Source)
	info := a.NativeRep().SourceInfo()
	type span struct {
		start, stop int
		text, value string
	}
	var spans []span
	seen := map[string]bool{}
	ast.PostOrderVisit(a.NativeRep().Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() == ast.LiteralKind {
			return
		}
		r, ok := info.GetOffsetRange(e.ID())
		if !ok || r.Start < 0 || int(r.Stop) > len(src) || r.Start >= r.Stop {
			return
		}
		text := strings.Join(strings.Fields(string(src[r.Start:r.Stop])), " ")
		v, ok := det.State().Value(e.ID())
		if !ok || seen[text] {
			return
		}
		seen[text] = true
		spans = append(spans, span{int(r.Start), int(r.Stop), text, show(v)})
	}))
	slices.SortStableFunc(spans, func(x, y span) int {
		if x.start != y.start {
			return x.start - y.start
		}
		return (y.stop - y.start) - (x.stop - x.start)
	})
	steps := []TraceStep{{Rule: p.rule, Expr: strings.Join(strings.Fields(p.x.Source), " "), Value: show(out)}}
	for _, s := range spans {
		if len(steps) == maxTraceSteps {
			break
		}
		if s.text == steps[0].Expr {
			continue
		}
		steps = append(steps, TraceStep{Rule: p.rule, Expr: s.text, Value: s.value})
	}
	return steps
}

func errString(err error) string {
	if err == nil {
		return "no details"
	}
	return err.Error()
}

// show prints a CEL value for a trace.
func show(v ref.Val) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case *types.Unknown:
		return "unknown"
	case types.String:
		return `"` + string(x) + `"`
	case types.Timestamp:
		return x.Time.UTC().Format("2006-01-02T15:04:05Z07:00")
	case *types.Err:
		return "error: " + x.Error()
	case *record, *extensions:
		return "{…}"
	}
	if l, ok := v.(interface{ Size() ref.Val }); ok && v.Type() == types.ListType {
		return "list of " + show(l.Size())
	}
	s := types.Format(v)
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
