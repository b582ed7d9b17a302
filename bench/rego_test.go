package bench

import (
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// regoPolicy holds the three norms in Rego: their breach conditions (the same
// logic as rawBreachOnly) and, over them, the rest of the report. Times
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

# The rest of the report, as the SDK and the raw programs give it: verdict,
# message, loophole ids (in pack order) and obligations with their status.

day(ns) := sprintf("%04d-%02d-%02d", time.date(ns))

actor_name := input.actor.name if input.actor.name

else := "the actor"

no_breach := "the norm applies, and the facts show no breach"

not_reached := "the norm does not reach this incident: its parties, dates or subject matter are outside it"

with_loophole(msg, ids) := concat("", [msg, "; loophole: ", ids[0]]) if count(ids) > 0

else := msg

ended_before(from) if time.parse_rfc3339_ns(input.period.end) < from

# us-cn-2015/ip-theft

between_parties if {
	input.actor.state in parties
	some v in input.victims
	v.state in parties
	v.state != input.actor.state
}

ipt_applies if {
	between_parties
	in_force(usc_from)
}

ip_taken if {
	some d in input.data_taken
	d in ip_kinds
}

ipt_loophole contains "knowingly" if {
	input.actor.relation == "supported"
	ip_taken
	commercial_intent
}

ipt_loophole contains "before-commitment" if ended_before(usc_from)

ipt_loophole contains "espionage-not-ip" if {
	not ip_taken
	some d in input.data_taken
	d in {"personal_data", "government_information", "military_information", "credentials"}
}

ipt_loophole contains "national-security-purpose" if {
	ip_taken
	input.purpose == "national_security"
	not commercial_beneficiary
}

commercial_beneficiary if {
	some b in input.beneficiaries
	b.kind in commercial
}

ipt_loopholes := [id | some id in ["knowingly", "before-commitment", "espionage-not-ip", "national-security-purpose"]; id in ipt_loophole]

ipt_message := concat("", [
	actor_name, " (", input.actor.relation, ", ", input.actor.state, ") took ",
	concat(", ", [d | some d in input.data_taken; d in ip_kinds]),
	" with commercial intent, against the pledge of 25 September 2015",
])

ipt := {"verdict": "not_applicable", "message": with_loophole(not_reached, ipt_loopholes), "loopholes": ipt_loopholes, "obligations": []} if not ipt_applies

else := {"verdict": "breached", "message": ipt_message, "loopholes": [], "obligations": []} if ip_theft

else := {"verdict": "not_breached", "message": with_loophole(no_breach, ipt_loopholes), "loopholes": ipt_loopholes, "obligations": []}

# un-gge-2015/13f

gge_applies if {
	in_force(gge_from)
	some v in input.victims
	v.critical_infrastructure == true
}

harmful_impact if input.effects.impact in {"disruption", "damage", "destruction"}

gge_loophole contains "pre-positioning" if {
	"pre_positioning" in input.activity
	input.effects.impact == "none"
}

gge_loophole contains "unintended" if {
	harmful_impact
	input.effects.intentional == false
}

gge_loopholes := [id | some id in ["pre-positioning", "unintended"]; id in gge_loophole]

# The states of critical-infrastructure victims, each once, in order.
ci_states := [s |
	some i, v in input.victims
	v.critical_infrastructure == true
	s := v.state
	not ci_state_before(s, i)
]

ci_state_before(s, i) if {
	some j, w in input.victims
	j < i
	w.critical_infrastructure == true
	w.state == s
}

gge_message := concat("", [
	actor_name, " (", input.actor.state, ") intentionally caused ", input.effects.impact,
	" to critical infrastructure of ", concat(", ", ci_states),
])

gge := {"verdict": "not_applicable", "message": with_loophole(not_reached, gge_loopholes), "loopholes": gge_loopholes, "obligations": []} if not gge_applies

else := {"verdict": "breached", "message": gge_message, "loopholes": [], "obligations": []} if gge_13f

else := {"verdict": "not_breached", "message": with_loophole(no_breach, gge_loopholes), "loopholes": gge_loopholes, "obligations": []}

# us-cn-2015/timely-response: one duty per request between the parties.

duty := "respond to the request"

done_at(r) := t if {
	t := time.parse_rfc3339_ns(r.responded_at)
	t <= as_of
}

else := 0

status(done, due) := "fulfilled" if {
	done != 0
	done <= due
}

else := "fulfilled_late" if done != 0

else := "overdue" if as_of > due

else := "pending"

trr_obligations := [o |
	some r in input.requests
	r.from in parties
	r.to in parties
	r.from != r.to
	sent := time.parse_rfc3339_ns(r.sent_at)
	sent >= usc_from
	sent <= as_of
	due := sent + window
	done := done_at(r)
	o := {
		"bearer": r.to, "trigger": concat("", ["request ", r.id, " (", r.kind, ") from ", r.from]),
		"due": due, "done": done, "status": status(done, due),
	}
]

trr_late := [o | some o in trr_obligations; o.status in {"overdue", "fulfilled_late"}]

trr_pending := [o | some o in trr_obligations; o.status == "pending"]

trr_late_message(o) := concat("", [o.bearer, " did not ", duty, " (", o.trigger, ") by ", day(o.due)]) if o.status == "overdue"

else := concat("", [o.bearer, " did ", duty, " (", o.trigger, ") on ", day(o.done), ", after it was due on ", day(o.due)])

trr_statuses := [o.status | some o in trr_obligations]

trr := {"verdict": "not_applicable", "message": not_reached, "loopholes": [], "obligations": []} if count(trr_obligations) == 0

else := {"verdict": "breached", "message": trr_late_message(trr_late[0]), "loopholes": [], "obligations": trr_statuses} if count(trr_late) > 0

else := {"verdict": "pending", "message": concat("", [trr_pending[0].bearer, " must ", duty, " (", trr_pending[0].trigger, ") by ", day(trr_pending[0].due)]), "loopholes": [], "obligations": trr_statuses} if count(trr_pending) > 0

else := {"verdict": "not_breached", "message": concat("", [no_breach, ": every duty was discharged in time"]), "loopholes": [], "obligations": trr_statuses}

report := {
	"us-cn-2015/ip-theft": ipt,
	"un-gge-2015/13f": gge,
	"us-cn-2015/timely-response": trr,
}
`

// regoQuery prepares the policy once: one query gives the three findings
// (verdict, message, loophole ids, obligation statuses).
func regoQuery(ctx context.Context) (rego.PreparedEvalQuery, error) {
	return rego.New(
		rego.Query("data.cybernorms.bench.report"),
		rego.Module("bench.rego", regoPolicy),
	).PrepareForEval(ctx)
}

// regoInput converts an incident document to OPA's value once, outside the
// timed loop, so that the benchmark times evaluation only.
func regoInput(doc map[string]any) (ast.Value, error) {
	return ast.InterfaceToValue(doc)
}

// regoReport evaluates one incident: the findings by norm id.
func regoReport(ctx context.Context, q rego.PreparedEvalQuery, in ast.Value) (map[string]any, error) {
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
