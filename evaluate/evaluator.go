package evaluate

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/interpreter"
	"cel.dev/cel-go/parser"

	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/norms"
)

// DefaultCostLimit is the default runtime cost limit of one expression
// evaluation, in CEL cost units: Kubernetes' per-call limit of 1,000,000.
const DefaultCostLimit = 1_000_000

// Option configures an [Evaluator] when it is built.
type Option func(*Evaluator) error

// WithCostLimit sets the runtime cost limit of one expression evaluation. A
// rule that exceeds it yields a finding with verdict "error"; the others
// still evaluate.
func WithCostLimit(n uint64) Option {
	return func(e *Evaluator) error {
		if n == 0 {
			return errors.New("evaluate: cost limit must be positive")
		}
		e.costLimit = n
		return nil
	}
}

// WithIncidentCostBudget bounds the total cost of evaluating one incident,
// over all its rules, in CEL cost units (0, the default: no budget beyond
// each expression's limit). A rule evaluated once the budget is spent, or
// that spends it, yields a finding with verdict "error". With a budget,
// every evaluation tracks its cost (about twice as slow as the untracked
// evaluation the evaluator otherwise uses where the limit is out of reach).
func WithIncidentCostBudget(n uint64) Option {
	return func(e *Evaluator) error {
		e.incidentBudget = n
		return nil
	}
}

// EvalOption configures one evaluation.
type EvalOption func(*evalConfig)

type evalConfig struct {
	asOf  time.Time
	trace bool
}

// AsOf sets the evaluation time (default: now). Set it whenever results
// must be reproducible.
func AsOf(t time.Time) EvalOption { return func(c *evalConfig) { c.asOf = t } }

// WithTrace asks for the values of every sub-expression in each finding.
// Tracing evaluates each rule again with exhaustive evaluation: it is several
// times slower.
func WithTrace() EvalOption { return func(c *evalConfig) { c.trace = true } }

// Evaluator evaluates incidents against a rule set. Build it once with [New];
// it is immutable and safe for concurrent use by any number of goroutines.
type Evaluator struct {
	rs        *norms.RuleSet
	costLimit uint64
	// incidentBudget bounds the cost of all the rules on one incident (0: none).
	incidentBudget uint64
	packs          []*packPrograms
	norms          []*normPrograms
	nvars          int       // the variables of every pack
	states         sync.Pool // of *state, reused across evaluations
}

type packPrograms struct {
	pack     *norms.CompiledPack
	vars     []*program
	varNames []string // by index, for a lookup without hashing
	varIndex map[string]int
	consts   map[string]ref.Val // params.* and pack.*, for the partial programs
}

// varSlot returns the index of a variable of the pack, or -1.
func (pp *packPrograms) varSlot(name string) int {
	if len(pp.varNames) <= 16 {
		for i, n := range pp.varNames {
			if n == name {
				return i
			}
		}
		return -1
	}
	if i, ok := pp.varIndex[name]; ok {
		return i
	}
	return -1
}

type normPrograms struct {
	norm                     *norms.CompiledNorm
	pack                     int
	applies, breach, message *program
	loopholes                []*program
	each, bearer, trigger    *program
	triggeredAt, due, doneAt *program
}

// program is one expression made runnable twice: plainly on the Go incident
// (fast), and with partial evaluation on an incident with unknowns (partial).
type program struct {
	x       *norms.Expression
	rule    string
	fast    cel.Program
	partial cel.Program
	named   map[int64]bool // ids of as_of and constants in x.Dynamic, kept by name in residuals
	// untracked is fast without cost tracking, for incidents on which the
	// static cost estimate proves the cost limit out of reach: bounds[i] is
	// the estimate's maximum when lists and strings hold at most sizeBounds[i]
	// elements. Tracking costs as much as evaluating.
	untracked cel.Program
	bounds    [len(sizeBounds)]uint64
	// sizeVars are the pack variables the expression reads whose values
	// may be lists or strings: those whose length bounds its cost. The
	// others (bool, number, time) have no length and are computed only if
	// the evaluation reads them.
	sizeVars []int

	traceOnce           sync.Once
	traceFast, tracePrt cel.Program
	traceErr            error
}

// New prepares every rule of the set for evaluation.
func New(rs *norms.RuleSet, opts ...Option) (*Evaluator, error) {
	if rs == nil {
		return nil, errors.New("evaluate: nil rule set")
	}
	e := &Evaluator{rs: rs, costLimit: DefaultCostLimit}
	for _, o := range opts {
		if err := o(e); err != nil {
			return nil, err
		}
	}
	packIndex := map[*norms.CompiledPack]int{}
	for i, cp := range rs.Packs() {
		pp := &packPrograms{pack: cp, varIndex: map[string]int{}, consts: map[string]ref.Val{}}
		for name, v := range cp.Constants {
			pp.consts[name] = types.DefaultTypeAdapter.NativeToValue(v)
		}
		for _, v := range cp.Variables {
			p, err := e.program(v.Expr, "variable "+v.Name)
			if err != nil {
				return nil, err
			}
			pp.vars = append(pp.vars, p)
			pp.varNames = append(pp.varNames, v.Name)
			pp.varIndex[v.Name] = v.Index
		}
		for _, p := range pp.vars {
			p.sizeVars = sizedVariables(p.x.Variables, pp)
		}
		e.nvars += len(pp.vars)
		e.packs = append(e.packs, pp)
		packIndex[cp] = i
	}
	for _, n := range rs.Norms() {
		np := &normPrograms{norm: n, pack: packIndex[n.Pack]}
		var err error
		mk := func(x *norms.Expression, rule string) *program {
			if x == nil || err != nil {
				return nil
			}
			var p *program
			p, err = e.program(x, rule)
			return p
		}
		np.applies = mk(n.Applies, "applies")
		np.breach = mk(n.Breach, "breach")
		np.message = mk(n.Message, "message")
		for _, l := range n.Loopholes {
			np.loopholes = append(np.loopholes, mk(l.When, "loophole "+l.ID))
		}
		if o := n.Obligation; o != nil {
			np.each = mk(o.Each, "obligation each")
			np.bearer = mk(o.Bearer, "obligation bearer")
			np.trigger = mk(o.Trigger, "obligation trigger")
			np.triggeredAt = mk(o.TriggeredAt, "obligation triggered_at")
			np.due = mk(o.Due, "obligation due")
			np.doneAt = mk(o.DoneAt, "obligation done_at")
		}
		if err != nil {
			return nil, fmt.Errorf("evaluate: %s: %w", n.ID, err)
		}
		for _, p := range append([]*program{np.applies, np.breach, np.message, np.each, np.bearer, np.trigger, np.triggeredAt, np.due, np.doneAt}, np.loopholes...) {
			if p != nil {
				p.sizeVars = sizedVariables(p.x.Variables, e.packs[np.pack])
			}
		}
		e.norms = append(e.norms, np)
	}
	return e, nil
}

func (e *Evaluator) program(x *norms.Expression, rule string) (*program, error) {
	limits := []cel.ProgramOption{cel.CostLimit(e.costLimit), cel.InterruptCheckFrequency(64)}
	fast, err := x.Env.Program(x.Checked, append(limits, cel.EvalOptions(cel.OptOptimize))...)
	if err != nil {
		return nil, err
	}
	partial, err := x.DynEnv.Program(x.Dynamic, append(limits, cel.EvalOptions(cel.OptPartialEval, cel.OptTrackState))...)
	if err != nil {
		return nil, err
	}
	p := &program{x: x, rule: rule, fast: fast, partial: partial, named: namedIDs(x.Dynamic.NativeRep().Expr())}
	if len(x.Extensions) == 0 { // extensions hold values of any size
		if p.untracked, err = x.Env.Program(x.Checked, cel.InterruptCheckFrequency(64), cel.EvalOptions(cel.OptOptimize)); err != nil {
			return nil, err
		}
		for i, n := range sizeBounds {
			est, err := x.Env.EstimateCost(x.Checked, sizeBound(n))
			if err != nil {
				est.Max = math.MaxUint64
			}
			p.bounds[i] = est.Max
		}
	}
	return p, nil
}

// sizedVariables returns the variables among vars whose values may have a
// length (see sizeOf): all but those of a scalar type.
func sizedVariables(vars []int, pp *packPrograms) []int {
	var out []int
	for _, i := range vars {
		switch pp.vars[i].x.Type.Kind() {
		case types.BoolKind, types.IntKind, types.UintKind, types.DoubleKind,
			types.TimestampKind, types.DurationKind, types.NullTypeKind:
			continue
		}
		out = append(out, i)
	}
	return out
}

// sizeBounds are the list and string lengths at which each expression's cost
// is estimated when the evaluator is built.
var sizeBounds = [...]uint64{64, 512, 4096}

// sizeBound tells the cost estimate that every list and string holds at most
// n elements.
type sizeBound uint64

func (n sizeBound) EstimateSize(cost.AstNode) *cost.SizeEstimate {
	return &cost.SizeEstimate{Min: 0, Max: uint64(n)}
}

func (sizeBound) EstimateCallCost(string, string, *cost.AstNode, []cost.AstNode) *cost.CallEstimate {
	return nil
}

// safe reports whether the cost limit is out of reach of the program on
// values no longer than size.
func (p *program) safe(size uint64, limit uint64) (bound uint64, ok bool) {
	if p.untracked == nil {
		return 0, false
	}
	for i, n := range sizeBounds {
		if size <= n {
			return p.bounds[i], p.bounds[i] <= limit
		}
	}
	return 0, false
}

// RuleSet returns the rule set the evaluator was built from.
func (e *Evaluator) RuleSet() *norms.RuleSet { return e.rs }

// Evaluate evaluates one incident against every norm and returns a report
// with one finding per norm, in rule-set order. The incident should be valid
// ([incident.Decode] validates; call [incident.Incident.Validate] for
// incidents built in code). A rule that fails (cost limit, deadline) yields a
// finding with verdict "error"; the error returned is for a nil incident or
// a context done before evaluation started.
func (e *Evaluator) Evaluate(ctx context.Context, inc *incident.Incident, opts ...EvalOption) (*Report, error) {
	if inc == nil {
		return nil, errors.New("evaluate: nil incident")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st := e.newState(ctx, inc, opts)
	rep := &Report{Incident: inc.ID, AsOf: st.asOf, Findings: make([]Finding, len(e.norms))}
	for i, np := range e.norms {
		st.finding(np, &rep.Findings[i])
	}
	e.release(st)
	return rep, nil
}

// state is the evaluation of one incident.
type state struct {
	e       *Evaluator
	cfg     evalConfig // the options, read into the pooled state: no allocation
	ctx     context.Context
	inc     *incident.Incident
	asOf    time.Time
	asOfVal ref.Val // as_of as a CEL value, boxed once: kept across pooled uses for the same time
	trace   bool
	unknown incident.FactSet
	size    uint64 // the incident's longest list or string
	spent   uint64 // the cost charged so far, for the incident budget
	rec     ref.Val
	vars    [][]varValue
	acts    []activation
	elemAct activation // bound to each obligation element in turn
}

type varValue struct {
	done bool
	val  ref.Val
	res  result
	size uint64 // the value's length, for cost bounds; math.MaxUint64 when unbounded
	// partialVal is the variable computed over the incident with unknowns,
	// for rules evaluated so: a list of the incident's elements must hold
	// their unknown fields as unknowns, not as Go zero values.
	partialVal  ref.Val
	partialDone bool

	residual     string // computed on first use
	residualDone bool
}

// residualText returns the variable's residual, computed once per incident.
func (v *varValue) residualText() string {
	if !v.residualDone {
		v.residual, v.residualDone = v.res.residual(), true
	}
	return v.residual
}

// newState returns a state for one evaluation, reusing the arrays of an
// earlier one when the pool has one.
func (e *Evaluator) newState(ctx context.Context, inc *incident.Incident, opts []EvalOption) *state {
	st, _ := e.states.Get().(*state)
	if st == nil {
		st = &state{e: e}
		// One backing array for every pack's variables, one for the activations.
		vals := make([]varValue, e.nvars)
		st.vars = make([][]varValue, len(e.packs))
		st.acts = make([]activation, len(e.packs))
		for i, pp := range e.packs {
			st.vars[i], vals = vals[:len(pp.vars):len(pp.vars)], vals[len(pp.vars):]
			st.acts[i] = activation{st: st, pack: i}
		}
	}
	st.cfg = evalConfig{}
	for _, o := range opts {
		o(&st.cfg)
	}
	if st.cfg.asOf.IsZero() {
		st.cfg.asOf = time.Now()
	}
	cfg := &st.cfg
	if st.asOfVal == nil || !st.asOf.Equal(cfg.asOf) || st.asOf.Location() != cfg.asOf.Location() {
		st.asOfVal = types.Timestamp{Time: cfg.asOf}
	}
	st.ctx, st.inc, st.asOf, st.trace = ctx, inc, cfg.asOf, cfg.trace
	st.unknown = inc.UnknownFacts()
	maxList, maxString := inc.Size()
	st.size = uint64(max(maxList, maxString))
	st.spent = 0
	if ctx.Done() == nil {
		st.ctx = nil // a context that never ends: skip interrupt checks
	}
	return st
}

// release clears a state of everything it holds of the evaluation and
// returns it to the pool.
func (e *Evaluator) release(st *state) {
	for i := range st.vars {
		clear(st.vars[i])
		st.acts[i] = activation{st: st, pack: i}
	}
	st.elemAct = activation{}
	st.ctx, st.inc, st.rec = nil, nil, nil
	e.states.Put(st)
}

// record returns the incident with its unknown facts as CEL unknowns.
func (st *state) record() ref.Val {
	if st.rec == nil {
		st.rec = toRecord(st.inc)
	}
	return st.rec
}

// needsPartial reports whether an expression reads a fact the incident lacks.
func (st *state) needsPartial(x *norms.Expression) bool {
	if x.Facts&st.unknown != 0 {
		return true
	}
	for _, k := range x.Extensions {
		if _, ok := st.inc.Extensions[k]; !ok {
			return true
		}
	}
	return false
}

// result is the value of one expression.
type result struct {
	val     ref.Val
	det     *cel.EvalDetails
	partial bool
	err     error
	p       *program
}

func (r result) x() *norms.Expression { return r.p.x }

func (r result) unknown() bool { return types.IsUnknown(r.val) }

func (r result) boolValue() (value, known bool) {
	b, ok := r.val.(types.Bool)
	return bool(b), ok
}

// eval evaluates an expression of a pack.
func (st *state) eval(p *program, pack int) result {
	return st.evalIn(p, &st.acts[pack])
}

// evalIn evaluates an expression in an activation: the pack's, or one bound
// to an obligation element.
func (st *state) evalIn(p *program, act *activation) result {
	return st.evalMode(p, act, st.needsPartial(p.x))
}

// evalMode evaluates an expression, plainly or (when partial is set, or the
// element is a record or unknown) with unknown facts.
func (st *state) evalMode(p *program, act *activation, partial bool) result {
	if act.elem != nil {
		if _, isRec := act.elem.(*record); isRec || types.IsUnknown(act.elem) {
			partial = true
		}
	}
	budget := st.e.incidentBudget
	if budget > 0 && st.spent > budget {
		return result{val: types.NewErr("over budget"), partial: partial, p: p,
			err: fmt.Errorf("over the cost budget of %d for one incident", budget)}
	}
	prev := act.partial
	act.partial = partial
	prg := p.fast
	if partial {
		prg = p.partial
	} else if p.untracked != nil && budget == 0 {
		// With a budget, every evaluation is tracked, so that it is charged
		// its actual cost.
		if _, ok := p.safe(st.boundFor(p, act.pack), st.e.costLimit); ok {
			prg = p.untracked
		}
	}
	var (
		out ref.Val
		det *cel.EvalDetails
		err error
	)

	if st.ctx != nil {
		out, det, err = prg.ContextEval(st.ctx, act)
		if err == nil && st.ctx.Err() != nil {
			// An interrupted comprehension is an error value, which CEL's
			// logic can absorb (error || unknown is unknown): a result
			// computed while the context ended is not to be trusted.
			err = fmt.Errorf("operation interrupted: %w", st.ctx.Err())
		}
	} else {
		out, det, err = prg.Eval(act)
	}
	if err != nil && strings.Contains(err.Error(), "actual cost limit exceeded") {
		err = fmt.Errorf("over the runtime cost limit of %d (%w)", st.e.costLimit, err)
	}
	act.partial = prev
	if budget > 0 && det != nil {
		if c := det.ActualCost(); c != nil {
			st.spent += *c
		}
		if err == nil && st.spent > budget {
			err = fmt.Errorf("over the cost budget of %d for one incident", budget)
		}
	}
	return result{val: out, det: det, partial: partial, err: err, p: p}
}

// variable returns a pack variable's value, computing it once per incident.
func (st *state) variable(pack, idx int, partial bool) ref.Val {
	v := &st.vars[pack][idx]
	p := st.e.packs[pack].vars[idx]
	if partial && !st.needsPartial(p.x) {
		// The variable reads no unknown fact, but a rule that does reads it:
		// give that rule the variable over the incident with unknowns.
		if !v.partialDone {
			r := st.evalMode(p, &activation{st: st, pack: pack}, true)
			v.partialVal, v.partialDone = r.val, true
			if r.err != nil {
				v.partialVal = types.WrapErr(r.err)
			}
		}
		return v.partialVal
	}
	if !v.done {
		r := st.eval(st.e.packs[pack].vars[idx], pack)
		t := p.x.Type
		if r.partial {
			t = nil // the elements may be records, which are maps
		}
		v.val, v.res, v.size = r.val, r, sizeOf(r.val, t)
		if r.err != nil {
			v.val = types.WrapErr(r.err)
		}
		v.done = true
	}
	return v.val
}

// boundFor returns the longest list or string a plain evaluation of p can
// meet: the incident's, or that of a pack variable p reads whose value may
// have a length (computed first).
func (st *state) boundFor(p *program, pack int) uint64 {
	bound := st.size
	for _, i := range p.sizeVars {
		st.variable(pack, i, false)
		bound = max(bound, st.vars[pack][i].size)
	}
	return bound
}

// sizeOf returns the length of a list or string value (0 for other values),
// or math.MaxUint64 for a list of lists or maps, whose elements' lengths
// are not bounded by the incident's. t is the value's static type: the
// elements of a list whose element type is neither a list, a map nor dyn
// need no look.
func sizeOf(v ref.Val, t *cel.Type) uint64 {
	switch x := v.(type) {
	case types.String:
		return uint64(len(x))
	case traits.Lister:
		n, _ := x.Size().(types.Int)
		if flatList(t) {
			return uint64(n)
		}
		for i := types.Int(0); i < n; i++ {
			switch x.Get(i).(type) {
			case traits.Lister, traits.Mapper:
				return math.MaxUint64
			}
		}
		return uint64(n)
	}
	return 0
}

// flatList reports whether a type is a list whose elements cannot be lists
// or maps.
func flatList(t *cel.Type) bool {
	if t == nil || t.Kind() != types.ListKind || len(t.Parameters()) != 1 {
		return false
	}
	switch t.Parameters()[0].Kind() {
	case types.ListKind, types.MapKind, types.DynKind, types.AnyKind, types.TypeParamKind, types.OpaqueKind:
		return false
	}
	return true
}

// activation resolves the names of a rule: the incident (as a Go value or
// as a record with unknowns), as_of, the pack's variables and an
// obligation's element.
type activation struct {
	st       *state
	pack     int
	partial  bool
	elemName string
	elem     ref.Val
}

func (a *activation) ResolveName(name string) (any, bool) {
	switch name {
	case "incident":
		if a.partial {
			return a.st.record(), true
		}
		return a.st.inc, true
	case "as_of":
		return a.st.asOfVal, true
	case a.elemName:
		return a.elem, true
	}
	pp := a.st.e.packs[a.pack]
	if i := pp.varSlot(name); i >= 0 {
		return a.st.variable(a.pack, i, a.partial), true
	}
	if v, ok := pp.consts[name]; ok {
		return v, true
	}
	return nil, false
}

func (a *activation) Parent() interpreter.Activation { return nil }

// namedState hides the values of as_of, params.<name> and pack.* from the
// pruning of a residual, so that it shows their names, not their values.
type namedState struct {
	interpreter.EvalState
	named map[int64]bool
}

func (s namedState) IDs() []int64 {
	var ids []int64
	for _, id := range s.EvalState.IDs() {
		if !s.named[id] {
			ids = append(ids, id)
		}
	}
	return ids
}

func (s namedState) Value(id int64) (ref.Val, bool) {
	if s.named[id] {
		return nil, false
	}
	return s.EvalState.Value(id)
}

// namedIDs returns the ids of the references to as_of and to constants.
func namedIDs(e ast.Expr) map[int64]bool {
	ids := map[int64]bool{}
	ast.PostOrderVisit(e, ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() != ast.IdentKind {
			return
		}
		if n := e.AsIdent(); n == "as_of" || strings.HasPrefix(n, "params.") || strings.HasPrefix(n, "pack.") {
			ids[e.ID()] = true
		}
	}))
	return ids
}

// residual renders the condition left over the unknown facts.
func (r result) residual() string {
	if !r.partial || r.det == nil {
		return ""
	}
	// Prune the known parts away and print what is left. PruneAst edits
	// the macro-call map it is given: hand it a copy, so that the rule set
	// stays immutable and safe for concurrent use. (Env.ResidualAst would
	// also parse and type-check the result again: ten times the cost.)
	a := r.p.x.Dynamic.NativeRep()
	state := r.det.State()
	if len(r.p.named) > 0 {
		state = namedState{state, r.p.named}
	}
	pruned := interpreter.PruneAst(a.Expr(), maps.Clone(a.SourceInfo().MacroCalls()), state)
	s, err := parser.Unparse(pruned.Expr(), pruned.SourceInfo())
	if err != nil {
		return ""
	}
	return joinLines(s)
}

// joinLines replaces the line breaks a residual keeps from a multi-line
// rule, with the white space around them, by a space: what
// regexp.MustCompile(`\s*\n\s*`).ReplaceAllString(s, " ") does.
func joinLines(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	space := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if !space(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j, nl := i, false
		for j < len(s) && space(s[j]) {
			nl = nl || s[j] == '\n'
			j++
		}
		if nl {
			b.WriteByte(' ')
		} else {
			b.WriteString(s[i:j])
		}
		i = j
	}
	return b.String()
}

// missing lists the unknown facts behind an unknown value, sorted.
func missing(v ref.Val) []string {
	u, ok := v.(*types.Unknown)
	if !ok {
		return nil
	}
	seen := map[string]bool{}
	for _, id := range u.IDs() {
		trails, _ := u.GetAttributeTrails(id)
		for _, t := range trails {
			seen[t.String()] = true
		}
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sortPaths(out)
	return out
}

// sortPaths sorts paths with list indexes in numeric order:
// victims[2] before victims[10].
func sortPaths(paths []string) {
	if len(paths) < 2 {
		return
	}
	type keyed struct{ key, path string }
	ks := make([]keyed, len(paths))
	for i, p := range paths {
		ks[i] = keyed{pathKey(p), p}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.path, b.path)
	})
	for i := range ks {
		paths[i] = ks[i].path
	}
}

// pathKey pads the list indexes of a path to nine digits, so that paths
// compare in numeric order of their indexes: "victims[2]" becomes
// "victims[000000002]" (an index of more digits is left as it is).
func pathKey(s string) string {
	if !strings.Contains(s, "[") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		if s[i] == '[' {
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j > i+1 && j < len(s) && s[j] == ']' {
				b.WriteByte('[')
				for k := j - i - 1; k < 9; k++ {
					b.WriteByte('0')
				}
				b.WriteString(s[i+1 : j])
				b.WriteByte(']')
				i = j + 1
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func joinMissing(a, b []string) []string {
	out := append(slices.Clone(a), b...)
	sortPaths(out)
	return slices.Compact(out)
}

func quoteResidual(s string) string {
	if strings.ContainsAny(s, "|&?") {
		return "(" + s + ")"
	}
	return s
}
