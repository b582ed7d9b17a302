package bench

import (
	"fmt"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/ext"
	"cel.dev/cel-go/interpreter"

	"github.com/cybernorms/cybernorms/incident"
)

// rawCEL holds the three norms as bare cel-go programs: the same logic as the
// packs, with the pack constants written in (parties US and CN, effective
// dates, a 30-day response window), each norm one boolean "breached".
var rawCEL = []struct{ norm, src string }{
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

// rawPrograms compiles the raw programs once, as a cel-go user would: a typed
// environment, constant folding, OptOptimize.
func rawPrograms() ([]cel.Program, error) {
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
	for _, r := range rawCEL {
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

// rawActivation is built once per incident, outside the timed loop.
func rawActivation(inc *incident.Incident) (interpreter.Activation, error) {
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
