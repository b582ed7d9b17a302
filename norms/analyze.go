package norms

import (
	"strings"

	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"

	"github.com/cybernorms/cybernorms/incident"
)

// allFacts is the set of every fact: what an expression reads when it uses
// the incident in a way the analysis cannot follow.
var allFacts = incident.AllFacts

// refs is what an expression reads.
type refs struct {
	facts      incident.FactSet
	extensions map[string]bool
	idents     map[string]bool // variables, params and constants by name
	elemPath   string          // for a list expression: the path of its elements, if known
}

// analyze finds the facts an expression reads. scope maps names bound to
// list elements (comprehension variables, an obligation's element) to the
// element path, e.g. "r" → "requests[]"; varPaths gives the element paths of
// pack variables that hold lists of incident elements.
func analyze(e ast.Expr, scope map[string]string) *refs {
	r := &refs{extensions: map[string]bool{}, idents: map[string]bool{}}
	r.walk(e, scope)
	r.elemPath = elemPathOf(e, scope)
	return r
}

// pathOf returns the collapsed path of a chain of field selections and
// indexes rooted at the incident or at a bound element, e.g. "actor.relation"
// or "victims[].state"; ok is false for anything else.
func pathOf(e ast.Expr, scope map[string]string) (string, bool) {
	switch e.Kind() {
	case ast.IdentKind:
		name := e.AsIdent()
		if p, ok := scope[name]; ok {
			return p, p != "?" && p != "-"
		}
		if name == "incident" {
			return "", true
		}
	case ast.SelectKind:
		s := e.AsSelect()
		if p, ok := pathOf(s.Operand(), scope); ok {
			return join(p, s.FieldName()), true
		}
	case ast.CallKind:
		c := e.AsCall()
		if c.FunctionName() == operators.OptSelect && len(c.Args()) == 2 {
			// x.?field
			if p, ok := pathOf(c.Args()[0], scope); ok && c.Args()[1].Kind() == ast.LiteralKind {
				if s, isStr := c.Args()[1].AsLiteral().Value().(string); isStr {
					return join(p, s), true
				}
			}
		}
		if (c.FunctionName() == operators.Index || c.FunctionName() == operators.OptIndex) && len(c.Args()) == 2 {
			if p, ok := pathOf(c.Args()[0], scope); ok {
				if k := c.Args()[1]; k.Kind() == ast.LiteralKind {
					if s, isStr := k.AsLiteral().Value().(string); isStr {
						return join(p, s), true
					}
				}
				return p + "[]", true
			}
		}
	}
	return "", false
}

func join(p, field string) string {
	if p == "" {
		return field
	}
	return p + "." + field
}

// elemPathOf returns the path of the elements of a list expression: a list
// of the incident (incident.requests → requests[]) or a filter over one.
func elemPathOf(e ast.Expr, scope map[string]string) string {
	if p, ok := pathOf(e, scope); ok {
		return p + "[]"
	}
	if e.Kind() == ast.ComprehensionKind {
		c := e.AsComprehension()
		// filter() keeps elements of the range: its result has their path.
		if isFilter(c) {
			return elemPathOf(c.IterRange(), scope)
		}
	}
	if e.Kind() == ast.IdentKind {
		if p, ok := scope["@list:"+e.AsIdent()]; ok {
			return p
		}
	}
	return ""
}

// isFilter recognises the expansion of the filter macro: its loop step
// appends the iteration variable to the accumulator.
func isFilter(c ast.ComprehensionExpr) bool {
	step := c.LoopStep()
	if step.Kind() != ast.CallKind || step.AsCall().FunctionName() != operators.Conditional {
		return false
	}
	args := step.AsCall().Args()
	if len(args) != 3 || args[1].Kind() != ast.CallKind || args[1].AsCall().FunctionName() != operators.Add {
		return false
	}
	add := args[1].AsCall().Args()
	if len(add) != 2 || add[1].Kind() != ast.ListKind {
		return false
	}
	elems := add[1].AsList().Elements()
	return len(elems) == 1 && elems[0].Kind() == ast.IdentKind && elems[0].AsIdent() == c.IterVar()
}

func (r *refs) read(p string, exact bool) {
	if p == "" {
		r.facts |= allFacts
		return
	}
	if k, ok := strings.CutPrefix(p, "extensions."); ok {
		key, _, _ := strings.Cut(k, ".")
		key, _, _ = strings.Cut(key, "[")
		r.extensions[key] = true
		return
	}
	r.facts |= incident.FactsAt(p, exact)
}

func (r *refs) walk(e ast.Expr, scope map[string]string) {
	if p, ok := pathOf(e, scope); ok {
		r.read(p, false)
		return
	}
	switch e.Kind() {
	case ast.IdentKind:
		name := e.AsIdent()
		if scope[name] == "?" {
			// An element of a list whose origin is unknown: assume the worst.
			r.facts |= allFacts
		}
		r.idents[name] = true
	case ast.SelectKind:
		r.walk(e.AsSelect().Operand(), scope)
	case ast.CallKind:
		c := e.AsCall()
		if c.IsMemberFunction() {
			r.walkRange(c.Target(), scope)
		}
		for _, a := range c.Args() {
			r.walk(a, scope)
		}
	case ast.ListKind:
		for _, x := range e.AsList().Elements() {
			r.walk(x, scope)
		}
	case ast.MapKind:
		for _, en := range e.AsMap().Entries() {
			me := en.AsMapEntry()
			r.walk(me.Key(), scope)
			r.walk(me.Value(), scope)
		}
	case ast.StructKind:
		for _, f := range e.AsStruct().Fields() {
			r.walk(f.AsStructField().Value(), scope)
		}
	case ast.ComprehensionKind:
		c := e.AsComprehension()
		r.walkRange(c.IterRange(), scope)
		inner := make(map[string]string, len(scope)+2)
		for k, v := range scope {
			inner[k] = v
		}
		elem := elemPathOf(c.IterRange(), scope)
		if elem == "" {
			elem = "?"
			if r.rangeFree(c.IterRange(), scope) {
				elem = "-"
			}
		}
		if c.HasIterVar2() {
			inner[c.IterVar()] = "-"
			inner[c.IterVar2()] = elem
		} else {
			inner[c.IterVar()] = elem
		}
		inner[c.AccuVar()] = "-"
		r.walk(c.AccuInit(), scope)
		r.walk(c.LoopCondition(), inner)
		if isFilter(c) {
			// filter() appends the element whole: only its condition reads it
			// here; whoever uses the result reads the fields it needs.
			r.walk(c.LoopStep().AsCall().Args()[0], inner)
		} else {
			r.walk(c.LoopStep(), inner)
		}
		r.walk(c.Result(), inner)
	}
}

// walkRange reads a list that is iterated or measured: its existence and
// length, not its elements' fields (those are read through the iteration
// variable).
func (r *refs) walkRange(e ast.Expr, scope map[string]string) {
	if p, ok := pathOf(e, scope); ok {
		r.read(p, true)
		return
	}
	r.walk(e, scope)
}

// rangeFree reports whether a comprehension range holds nothing of the
// incident (a literal list, a parameter): its elements read no facts.
func (r *refs) rangeFree(e ast.Expr, scope map[string]string) bool {
	sub := &refs{extensions: map[string]bool{}, idents: map[string]bool{}}
	sub.walk(e, scope)
	if sub.facts != 0 || len(sub.extensions) > 0 {
		return false
	}
	for name := range sub.idents {
		if name != "as_of" && !strings.HasPrefix(name, "params.") && !strings.HasPrefix(name, "pack.") {
			return false
		}
	}
	return true
}
