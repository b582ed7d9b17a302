package bench

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/decls"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/ext"
	"cel.dev/cel-go/interpreter"
	"go.yaml.in/yaml/v3"

	"github.com/cybernorms/cybernorms/incident"
)

// This file holds the bare cel-go side of the comparison. Nothing of the SDK
// is on its path: the expression texts are read from the pack files with a
// YAML parser of its own, compiled with cel-go alone, and the report is
// assembled by the plain Go below. Only the incident model (the Go struct the
// programs read) is shared with the SDK.

// packsDir holds the built-in packs the expression texts are read from.
const packsDir = "../norms/packs"

// rawPackFile is the part of a pack file the raw programs need.
type rawPackFile struct {
	Pack      string   `yaml:"pack"`
	Parties   []string `yaml:"parties"`
	Effective struct {
		From string `yaml:"from"`
	} `yaml:"effective"`
	Params []struct {
		Name    string `yaml:"name"`
		Type    string `yaml:"type"`
		Default string `yaml:"default"`
	} `yaml:"params"`
	Variables []struct {
		Name string `yaml:"name"`
		Expr string `yaml:"expr"`
	} `yaml:"variables"`
	Norms []struct {
		ID        string `yaml:"id"`
		Applies   string `yaml:"applies"`
		Breach    string `yaml:"breach"`
		Message   string `yaml:"message"`
		Loopholes []struct {
			ID   string `yaml:"id"`
			When string `yaml:"when"`
		} `yaml:"loopholes"`
		Obligation *struct {
			Duty        string `yaml:"duty"`
			Each        string `yaml:"each"`
			As          string `yaml:"as"`
			Bearer      string `yaml:"bearer"`
			Trigger     string `yaml:"trigger"`
			TriggeredAt string `yaml:"triggered_at"`
			Due         string `yaml:"due"`
			DoneAt      string `yaml:"done_at"`
			Late        string `yaml:"late"`
		} `yaml:"obligation"`
	} `yaml:"norms"`
}

// rawSet is the three norms as bare cel-go programs, with the pack variables
// they use, compiled once.
type rawSet struct {
	packs []*rawPack
	norms []*rawNorm
}

// rawPack holds one pack's variables: names, and a program for each variable
// the norms use (nil for the others, which are only declared).
type rawPack struct {
	names []string
	prgs  []cel.Program
}

type rawNorm struct {
	id                       string
	pack                     int
	applies, breach, message cel.Program // nil when the norm has none
	loopholeIDs              []string
	loopholes                []cel.Program
	obl                      *rawObligationPrograms
}

type rawObligationPrograms struct {
	duty, as                                        string
	lateAllowed                                     bool
	each, bearer, trigger, triggeredAt, due, doneAt cel.Program
}

// rawReport is what the raw programs produce per incident: the content of
// the SDK's report (verdict, message, loopholes, obligations).
type rawReport struct {
	Findings []rawFinding
}

type rawFinding struct {
	Norm        string
	Verdict     string
	Message     string
	Loopholes   []string
	Obligations []rawObligation
}

type rawObligation struct {
	Bearer, Trigger          string
	TriggeredAt, Due, DoneAt time.Time
	Status                   string
}

// rawEnv is the base environment: the typed incident, as_of, the extensions
// the three norms' expressions call (strings' join, lists' sort and
// distinct, optional fields) and the two functions of the packs, written
// here in plain Go.
func rawEnv() (*cel.Env, error) {
	listT := cel.ListType(cel.TypeParamType("T"))
	return cel.NewEnv(
		ext.Strings(), ext.Lists(), cel.OptionalTypes(),
		cel.Types(cel.NativeTypeFor[incident.Incident](ext.ParseStructTag("json"), cel.NativeTypeAlias("incident.Incident"))),
		cel.Variable("incident", cel.ObjectType("incident.Incident")),
		cel.Variable("as_of", cel.TimestampType),
		cel.Function("attributable",
			cel.Overload("attributable_string", []*cel.Type{cel.StringType}, cel.BoolType,
				cel.UnaryBinding(func(v ref.Val) ref.Val {
					s, _ := v.(types.String)
					return types.Bool(s == "organ" || s == "directed" || s == "acknowledged")
				}))),
		cel.Function("intersects",
			// The arguments are typed lists: no runtime check of their elements.
			decls.DisableTypeGuards(true),
			cel.Overload("intersects_list_list", []*cel.Type{listT, listT}, cel.BoolType,
				cel.BinaryBinding(func(a, b ref.Val) ref.Val {
					la, lb := a.(traits.Lister), b.(traits.Lister)
					for it := la.Iterator(); it.HasNext() == types.True; {
						if lb.Contains(it.Next()) == types.True {
							return types.True
						}
					}
					return types.False
				}))),
	)
}

// isoDays reads the ISO 8601 durations of the packs' parameters: PnD, PnW.
func isoDays(s string) (time.Duration, error) {
	if len(s) < 3 || s[0] != 'P' {
		return 0, fmt.Errorf("duration %q", s)
	}
	n, err := strconv.Atoi(s[1 : len(s)-1])
	if err != nil {
		return 0, fmt.Errorf("duration %q", s)
	}
	switch s[len(s)-1] {
	case 'D':
		return time.Duration(n) * 24 * time.Hour, nil
	case 'W':
		return time.Duration(n) * 7 * 24 * time.Hour, nil
	}
	return 0, fmt.Errorf("duration %q", s)
}

// rawCompile reads the packs of the three norms and compiles their
// expressions with cel-go: pack constants (pack.parties, pack.effective_from,
// params.*) inlined and folded, OptOptimize, no cost limit.
func rawCompile() (*rawSet, error) {
	base, err := rawEnv()
	if err != nil {
		return nil, err
	}
	set := &rawSet{}
	byID := map[string]*rawNorm{}
	for _, packID := range []string{"us-cn-2015", "un-gge-2015"} {
		raw, err := os.ReadFile(filepath.Join(packsDir, packID+".yaml"))
		if err != nil {
			return nil, err
		}
		var pf rawPackFile
		if err := yaml.Unmarshal(raw, &pf); err != nil {
			return nil, fmt.Errorf("%s: %w", packID, err)
		}
		// The pack's constants, as CEL literals.
		consts := map[string]string{}
		ctypes := map[string]*cel.Type{}
		if len(pf.Parties) > 0 {
			consts["pack.parties"] = "['" + strings.Join(pf.Parties, "', '") + "']"
			ctypes["pack.parties"] = cel.ListType(cel.StringType)
		}
		if pf.Effective.From != "" {
			consts["pack.effective_from"] = "timestamp('" + pf.Effective.From + "T00:00:00Z')"
			ctypes["pack.effective_from"] = cel.TimestampType
		}
		for _, p := range pf.Params {
			if p.Type != "duration" {
				return nil, fmt.Errorf("%s: parameter %s of type %s", packID, p.Name, p.Type)
			}
			d, err := isoDays(p.Default)
			if err != nil {
				return nil, err
			}
			consts["params."+p.Name] = "duration('" + d.String() + "')"
			ctypes["params."+p.Name] = cel.DurationType
		}
		env := base
		var decls []cel.EnvOption
		for name := range consts {
			decls = append(decls, cel.Variable(name, ctypes[name]))
		}
		if env, err = env.Extend(decls...); err != nil {
			return nil, err
		}
		var inline []*cel.InlineVariable
		for name, src := range consts {
			a, iss := env.Compile(src)
			if iss.Err() != nil {
				return nil, fmt.Errorf("%s: %s: %w", packID, name, iss.Err())
			}
			inline = append(inline, cel.NewInlineVariable(name, a))
		}
		fold, err := cel.NewConstantFoldingOptimizer()
		if err != nil {
			return nil, err
		}
		opt, err := cel.NewStaticOptimizer(cel.NewInliningOptimizer(inline...), fold)
		if err != nil {
			return nil, err
		}
		check := func(env *cel.Env, src string) (*cel.Ast, error) {
			a, iss := env.Compile(src)
			if iss.Err() != nil {
				return nil, iss.Err()
			}
			if a, iss = opt.Optimize(env, a); iss.Err() != nil {
				return nil, iss.Err()
			}
			return a, nil
		}
		program := func(env *cel.Env, a *cel.Ast) (cel.Program, error) {
			return env.Program(a, cel.EvalOptions(cel.OptOptimize))
		}

		// Variables, each declared with its type for those after it.
		pack := &rawPack{}
		varAsts := make([]*cel.Ast, len(pf.Variables))
		for i, v := range pf.Variables {
			a, err := check(env, v.Expr)
			if err != nil {
				return nil, fmt.Errorf("%s variable %s: %w", packID, v.Name, err)
			}
			varAsts[i] = a
			pack.names = append(pack.names, v.Name)
			if env, err = env.Extend(cel.Variable(v.Name, a.OutputType())); err != nil {
				return nil, err
			}
		}
		pack.prgs = make([]cel.Program, len(pack.names))
		packIdx := len(set.packs)
		// used marks the variables an expression reads, and those they read.
		var used func(a *cel.Ast) error
		used = func(a *cel.Ast) error {
			for _, r := range a.NativeRep().ReferenceMap() {
				i := slices.Index(pack.names, r.Name)
				if i < 0 || pack.prgs[i] != nil {
					continue
				}
				if pack.prgs[i], err = program(env, varAsts[i]); err != nil {
					return err
				}
				if err := used(varAsts[i]); err != nil {
					return err
				}
			}
			return nil
		}
		compile := func(env *cel.Env, src string) (cel.Program, error) {
			if src == "" {
				return nil, nil
			}
			a, err := check(env, src)
			if err != nil {
				return nil, err
			}
			if err := used(a); err != nil {
				return nil, err
			}
			return program(env, a)
		}

		for _, n := range pf.Norms {
			id := packID + "/" + n.ID
			if !slices.Contains(benchNorms, id) {
				continue
			}
			rn := &rawNorm{id: id, pack: packIdx}
			errs := []error{}
			mk := func(env *cel.Env, what, src string) cel.Program {
				p, err := compile(env, src)
				if err != nil {
					errs = append(errs, fmt.Errorf("%s %s: %w", id, what, err))
				}
				return p
			}
			rn.applies = mk(env, "applies", n.Applies)
			rn.breach = mk(env, "breach", n.Breach)
			rn.message = mk(env, "message", n.Message)
			for _, l := range n.Loopholes {
				rn.loopholeIDs = append(rn.loopholeIDs, l.ID)
				rn.loopholes = append(rn.loopholes, mk(env, "loophole "+l.ID, l.When))
			}
			if o := n.Obligation; o != nil {
				ro := &rawObligationPrograms{duty: o.Duty, as: o.As, lateAllowed: o.Late == "allowed"}
				if ro.as == "" {
					ro.as = "item"
				}
				each, err := check(env, o.Each)
				if err != nil {
					return nil, fmt.Errorf("%s each: %w", id, err)
				}
				ro.each = mk(env, "each", o.Each)
				elemEnv, err := env.Extend(cel.Variable(ro.as, each.OutputType().Parameters()[0]))
				if err != nil {
					return nil, err
				}
				ro.bearer = mk(elemEnv, "bearer", o.Bearer)
				ro.trigger = mk(elemEnv, "trigger", o.Trigger)
				ro.triggeredAt = mk(elemEnv, "triggered_at", o.TriggeredAt)
				ro.due = mk(elemEnv, "due", o.Due)
				ro.doneAt = mk(elemEnv, "done_at", o.DoneAt)
				rn.obl = ro
			}
			if err := errors.Join(errs...); err != nil {
				return nil, err
			}
			byID[id] = rn
		}
		set.packs = append(set.packs, pack)
	}
	for _, id := range benchNorms { // the SDK's order: rule-set order
		if byID[id] == nil {
			return nil, fmt.Errorf("%s: not in the packs", id)
		}
	}
	for _, packID := range []string{"us-cn-2015", "un-gge-2015"} {
		for _, id := range benchNorms {
			if strings.HasPrefix(id, packID+"/") {
				set.norms = append(set.norms, byID[id])
			}
		}
	}
	return set, nil
}

// rawAct is the activation of one pack for one incident, built before
// timing: the incident, as_of, the pack's variables (computed on first use,
// once per incident) and an obligation's element.
type rawAct struct {
	inc      *incident.Incident
	asOf     ref.Val // boxed once
	pack     *rawPack
	vals     []ref.Val
	elemName string
	elem     ref.Val
}

func (a *rawAct) ResolveName(name string) (any, bool) {
	switch name {
	case "incident":
		return a.inc, true
	case "as_of":
		return a.asOf, true
	}
	if a.elem != nil && name == a.elemName {
		return a.elem, true
	}
	for i, n := range a.pack.names {
		if n != name {
			continue
		}
		if a.vals[i] == nil {
			// Variables read the incident only: resolve them without the element.
			elem := a.elem
			a.elem = nil
			v, _, err := a.pack.prgs[i].Eval(a)
			a.elem = elem
			if err != nil {
				v = types.WrapErr(err)
			}
			a.vals[i] = v
		}
		return a.vals[i], true
	}
	return nil, false
}

func (a *rawAct) Parent() interpreter.Activation { return nil }

// rawIncident is one incident's activations, one per pack.
type rawIncident struct {
	acts []rawAct
}

func (s *rawSet) activations(inc *incident.Incident) *rawIncident {
	ri := &rawIncident{acts: make([]rawAct, len(s.packs))}
	for i, p := range s.packs {
		ri.acts[i] = rawAct{inc: inc, asOf: types.Timestamp{Time: asOf}, pack: p, vals: make([]ref.Val, len(p.names))}
	}
	return ri
}

// evaluate produces the report of one incident. Variables are computed anew
// for each call.
func (s *rawSet) evaluate(ri *rawIncident) (*rawReport, error) {
	for i := range ri.acts {
		clear(ri.acts[i].vals)
	}
	rep := &rawReport{Findings: make([]rawFinding, len(s.norms))}
	for i, n := range s.norms {
		if err := n.judge(&ri.acts[n.pack], &rep.Findings[i]); err != nil {
			return nil, fmt.Errorf("%s: %w", n.id, err)
		}
	}
	return rep, nil
}

func evalBool(p cel.Program, act *rawAct) (bool, error) {
	out, _, err := p.Eval(act)
	if err != nil {
		return false, err
	}
	b, ok := out.(types.Bool)
	if !ok {
		return false, fmt.Errorf("not a bool: %v", out)
	}
	return bool(b), nil
}

// judge sets a finding's verdict, message, loopholes and obligations, by the
// rules of the SDK's report for complete facts.
func (n *rawNorm) judge(act *rawAct, f *rawFinding) error {
	f.Norm = n.id
	if n.applies != nil {
		applies, err := evalBool(n.applies, act)
		if err != nil {
			return err
		}
		if !applies {
			f.Verdict = "not_applicable"
			f.Message = "the norm does not reach this incident: its parties, dates or subject matter are outside it"
			return n.loopholesInto(act, f)
		}
	}
	breach := false
	if n.breach != nil {
		var err error
		if breach, err = evalBool(n.breach, act); err != nil {
			return err
		}
	}
	late, pending := false, false
	if n.obl != nil {
		obls, err := n.obl.evaluate(act)
		if err != nil {
			return err
		}
		f.Obligations = obls
		for _, o := range obls {
			switch o.Status {
			case "overdue":
				late = true
			case "fulfilled_late":
				late = late || !n.obl.lateAllowed
			case "pending":
				pending = true
			}
		}
	}
	switch {
	case breach || late:
		f.Verdict = "breached"
		if breach && n.message != nil {
			out, _, err := n.message.Eval(act)
			if err != nil {
				return err
			}
			if s, ok := out.(types.String); ok && s != "" {
				f.Message = string(s)
				return nil
			}
		}
		f.Message = "the facts meet every element of a breach"
		for _, o := range f.Obligations {
			if o.Status == "overdue" {
				f.Message = o.Bearer + " did not " + n.obl.duty + " (" + o.Trigger + ") by " + o.Due.UTC().Format(time.DateOnly)
				break
			}
			if o.Status == "fulfilled_late" {
				f.Message = o.Bearer + " did " + n.obl.duty + " (" + o.Trigger + ") on " + o.DoneAt.UTC().Format(time.DateOnly) +
					", after it was due on " + o.Due.UTC().Format(time.DateOnly)
				break
			}
		}
	case pending:
		f.Verdict = "pending"
		for _, o := range f.Obligations {
			if o.Status == "pending" {
				f.Message = o.Bearer + " must " + n.obl.duty + " (" + o.Trigger + ") by " + o.Due.UTC().Format(time.DateOnly)
				break
			}
		}
	default:
		f.Verdict = "not_breached"
		f.Message = "the norm applies, and the facts show no breach"
		if len(f.Obligations) > 0 {
			f.Message += ": every duty was discharged in time"
		}
		return n.loopholesInto(act, f)
	}
	return nil
}

// loopholesInto adds the loopholes whose condition holds.
func (n *rawNorm) loopholesInto(act *rawAct, f *rawFinding) error {
	for i, p := range n.loopholes {
		ok, err := evalBool(p, act)
		if err != nil {
			return err
		}
		if ok {
			f.Loopholes = append(f.Loopholes, n.loopholeIDs[i])
		}
	}
	if len(f.Loopholes) > 0 {
		f.Message += "; loophole: " + f.Loopholes[0]
	}
	return nil
}

// evaluate computes one duty per element of the each list, with its status
// at the evaluation time.
func (o *rawObligationPrograms) evaluate(act *rawAct) ([]rawObligation, error) {
	out, _, err := o.each.Eval(act)
	if err != nil {
		return nil, err
	}
	list, ok := out.(traits.Lister)
	if !ok {
		return nil, fmt.Errorf("each: not a list: %v", out)
	}
	size := int(list.Size().(types.Int))
	if size == 0 {
		return nil, nil
	}
	obls := make([]rawObligation, 0, size)
	act.elemName = o.as
	defer func() { act.elem = nil }()
	for i := range size {
		act.elem = list.Get(types.Int(i))
		var ob rawObligation
		var err error
		if ob.Bearer, err = evalString(o.bearer, act); err != nil {
			return nil, err
		}
		if ob.Trigger, err = evalString(o.trigger, act); err != nil {
			return nil, err
		}
		if ob.TriggeredAt, err = evalTime(o.triggeredAt, act); err != nil {
			return nil, err
		}
		if ob.Due, err = evalTime(o.due, act); err != nil {
			return nil, err
		}
		if ob.DoneAt, err = evalTime(o.doneAt, act); err != nil {
			return nil, err
		}
		if ob.TriggeredAt.After(asOf) {
			continue // not arisen at the evaluation time
		}
		if ob.DoneAt.After(asOf) {
			ob.DoneAt = time.Time{} // discharged only after the evaluation time
		}
		switch {
		case !ob.DoneAt.IsZero() && !ob.DoneAt.After(ob.Due):
			ob.Status = "fulfilled"
		case !ob.DoneAt.IsZero():
			ob.Status = "fulfilled_late"
		case asOf.After(ob.Due):
			ob.Status = "overdue"
		default:
			ob.Status = "pending"
		}
		obls = append(obls, ob)
	}
	if len(obls) == 0 {
		return nil, nil
	}
	return obls, nil
}

func evalString(p cel.Program, act *rawAct) (string, error) {
	out, _, err := p.Eval(act)
	if err != nil {
		return "", err
	}
	s, ok := out.(types.String)
	if !ok {
		return "", fmt.Errorf("not a string: %v", out)
	}
	return string(s), nil
}

// evalTime reads a timestamp or an optional timestamp (none: the zero time).
func evalTime(p cel.Program, act *rawAct) (time.Time, error) {
	out, _, err := p.Eval(act)
	if err != nil {
		return time.Time{}, err
	}
	switch v := out.(type) {
	case types.Timestamp:
		return v.Time, nil
	case *types.Optional:
		if !v.HasValue() {
			return time.Time{}, nil
		}
		if t, ok := v.GetValue().(types.Timestamp); ok {
			return t.Time, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a timestamp: %v", out)
}

// rawBreachOnly holds the three norms' breach conditions as one bare cel-go
// program each, with the pack variables and constants written in: one
// boolean "breached" per norm, without the rest of the report. It is the
// earlier, smaller baseline, kept as BenchmarkRawCELBreachOnly.
var rawBreachOnly = []struct{ norm, src string }{
	{"us-cn-2015/ip-theft", `
		incident.actor.state in ['US', 'CN'] &&
		incident.victims.exists(v, v.state in ['US', 'CN'] && v.state != incident.actor.state) &&
		(!has(incident.period.end) || incident.period.end >= timestamp('2015-09-25T00:00:00Z')) &&
		incident.actor.relation in ['organ', 'directed', 'acknowledged', 'knowingly_supported'] &&
		incident.data_taken.exists(d, d in ['intellectual_property', 'trade_secrets', 'confidential_business_information']) &&
		(incident.purpose == 'competitive_advantage' ||
		 incident.beneficiaries.exists(b, b.kind in ['state_owned_enterprise', 'private_company', 'commercial_sector']))`},
	{"un-gge-2015/13f", `
		(!has(incident.period.end) || incident.period.end >= timestamp('2015-07-22T00:00:00Z')) &&
		incident.victims.exists(v, v.critical_infrastructure) &&
		incident.actor.relation in ['organ', 'directed', 'acknowledged', 'knowingly_supported'] &&
		incident.effects.impact in ['disruption', 'damage', 'destruction'] &&
		incident.effects.intentional`},
	// A request between the parties sent on or after 2015-09-25 (and by the
	// evaluation time) that was answered late, or not answered by as_of
	// although due.
	{"us-cn-2015/timely-response", `
		incident.requests.exists(r, r.from in ['US', 'CN'] && r.to in ['US', 'CN'] && r.from != r.to &&
		  r.sent_at >= timestamp('2015-09-25T00:00:00Z') && r.sent_at <= as_of &&
		  (has(r.responded_at) && r.responded_at <= as_of
		    ? r.responded_at > r.sent_at + duration('720h')
		    : as_of > r.sent_at + duration('720h')))`},
}

// rawBreachPrograms compiles the breach-only programs once: a typed
// environment, constant folding, OptOptimize.
func rawBreachPrograms() ([]cel.Program, error) {
	env, err := cel.NewEnv(
		cel.Types(cel.NativeTypeFor[incident.Incident](ext.ParseStructTag("json"), cel.NativeTypeAlias("incident.Incident"))),
		cel.Variable("incident", cel.ObjectType("incident.Incident")),
		cel.Variable("as_of", cel.TimestampType),
	)
	if err != nil {
		return nil, err
	}
	fold, err := cel.NewConstantFoldingOptimizer()
	if err != nil {
		return nil, err
	}
	opt, err := cel.NewStaticOptimizer(fold)
	if err != nil {
		return nil, err
	}
	var out []cel.Program
	for _, r := range rawBreachOnly {
		a, iss := env.Compile(r.src)
		if iss.Err() != nil {
			return nil, fmt.Errorf("%s: %w", r.norm, iss.Err())
		}
		if a, iss = opt.Optimize(env, a); iss.Err() != nil {
			return nil, fmt.Errorf("%s: %w", r.norm, iss.Err())
		}
		p, err := env.Program(a, cel.EvalOptions(cel.OptOptimize))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.norm, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// rawBreachActivation is built once per incident, outside the timed loop.
func rawBreachActivation(inc *incident.Incident) (interpreter.Activation, error) {
	return cel.NewActivation(map[string]any{"incident": inc, "as_of": types.Timestamp{Time: asOf}})
}

func rawBreach(p cel.Program, act interpreter.Activation) (bool, error) {
	out, _, err := p.Eval(act)
	if err != nil {
		return false, err
	}
	b, ok := out.(types.Bool)
	if !ok {
		return false, fmt.Errorf("not a bool: %v", out)
	}
	return bool(b), nil
}
