package norms

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"cel.dev/cel-go/cel"

	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/internal/suggest"
)

// CompileOption changes how [Compile] builds a rule set.
type CompileOption func(*compileConfig) error

type compileConfig struct {
	params map[string]map[string]string // pack → name → value
	limits Limits
}

// WithParam overrides a pack parameter, e.g. WithParam("us-cn-2015",
// "response_window", "P60D"). The value is read as the parameter's type; an
// unknown pack or parameter is an error of [Compile].
func WithParam(pack, name, value string) CompileOption {
	return func(c *compileConfig) error {
		if c.params[pack] == nil {
			c.params[pack] = map[string]string{}
		}
		c.params[pack][name] = value
		return nil
	}
}

// WithLimits replaces the limits on rules (see [DefaultLimits]).
func WithLimits(l Limits) CompileOption {
	return func(c *compileConfig) error {
		if l.MaxExpressionLength <= 0 || l.MaxComprehensionNesting <= 0 || l.MaxEstimatedCost == 0 || l.ListSizeHint == 0 {
			return errors.New("norms: every limit must be positive")
		}
		c.limits = l
		return nil
	}
}

// RuleSet is a compiled, immutable set of norms. It is safe for concurrent
// use by any number of goroutines; build it once and share it.
type RuleSet struct {
	packs    []*CompiledPack
	norms    []*CompiledNorm
	byID     map[string]*CompiledNorm
	warnings Diagnostics
}

// Packs returns the compiled packs in order.
func (rs *RuleSet) Packs() []*CompiledPack { return rs.packs }

// Norms returns every norm of every pack, in pack order.
func (rs *RuleSet) Norms() []*CompiledNorm { return rs.norms }

// Norm returns the norm with the given id ("us-cn-2015/ip-theft").
func (rs *RuleSet) Norm(id string) (*CompiledNorm, bool) {
	n, ok := rs.byID[id]
	return n, ok
}

// Warnings returns the problems found that did not stop compilation: an
// unused parameter, a norm without a citation.
func (rs *RuleSet) Warnings() Diagnostics { return rs.warnings }

// CompiledPack is a pack with its parameters resolved and its variables compiled.
type CompiledPack struct {
	Pack *Pack
	// Params are the parameter values in force (defaults or overrides).
	Params map[string]any
	// Constants are the values of params.<name> and pack.* by name. They are
	// folded into Expression.Checked; Expression.Dynamic reads them by name,
	// so that residuals show them.
	Constants map[string]any
	// Variables are the pack's derived facts, in order.
	Variables []*CompiledVariable
	// EffectiveFrom and EffectiveUntil bound the commitment (zero when open).
	EffectiveFrom, EffectiveUntil time.Time
}

// CompiledVariable is a pack variable.
type CompiledVariable struct {
	Name        string
	Description string
	// Index is the variable's place in its pack's Variables.
	Index int
	Expr  *Expression
}

// CompiledNorm is a norm ready to evaluate.
type CompiledNorm struct {
	// ID is "<pack>/<norm>".
	ID       string
	Pack     *CompiledPack
	Norm     *Norm
	Citation Citation
	// Applies, Breach and Message are nil when the pack leaves them out.
	Applies, Breach, Message *Expression
	Loopholes                []*CompiledLoophole
	Obligation               *CompiledObligation
}

// CompiledLoophole is a loophole with its condition compiled.
type CompiledLoophole struct {
	ID, Note string
	When     *Expression
}

// CompiledObligation is an obligation with its expressions compiled. The
// element expressions (Bearer to DoneAt) see the element of Each as As.
type CompiledObligation struct {
	Duty, As                                        string
	Each, Bearer, Trigger, TriggeredAt, Due, DoneAt *Expression
}

// Expression is one compiled CEL expression with what it reads.
type Expression struct {
	// Source is the text as written; Pos is where it starts in the pack file.
	Source string
	Pos    Pos
	// Checked is the type-checked expression with parameters and constants
	// folded in, for plain evaluation of a native incident in Env.
	Checked *cel.Ast
	Env     *cel.Env
	// Dynamic is the same expression checked with a dynamic incident, for
	// evaluation with unknown facts in DynEnv.
	Dynamic *cel.Ast
	DynEnv  *cel.Env
	// Facts are the facts the expression may read, including through the
	// variables it uses.
	Facts incident.FactSet
	// Extensions are the extension keys it reads (incident.extensions.<key>).
	Extensions []string
	// Variables are the indexes of the pack variables it uses.
	Variables []int
	// Type is the expression's type.
	Type *cel.Type
}

// Compile type-checks every expression of the packs and returns the rule
// set. Errors are [Diagnostics] with file:line:col, every problem at once, in
// a stable order; warnings do not stop compilation (see [RuleSet.Warnings]).
func Compile(packs []*Pack, opts ...CompileOption) (*RuleSet, error) {
	cfg := &compileConfig{params: map[string]map[string]string{}, limits: DefaultLimits()}
	for _, o := range opts {
		if err := o(cfg); err != nil {
			return nil, err
		}
	}
	typed, err := newTypedEnv(cfg.limits)
	if err != nil {
		return nil, err
	}
	dyn, err := newDynEnv(cfg.limits)
	if err != nil {
		return nil, err
	}
	rs := &RuleSet{byID: map[string]*CompiledNorm{}}
	var diags Diagnostics
	seen := map[string]string{}
	var compilers []*packCompiler
	for _, p := range packs {
		if other, dup := seen[p.ID]; dup {
			diags = append(diags, &Diagnostic{Severity: Error, Pos: Pos{File: p.File, Line: 1, Column: 1}, Summary: fmt.Sprintf("pack %q is loaded twice", p.ID), Detail: "also from " + other})
			continue
		}
		seen[p.ID] = p.File
		compilers = append(compilers, &packCompiler{cfg: cfg, pack: p, typedBase: typed, dynBase: dyn})
	}
	// Packs are independent: compile them on every core (a CEL environment
	// is safe for concurrent use), then gather the results in pack order.
	results := make([]*CompiledPack, len(compilers))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, c := range compilers {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i] = c.compile()
		}()
	}
	wg.Wait()
	for i, c := range compilers {
		diags = append(diags, c.diags...)
		cp := results[i]
		if cp == nil {
			continue
		}
		rs.packs = append(rs.packs, cp)
		for _, n := range c.norms {
			rs.norms = append(rs.norms, n)
			rs.byID[n.ID] = n
		}
	}
	for pack := range cfg.params {
		if _, ok := seen[pack]; !ok {
			return nil, fmt.Errorf("norms: parameter override for pack %q, which is not loaded", pack)
		}
	}
	diags.sort()
	if diags.HasErrors() {
		return nil, diags
	}
	rs.warnings = diags
	return rs, nil
}

type packCompiler struct {
	cfg                *compileConfig
	pack               *Pack
	typedBase, dynBase *cel.Env
	typed, dyn         *cel.Env
	inline             []*cel.InlineVariable
	optimizer          *cel.StaticOptimizer
	vars               []*CompiledVariable
	varScope           map[string]string
	declared           []string
	usedParams         map[string]bool
	norms              []*CompiledNorm
	lastElemPath       string
	diags              Diagnostics
}

func (c *packCompiler) errorf(pos Pos, subject, summary, detail string) {
	c.diags = append(c.diags, &Diagnostic{Severity: Error, Pos: pos, Subject: subject, Summary: summary, Detail: detail, Snippet: snippet(c.pack.src, pos)})
}

func (c *packCompiler) compile() *CompiledPack {
	p := c.pack
	cp := &CompiledPack{Pack: p, Params: map[string]any{}, Constants: map[string]any{}}
	packPos := Pos{File: p.File, Line: 1, Column: 1}
	overrides := c.cfg.params[p.ID]
	for name := range overrides {
		if !slices.ContainsFunc(p.Params, func(x Param) bool { return x.Name == name }) {
			names := make([]string, len(p.Params))
			for i, x := range p.Params {
				names[i] = x.Name
			}
			c.errorf(packPos, p.ID, fmt.Sprintf("no parameter %q to override", name), strings.TrimPrefix(strings.TrimSuffix(suggest.Hint(name, names), ")"), " ("))
		}
	}
	consts := map[string]any{}
	for _, prm := range p.Params {
		val := prm.Default
		if o, ok := overrides[prm.Name]; ok {
			val = o
		}
		v, err := parseParam(prm.Type, val)
		if err != nil {
			c.errorf(packPos, p.ID, fmt.Sprintf("parameter %q", prm.Name), err.Error())
			continue
		}
		cp.Params[prm.Name] = v
		consts["params."+prm.Name] = v
	}
	if len(p.Parties) > 0 {
		consts["pack.parties"] = p.Parties
	}
	if e := p.Effective; e != nil {
		if e.From != "" {
			cp.EffectiveFrom, _ = parseDate(e.From)
			consts["pack.effective_from"] = cp.EffectiveFrom
		}
		if e.Until != "" {
			cp.EffectiveUntil, _ = parseDate(e.Until)
			consts["pack.effective_until"] = cp.EffectiveUntil
		}
	}
	cp.Constants = consts
	// Constants are declared for the checker, then inlined and folded.
	var typedDecls, dynDecls []cel.EnvOption
	names := suggest.Sorted(consts)
	for _, name := range names {
		t := constType(consts[name])
		typedDecls = append(typedDecls, cel.Variable(name, t))
		dynDecls = append(dynDecls, cel.Variable(name, t))
		c.declared = append(c.declared, name)
	}
	var err error
	if c.typed, err = c.typedBase.Extend(typedDecls...); err != nil {
		c.errorf(packPos, p.ID, "cannot build the environment", err.Error())
		return nil
	}
	if c.dyn, err = c.dynBase.Extend(dynDecls...); err != nil {
		c.errorf(packPos, p.ID, "cannot build the environment", err.Error())
		return nil
	}
	for _, name := range names {
		src := constantSource(consts[name])
		ta, iss := c.typed.Compile(src)
		if iss.Err() != nil {
			c.errorf(packPos, p.ID, "cannot compile constant "+name, src)
			return nil
		}
		c.inline = append(c.inline, cel.NewInlineVariable(name, ta))
	}
	c.usedParams = map[string]bool{}
	c.varScope = map[string]string{}
	c.declared = append(c.declared, "incident", "as_of")
	if !c.buildOptimizers() {
		return nil
	}
	// Variables, each seeing the ones before it.
	for i := range p.Variables {
		v := &p.Variables[i]
		e := c.expr(&v.Expr, "variable "+v.Name, nil, nil)
		if e == nil {
			continue
		}
		cv := &CompiledVariable{Name: v.Name, Description: v.Description, Index: len(c.vars), Expr: e}
		c.vars = append(c.vars, cv)
		cp.Variables = append(cp.Variables, cv)
		if lp := c.lastElemPath; lp != "" {
			c.varScope["@list:"+v.Name] = lp
		}
		if c.typed, err = c.typed.Extend(cel.Variable(v.Name, e.Type)); err == nil {
			c.dyn, err = c.dyn.Extend(cel.Variable(v.Name, cel.DynType))
		}
		if err != nil {
			c.errorf(v.Expr.Pos, p.ID, "cannot declare variable "+v.Name, err.Error())
			return nil
		}
		c.declared = append(c.declared, v.Name)
		if !c.buildOptimizers() {
			return nil
		}
	}
	for i := range p.Norms {
		if n := c.norm(cp, &p.Norms[i]); n != nil {
			c.norms = append(c.norms, n)
		}
	}
	for _, prm := range p.Params {
		if !c.usedParams["params."+prm.Name] {
			c.diags = append(c.diags, &Diagnostic{Severity: Warning, Pos: packPos, Subject: p.ID, Summary: fmt.Sprintf("parameter %q is not used by any rule", prm.Name)})
		}
	}
	for _, d := range c.pack.check().Warnings() {
		d.Pos.File = p.File
		d.Snippet = snippet(p.src, d.Pos)
		c.diags = append(c.diags, d)
	}
	if c.diags.HasErrors() {
		return nil
	}
	return cp
}

func (c *packCompiler) buildOptimizers() bool {
	fold, err := cel.NewConstantFoldingOptimizer()
	if err != nil {
		c.errorf(Pos{File: c.pack.File}, c.pack.ID, "cannot build the optimizer", err.Error())
		return false
	}
	c.optimizer, _ = cel.NewStaticOptimizer(cel.NewInliningOptimizer(c.inline...), fold)
	return true
}

func constType(v any) *cel.Type {
	switch v.(type) {
	case time.Duration:
		return cel.DurationType
	case time.Time:
		return cel.TimestampType
	case string:
		return cel.StringType
	case []string:
		return cel.ListType(cel.StringType)
	case bool:
		return cel.BoolType
	case int64:
		return cel.IntType
	case float64:
		return cel.DoubleType
	}
	return cel.DynType
}

func (c *packCompiler) norm(cp *CompiledPack, n *Norm) *CompiledNorm {
	id := c.pack.ID + "/" + n.ID
	cn := &CompiledNorm{ID: id, Pack: cp, Norm: n, Citation: n.Citation}
	if cn.Citation.Instrument == "" {
		cn.Citation.Instrument = c.pack.Instrument.Name
	}
	if cn.Citation.URL == "" {
		cn.Citation.URL = c.pack.Instrument.URL
	}
	ok := true
	opt := func(e *Expr, what string, want *cel.Type) *Expression {
		if e.IsZero() {
			return nil
		}
		x := c.expr(e, id+" "+what, want, nil)
		if x == nil {
			ok = false
		}
		return x
	}
	cn.Applies = opt(&n.Applies, "applies", cel.BoolType)
	cn.Breach = opt(&n.Breach, "breach", cel.BoolType)
	cn.Message = opt(&n.Message, "message", cel.StringType)
	for i := range n.Loopholes {
		l := &n.Loopholes[i]
		w := opt(&l.When, "loophole "+l.ID, cel.BoolType)
		cn.Loopholes = append(cn.Loopholes, &CompiledLoophole{ID: l.ID, Note: l.Note, When: w})
	}
	if o := n.Obligation; o != nil {
		co := &CompiledObligation{Duty: o.Duty, As: o.As}
		if co.As == "" {
			co.As = "item"
		}
		co.Each = opt(&o.Each, "obligation each", nil)
		if co.Each != nil {
			elemType := cel.DynType
			if co.Each.Type.Kind() == cel.ListType(cel.DynType).Kind() && len(co.Each.Type.Parameters()) == 1 {
				elemType = co.Each.Type.Parameters()[0]
			} else if !co.Each.Type.IsExactType(cel.DynType) {
				c.errorf(o.Each.posAt(c.pack.src, 1, 0), id+" obligation each", "expected a list, got "+typeName(co.Each.Type), "one obligation is created per element")
				return nil
			}
			elemPath := c.lastElemPath
			if elemPath == "" {
				elemPath = "?"
			}
			saveT, saveD := c.typed, c.dyn
			c.typed, _ = c.typed.Extend(cel.Variable(co.As, elemType))
			c.dyn, _ = c.dyn.Extend(cel.Variable(co.As, cel.DynType))
			c.declared = append(c.declared, co.As)
			c.buildOptimizers()
			scope := map[string]string{co.As: elemPath}
			elem := func(e *Expr, what string, want *cel.Type) *Expression {
				x := c.expr(e, id+" obligation "+what, want, scope)
				if x == nil {
					ok = false
				}
				return x
			}
			co.Bearer = elem(&o.Bearer, "bearer", cel.StringType)
			co.Trigger = elem(&o.Trigger, "trigger", cel.StringType)
			co.TriggeredAt = elem(&o.TriggeredAt, "triggered_at", cel.TimestampType)
			co.Due = elem(&o.Due, "due", cel.TimestampType)
			co.DoneAt = elem(&o.DoneAt, "done_at", cel.OptionalType(cel.TimestampType))
			c.typed, c.dyn = saveT, saveD
			c.declared = c.declared[:len(c.declared)-1]
			c.buildOptimizers()
		}
		cn.Obligation = co
	}
	if !ok {
		return nil
	}
	return cn
}

func typeName(t *cel.Type) string {
	if t == nil {
		return "nothing"
	}
	return t.String()
}

// expr compiles one expression in the typed and the dynamic environment.
func (c *packCompiler) expr(e *Expr, subject string, want *cel.Type, extra map[string]string) *Expression {
	lim := c.cfg.limits
	if n := len([]rune(e.Source)); n > lim.MaxExpressionLength {
		c.errorf(e.Pos, subject, fmt.Sprintf("expression is %d characters long, over the limit of %d (by %d)", n, lim.MaxExpressionLength, n-lim.MaxExpressionLength), "split it into pack variables")
		return nil
	}
	checked, iss := c.typed.Compile(e.Source)
	if iss != nil && iss.Err() != nil {
		nesting := false
		for _, ce := range iss.Errors() {
			if isNesting(ce.Message) {
				if nesting {
					continue // one diagnostic for the expression, at the first comprehension too deep
				}
				nesting = true
			}
			line, col := ce.Location.Line(), ce.Location.Column()
			if undefinedFieldRe.MatchString(ce.Message) && charAt(e.Source, line, col) == '.' {
				col++ // point at the field's name, not at the dot before it
			}
			pos := e.posAt(c.pack.src, line, col)
			summary, detail := c.explain(ce.Message)
			if isNesting(ce.Message) {
				summary, detail = nestingDiagnostic(c.typed, e.Source, lim.MaxComprehensionNesting)
			}
			c.errorf(pos, subject, summary, detail)
		}
		return nil
	}
	out := checked.OutputType()
	if want != nil && !out.IsExactType(cel.DynType) && !out.IsAssignableType(want) &&
		!(want.Kind() == cel.OptionalType(cel.DynType).Kind() && out.IsAssignableType(want.Parameters()[0])) {
		c.errorf(e.posAt(c.pack.src, 1, 0), subject, fmt.Sprintf("expected %s, got %s", typeName(want), typeName(out)), "")
		return nil
	}
	scope := map[string]string{}
	for k, v := range c.varScope {
		scope[k] = v
	}
	for k, v := range extra {
		scope[k] = v
	}
	r := analyze(checked.NativeRep().Expr(), scope)
	c.lastElemPath = r.elemPath
	x := &Expression{Source: e.Source, Pos: e.Pos, Env: c.typed, DynEnv: c.dyn, Type: out, Facts: r.facts}
	for name := range r.idents {
		if strings.HasPrefix(name, "params.") {
			c.usedParams[name] = true
		}
		for _, v := range c.vars {
			if v.Name == name {
				x.Variables = append(x.Variables, v.Index)
				x.Facts |= v.Expr.Facts
				for _, k := range v.Expr.Extensions {
					r.extensions[k] = true
				}
			}
		}
	}
	sort.Ints(x.Variables)
	x.Extensions = suggest.Sorted(r.extensions)
	overCost := func(a *cel.Ast) bool {
		est, err := c.typed.EstimateCost(a, sizeEstimator{lim.ListSizeHint})
		if err != nil || est.Max <= lim.MaxEstimatedCost {
			return false
		}
		summary := fmt.Sprintf("estimated cost %d is over the limit of %d (by %d)", est.Max, lim.MaxEstimatedCost, est.Max-lim.MaxEstimatedCost)
		if est.Max == math.MaxUint64 {
			summary = fmt.Sprintf("the estimated cost has no bound, over the limit of %d", lim.MaxEstimatedCost)
		}
		c.errorf(e.posAt(c.pack.src, 1, 0), subject, summary,
			fmt.Sprintf("the estimate takes lists and strings to hold up to %d elements; nest fewer comprehensions, and bound lists.range by a constant", lim.ListSizeHint))
		return true
	}
	// Estimate before optimising too: constant folding evaluates the
	// constant parts of the expression, with no limit of its own, and the
	// estimate of what it leaves is only that of a literal. A few hundred
	// characters of 'a'.replace('a', 'aaaaaaaaaa')… would fold into
	// gigabytes.
	if overCost(checked) {
		return nil
	}
	opt, iss := c.optimizer.Optimize(c.typed, checked)
	if iss != nil && iss.Err() != nil {
		c.errorf(e.Pos, subject, "cannot optimise the expression", iss.Err().Error())
		return nil
	}
	x.Checked = opt
	if overCost(opt) { // pack variables and parameters inlined
		return nil
	}
	dynChecked, iss := c.dyn.Compile(e.Source)
	if iss != nil && iss.Err() != nil {
		c.errorf(e.Pos, subject, "cannot compile the expression for unknown facts", iss.Err().Error())
		return nil
	}
	// The dynamic form is left as written: it runs only for incidents that
	// lack facts, and its residuals read best as the rule was written.
	x.Dynamic = dynChecked
	return x
}

var (
	undefinedFieldRe = regexp.MustCompile(`undefined field '([^']+)'`)
	undeclaredRe     = regexp.MustCompile(`undeclared reference to '([^']+)'`)
	overloadRe       = regexp.MustCompile(`found no matching overload for '([^']+)' applied to '\((.*)\)'`)
)

// explain turns a CEL checker message into a summary and a hint.
func (c *packCompiler) explain(msg string) (string, string) {
	if m := undefinedFieldRe.FindStringSubmatch(msg); m != nil {
		if s := suggest.Closest(m[1], modelFields()); s != "" {
			return msg, fmt.Sprintf("did you mean '%s'?", s)
		}
		return msg, "see the incident fields in docs/writing-norms.md"
	}
	if m := undeclaredRe.FindStringSubmatch(msg); m != nil {
		if s := suggest.Closest(m[1], c.declared); s != "" {
			return msg, fmt.Sprintf("did you mean '%s'?", s)
		}
		return msg, "in scope: " + strings.Join(c.declared, ", ")
	}
	if m := overloadRe.FindStringSubmatch(msg); m != nil {
		return msg, fmt.Sprintf("'%s' cannot take (%s): compare values of the same type", strings.Trim(m[1], "_"), m[2])
	}
	return msg, ""
}

// charAt returns the character at a CEL line (1-based) and column (0-based).
func charAt(src string, line, col int) rune {
	lines := strings.Split(src, "\n")
	if line < 1 || line > len(lines) {
		return 0
	}
	r := []rune(lines[line-1])
	if col < 0 || col >= len(r) {
		return 0
	}
	return r[col]
}

// modelFields lists the field names of every type of the incident model.
func modelFields() []string {
	seen := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t == reflect.TypeFor[time.Time]() {
			return
		}
		for f := range t.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name != "" && !seen[name] {
				seen[name] = true
				walk(f.Type)
			}
		}
	}
	walk(reflect.TypeFor[incident.Incident]())
	return suggest.Sorted(seen)
}
