package bench

import (
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// regoPolicy holds the three norms in Rego: the same logic as rawCEL. Times
// are nanoseconds since the epoch: 2015-09-25 (us-cn-2015), 2015-07-22
// (un-gge-2015), the evaluation time 2026-01-01 and a 30-day window.
const regoPolicy = `package cybernorms.bench

parties := {"US", "CN"}

usc_from := 1443139200000000000

gge_from := 1437523200000000000

as_of := 1767225600000000000

window := 2592000000000000

conducted := {"organ", "directed", "acknowledged", "knowingly_supported"}

ip_kinds := {"intellectual_property", "trade_secrets", "confidential_business_information"}

commercial := {"state_owned_enterprise", "private_company", "commercial_sector"}

in_force(from) if not input.period.end

in_force(from) if time.parse_rfc3339_ns(input.period.end) >= from

commercial_intent if input.purpose == "competitive_advantage"

commercial_intent if {
	some b in input.beneficiaries
	b.kind in commercial
}

default ip_theft := false

ip_theft if {
	input.actor.state in parties
	some v in input.victims
	v.state in parties
	v.state != input.actor.state
	in_force(usc_from)
	input.actor.relation in conducted
	some d in input.data_taken
	d in ip_kinds
	commercial_intent
}

default gge_13f := false

gge_13f if {
	in_force(gge_from)
	some v in input.victims
	v.critical_infrastructure == true
	input.actor.relation in conducted
	input.effects.impact in {"disruption", "damage", "destruction"}
	input.effects.intentional == true
}

late(r, due) if {
	done := time.parse_rfc3339_ns(r.responded_at)
	done <= as_of
	done > due
}

late(r, due) if {
	not r.responded_at
	as_of > due
}

late(r, due) if {
	time.parse_rfc3339_ns(r.responded_at) > as_of
	as_of > due
}

default timely_response := false

timely_response if {
	some r in input.requests
	r.from in parties
	r.to in parties
	r.from != r.to
	sent := time.parse_rfc3339_ns(r.sent_at)
	sent >= usc_from
	sent <= as_of
	late(r, sent + window)
}

breaches := {
	"us-cn-2015/ip-theft": ip_theft,
	"un-gge-2015/13f": gge_13f,
	"us-cn-2015/timely-response": timely_response,
}
`

// regoQuery prepares the policy once: one query gives the three outcomes.
func regoQuery(ctx context.Context) (rego.PreparedEvalQuery, error) {
	return rego.New(
		rego.Query("data.cybernorms.bench.breaches"),
		rego.Module("bench.rego", regoPolicy),
	).PrepareForEval(ctx)
}

// regoInput converts an incident document to OPA's value once, outside the
// timed loop, so that the benchmark times evaluation only.
func regoInput(doc map[string]any) (ast.Value, error) {
	return ast.InterfaceToValue(doc)
}

func regoBreaches(ctx context.Context, q rego.PreparedEvalQuery, in ast.Value) (map[string]any, error) {
	rs, err := q.Eval(ctx, rego.EvalParsedInput(in))
	if err != nil {
		return nil, err
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil, fmt.Errorf("unexpected result set %v", rs)
	}
	m, ok := rs[0].Expressions[0].Value.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("unexpected value %v", rs[0].Expressions[0].Value)
	}
	return m, nil
}
