package evaluate

import (
	"slices"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
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
				steps = append(steps, TraceStep{Rule: v.rule, Expr: strings.Join(strings.Fields(v.x.Source), " "), Value: show(st.variable(np.pack, i, false))})
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
	// extent is the source range of a whole sub-expression: the parser
	// records only the operator's place for a call.
	var extent func(e ast.Expr) (int, int)
	extent = func(e ast.Expr) (int, int) {
		start, stop := len(src), -1
		if r, ok := info.GetOffsetRange(e.ID()); ok && r.Start >= 0 && r.Start < r.Stop {
			start, stop = int(r.Start), int(r.Stop)
		}
		var kids []ast.Expr
		switch e.Kind() {
		case ast.CallKind:
			c := e.AsCall()
			if c.IsMemberFunction() {
				kids = append(kids, c.Target())
			}
			kids = append(kids, c.Args()...)
		case ast.SelectKind:
			kids = append(kids, e.AsSelect().Operand())
			if stop >= 0 {
				stop = max(stop, start+1+len([]rune(e.AsSelect().FieldName()))) // the dot and the name
			}
		case ast.ListKind:
			kids = append(kids, e.AsList().Elements()...)
		case ast.ComprehensionKind:
			c := e.AsComprehension()
			kids = append(kids, c.IterRange(), c.LoopStep())
		}
		for _, k := range kids {
			s, t := extent(k)
			start, stop = min(start, s), max(stop, t)
		}
		return start, stop
	}
	ast.PostOrderVisit(a.NativeRep().Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		switch e.Kind() {
		case ast.LiteralKind, ast.ListKind, ast.MapKind, ast.StructKind:
			return
		}
		start, stop := extent(e)
		if start < 0 || stop > len(src) || start >= stop {
			return
		}
		stop = balance(src, start, stop)
		v, ok := det.State().Value(e.ID())
		if !ok || !shown(v) {
			return
		}
		text := strings.Join(strings.Fields(string(src[start:stop])), " ")
		if seen[text] {
			return
		}
		seen[text] = true
		spans = append(spans, span{start, stop, text, show(v)})
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

// balance extends a range to close the brackets it opens (a macro's
// closing parenthesis is not part of any sub-expression's range).
func balance(src []rune, start, stop int) int {
	depth := 0
	for i := start; i < stop; i++ {
		switch src[i] {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		}
	}
	for ; depth > 0 && stop < len(src); stop++ {
		switch src[stop] {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		}
	}
	return stop
}

// shown reports whether a value is worth a trace step: a plain value, a
// list, or unknown — not a whole record.
func shown(v ref.Val) bool {
	switch v.(type) {
	case types.Bool, types.Int, types.Uint, types.Double, types.String, types.Timestamp, types.Duration, types.Null, *types.Unknown:
		return true
	}
	return v != nil && v.Type() == types.ListType
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
	case types.Bool, types.Int, types.Uint, types.Double, types.Duration, types.Null:
		return types.Format(v)
	case *types.Err:
		return "error: " + x.Error()
	}
	if l, ok := v.(traits.Sizer); ok && v.Type() == types.ListType {
		return "list of " + types.Format(l.Size())
	}
	return "{…}"
}
