package evaluate

import (
	"fmt"
	"strings"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
)

// tri is a three-valued truth: known true, known false or unknown.
type tri int8

const (
	triFalse tri = iota
	triTrue
	triUnknown
)

// finding evaluates one norm into f, which is zero.
func (st *state) finding(np *normPrograms, f *Finding) {
	n := np.norm
	f.Norm, f.Title, f.Citation = n.ID, n.Norm.Title, n.Citation
	st.judge(np, f)
	if st.trace {
		f.Trace = st.traceNorm(np)
	}
}

// fail records that a rule could not be evaluated.
func fail(f *Finding, r result, what string) {
	f.Verdict = Failed
	f.Error = fmt.Sprintf("%s at %s: %v", what, r.p.x.Pos, r.err)
	f.Message = "the rule could not be evaluated: " + f.Error
}

// judge sets the verdict of a finding, with its message, obligations,
// loopholes and, when facts are unknown, what is missing.
func (st *state) judge(np *normPrograms, f *Finding) {
	var unknowns []result

	applies := triTrue
	if np.applies != nil {
		r := st.eval(np.applies, np.pack)
		if applies = truth(&r); r.err != nil || applies < 0 {
			fail(f, r, "applies")
			return
		}
		if applies == triUnknown {
			unknowns = append(unknowns, r)
		}
	}
	if applies == triFalse {
		f.Verdict = NotApplicable
		f.Message = "the norm does not reach this incident: its parties, dates or subject matter are outside it"
		st.loopholes(np, f)
		return
	}

	breach := triFalse
	var breachRes result
	if np.breach != nil {
		breachRes = st.eval(np.breach, np.pack)
		if breach = truth(&breachRes); breachRes.err != nil || breach < 0 {
			fail(f, breachRes, "breach")
			return
		}
		if breach == triUnknown {
			unknowns = append(unknowns, breachRes)
		}
	}

	var obls []Obligation
	oblUnknown := false
	if np.each != nil {
		var us []result
		var err *result
		obls, us, err = st.obligations(np)
		if err != nil {
			fail(f, *err, "obligation")
			return
		}
		if len(us) > 0 {
			oblUnknown = true
			unknowns = append(unknowns, us...)
		}
	}
	f.Obligations = obls
	late, pending := false, false
	lateAllowed := np.norm.Norm.Obligation != nil && np.norm.Norm.Obligation.Late == "allowed"
	for _, o := range obls {
		switch o.Status {
		case StatusOverdue:
			late = true
		case StatusFulfilledLate:
			late = late || !lateAllowed
		case StatusPending:
			pending = true
		case StatusUnknown:
			oblUnknown = true
		}
	}

	switch {
	case applies == triTrue && (breach == triTrue || late):
		f.Verdict = Breached
		f.Message = st.breachMessage(np, breach == triTrue, obls)
	case breach == triFalse && !late && !pending && !oblUnknown:
		// Every element known, or a known-false element: no breach, whatever
		// decides whether the norm applies.
		f.Verdict = NotBreached
		f.Message = "the norm applies, and the facts show no breach"
		if applies == triUnknown {
			f.Message = "the facts show no breach, whether or not the norm applies"
		}
		if len(obls) > 0 {
			f.Message += ": every duty was discharged in time"
		}
		st.loopholes(np, f)
	case applies == triTrue && !oblUnknown && breach == triFalse && pending:
		f.Verdict = Pending
		f.Message = pendingMessage(obls)
	default:
		f.Verdict = Indeterminate
		var parts []string
		for _, r := range unknowns {
			f.Missing = joinMissing(f.Missing, missing(r.val))
			if r.p == np.each && len(parts) > 0 {
				continue // the duties turn on the facts already shown
			}
			if s := r.residual(); s != "" && r.x().Type.String() == "bool" {
				parts = append(parts, quoteResidual(s))
			}
		}
		f.Residual = strings.Join(parts, " && ")
		if w := st.where(np, unknowns); f.Residual == "" {
			f.Residual = strings.TrimPrefix(w, "; ")
		} else {
			f.Residual += w
		}
		switch {
		case applies == triUnknown && (breach == triTrue || late):
			f.Message = "the facts meet every element of a breach, but whether the norm applies turns on " + list(f.Missing)
		case oblUnknown && breach != triUnknown:
			f.Message = "the duties the norm creates turn on " + list(f.Missing)
		default:
			f.Message = "unknown facts decide it: " + list(f.Missing)
		}
	}
}

// list names up to five facts.
func list(facts []string) string {
	if len(facts) > 5 {
		return strings.Join(facts[:5], ", ") + fmt.Sprintf(" and %d more", len(facts)-5)
	}
	return strings.Join(facts, ", ")
}

// where defines the pack variables a residual names whose values are
// unknown: "; where commercial_intent = incident.purpose == …".
func (st *state) where(np *normPrograms, unknowns []result) string {
	var defs []string
	seen := map[int]bool{}
	var visit func(idx []int)
	visit = func(idx []int) {
		for _, i := range idx {
			v := &st.vars[np.pack][i]
			if seen[i] || !v.done || !types.IsUnknown(v.val) {
				continue
			}
			seen[i] = true
			if s := v.residualText(); s != "" {
				defs = append(defs, st.e.packs[np.pack].pack.Variables[i].Name+" = "+s)
			}
			visit(v.res.p.x.Variables)
		}
	}
	for _, r := range unknowns {
		visit(r.p.x.Variables)
	}
	if len(defs) == 0 {
		return ""
	}
	return "; where " + strings.Join(defs, "; ")
}

// truth reads a result as a three-valued truth; -1 for a value that is not
// a bool (an error is set on the result).
func truth(r *result) tri {
	if r.err != nil {
		return -1
	}
	switch v := r.val.(type) {
	case types.Bool:
		if v {
			return triTrue
		}
		return triFalse
	case *types.Unknown:
		return triUnknown
	}
	r.err = fmt.Errorf("expected a bool, got %s", r.val.Type().TypeName())
	return -1
}

// loopholes adds the loopholes whose condition is known to hold.
func (st *state) loopholes(np *normPrograms, f *Finding) {
	for i, p := range np.loopholes {
		r := st.eval(p, np.pack)
		if b, ok := r.val.(types.Bool); ok && bool(b) && r.err == nil {
			l := np.norm.Loopholes[i]
			f.Loopholes = append(f.Loopholes, Loophole{ID: l.ID, Note: strings.TrimSpace(l.Note)})
		}
	}
	if len(f.Loopholes) > 0 {
		f.Message += "; loophole: " + f.Loopholes[0].ID
	}
}

// breachMessage explains a breach: the norm's message expression, or a
// default.
func (st *state) breachMessage(np *normPrograms, byCondition bool, obls []Obligation) string {
	if byCondition && np.message != nil {
		r := st.eval(np.message, np.pack)
		if s, ok := r.val.(types.String); ok && r.err == nil && s != "" {
			return string(s)
		}
	}
	for _, o := range obls {
		switch o.Status {
		case StatusOverdue:
			return o.Bearer + " did not " + o.Duty + " (" + o.Trigger + ") by " + day(o.Due)
		case StatusFulfilledLate:
			return o.Bearer + " did " + o.Duty + " (" + o.Trigger + ") on " + day(o.DoneAt) + ", after it was due on " + day(o.Due)
		}
	}
	return "the facts meet every element of a breach"
}

func pendingMessage(obls []Obligation) string {
	for _, o := range obls {
		if o.Status == StatusPending {
			return o.Bearer + " must " + o.Duty + " (" + o.Trigger + ") by " + day(o.Due)
		}
	}
	return "a duty is open and not yet due"
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

// obligations evaluates a norm's duties: one per element of its each list.
// It returns the results that were unknown, and the result that failed.
func (st *state) obligations(np *normPrograms) ([]Obligation, []result, *result) {
	r := st.eval(np.each, np.pack)
	if r.err != nil {
		return nil, nil, &r
	}
	if r.unknown() {
		return nil, []result{r}, nil
	}
	list, ok := r.val.(traits.Lister)
	if !ok {
		r.err = fmt.Errorf("expected a list, got %s", r.val.Type().TypeName())
		return nil, nil, &r
	}
	size := int(list.Size().(types.Int))
	if size == 0 {
		return nil, nil, nil
	}
	// One activation for the elements, rebound to each in turn.
	act := &st.elemAct
	*act = activation{st: st, pack: np.pack, elemName: np.norm.Obligation.As}
	out := make([]Obligation, 0, size)
	var unknowns []result
	duty := np.norm.Obligation.Duty
	for i := range size {
		act.elem = list.Get(types.Int(i))
		o := Obligation{Duty: duty}
		// Every expression is evaluated; the last that failed is reported.
		var failed *result
		o.Bearer = st.elemText(np.bearer, act, &unknowns, &failed)
		o.Trigger = st.elemText(np.trigger, act, &unknowns, &failed)
		var kTrig, kDue, kDone bool
		o.TriggeredAt, kTrig = st.elemTime(np.triggeredAt, act, &unknowns, &failed)
		o.Due, kDue = st.elemTime(np.due, act, &unknowns, &failed)
		o.DoneAt, kDone = st.elemTime(np.doneAt, act, &unknowns, &failed)
		if failed != nil {
			return nil, nil, failed
		}
		if kTrig && o.TriggeredAt.After(st.asOf) {
			continue // the duty had not arisen at the evaluation time
		}
		if !o.DoneAt.IsZero() && o.DoneAt.After(st.asOf) {
			o.DoneAt = time.Time{} // discharged only after the evaluation time
		}
		switch {
		case !kTrig || !kDue || !kDone:
			o.Status = StatusUnknown
		case !o.DoneAt.IsZero() && !o.DoneAt.After(o.Due):
			o.Status = StatusFulfilled
		case !o.DoneAt.IsZero():
			o.Status = StatusFulfilledLate
		case st.asOf.After(o.Due):
			o.Status = StatusOverdue
		default:
			o.Status = StatusPending
		}
		out = append(out, o)
	}
	if len(out) == 0 {
		out = nil
	}
	return out, unknowns, nil
}

// elemEval evaluates an element expression of an obligation, noting an
// unknown result; ok is false when it failed.
func (st *state) elemEval(p *program, act *activation, unknowns *[]result) (res result, ok bool) {
	res = st.evalIn(p, act)
	if res.err != nil {
		return res, false
	}
	if res.unknown() {
		*unknowns = append(*unknowns, res)
	}
	return res, true
}

// elemText evaluates a text of an obligation: "unknown" when it is not a
// known string. A failed evaluation is returned as failed.
func (st *state) elemText(p *program, act *activation, unknowns *[]result, failed **result) string {
	res, ok := st.elemEval(p, act, unknowns)
	if !ok {
		r := res // on the heap only when it failed
		*failed = &r
		return ""
	}
	if s, ok := res.val.(types.String); ok {
		return string(s)
	}
	return "unknown"
}

// elemTime evaluates a time of an obligation (see timeOf). A failed
// evaluation is returned as failed.
func (st *state) elemTime(p *program, act *activation, unknowns *[]result, failed **result) (time.Time, bool) {
	res, ok := st.elemEval(p, act, unknowns)
	if !ok {
		r := res // on the heap only when it failed
		*failed = &r
		return time.Time{}, false
	}
	return timeOf(res.val)
}

// timeOf reads a timestamp, or an optional timestamp; the zero time and an
// empty optional mean "not yet". known is false for an unknown value.
func timeOf(v ref.Val) (t time.Time, known bool) {
	switch x := v.(type) {
	case types.Timestamp:
		return x.Time, true
	case *types.Optional:
		if !x.HasValue() {
			return time.Time{}, true
		}
		return timeOf(x.GetValue())
	case *types.Unknown:
		return time.Time{}, false
	}
	return time.Time{}, true
}
