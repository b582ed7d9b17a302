package evaluate_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/norms"
)

// Shorthands for the verdicts and statuses of the tables.
const (
	na            = evaluate.NotApplicable
	notBreached   = evaluate.NotBreached
	breached      = evaluate.Breached
	indeterminate = evaluate.Indeterminate
	pending       = evaluate.Pending

	fulfilled     = evaluate.StatusFulfilled
	fulfilledLate = evaluate.StatusFulfilledLate
	overdue       = evaluate.StatusOverdue
	open          = evaluate.StatusPending
)

// Shorthands for the model's values.
const (
	organ               = incident.RelationOrgan
	directed            = incident.RelationDirected
	acknowledged        = incident.RelationAcknowledged
	knowinglySupported  = incident.RelationKnowinglySupported
	supported           = incident.RelationSupported
	tolerated           = incident.RelationTolerated
	noRelation          = incident.RelationNone
	unknownRelation     = incident.RelationUnknown
	investigation       = incident.RequestInvestigation
	information         = incident.RequestInformation
	assistance          = incident.RequestAssistance
	evidence            = incident.RequestEvidence
	mitigation          = incident.RequestMitigation
	assisted            = incident.OutcomeAssisted
	partial             = incident.OutcomePartial
	declined            = incident.OutcomeDeclined
	noResponse          = incident.OutcomeNoResponse
	nationalLaw         = incident.BasisNationalLaw
	internationalOblig  = incident.BasisInternationalObligation
	noBasis             = incident.BasisNone
	noOutcome           = incident.Outcome("")
	basisAbsent         = incident.DeclinedBasis("")
	competitive         = incident.PurposeCompetitiveAdvantage
	nationalSecurity    = incident.PurposeNationalSecurity
	soe                 = incident.BeneficiaryStateOwnedEnterprise
	privateCompany      = incident.BeneficiaryPrivateCompany
	commercialSector    = incident.BeneficiaryCommercialSector
	governmentBenefits  = incident.BeneficiaryGovernment
	intelligenceBenefit = incident.BeneficiaryIntelligenceService
)

// The 2015 US–China pledge took effect on 25 September 2015; the G20
// communiqué on 16 November 2015; the UN GGE report on 22 July 2015.
const (
	usCNEffective = "2015-09-25T00:00:00Z"
	g20Effective  = "2015-11-16T00:00:00Z"
	ggeEffective  = "2015-07-22T00:00:00Z"
)

func TestBuiltinNorms(t *testing.T) {
	ev := builtinEvaluator(t)
	rep, err := ev.Evaluate(context.Background(), ipTheft(), evaluate.AsOf(defaultAsOf))
	require.NoError(t, err)
	var ids []string
	for _, f := range rep.Findings {
		ids = append(ids, f.Norm)
		assert.NotEmpty(t, f.Title, f.Norm)
		assert.NotEmpty(t, f.Citation.Quote, f.Norm)
	}
	assert.Equal(t, []string{
		"us-cn-2015/ip-theft", "us-cn-2015/timely-response", "us-cn-2015/cooperation",
		"g20-2015/ip-theft",
		"un-gge-2015/13c", "un-gge-2015/13f", "un-gge-2015/13h", "un-gge-2015/13k",
		"intl-law/sovereignty", "intl-law/proxies",
	}, ids, "DESIGN §4 fixes the norm ids; the report keeps rule-set order")
	assert.Equal(t, "case", rep.Incident)
	assert.True(t, rep.AsOf.Equal(defaultAsOf))
	assert.Equal(t, 2, rep.Count(breached), "the IP-theft base case breaches both pledges and nothing else")
	_, ok := rep.Finding("us-cn-2015/no-such-norm")
	assert.False(t, ok)
}

func TestUSCNIPTheft(t *testing.T) {
	runVerdicts(t, builtinEvaluator(t), "us-cn-2015/ip-theft", []verdictCase{
		{name: "directed contractor took trade secrets for competitive advantage", want: breached,
			message: "Unit X (directed, CN) took trade_secrets with commercial intent"},
		{name: "organ", changes: []change{relation(organ)}, want: breached},
		{name: "acknowledged", changes: []change{relation(acknowledged)}, want: breached},
		{name: "knowingly supported", changes: []change{relation(knowinglySupported)}, want: breached},
		{name: "US actor against a CN victim", changes: []change{actorState("US"), victim("CN", "manufacturing", ptr(false))}, want: breached},
		{name: "commercial intent from a beneficiary alone", changes: []change{purpose(nationalSecurity), beneficiaries(soe)}, want: breached},
		{name: "private company beneficiary, purpose unknown", changes: []change{unknownPurpose, beneficiaries(privateCompany)}, want: breached},
		{name: "confidential business information", changes: []change{dataTaken(incident.DataConfidentialBusinessInfo)}, want: breached},

		// Dates: the pledge reaches conduct that continued on or after 2015-09-25.
		{name: "conduct ended on the effective date itself", changes: []change{period("2014-01-01", usCNEffective)}, want: breached},
		{name: "conduct ended a second before the effective date", changes: []change{period("2014-01-01", "2015-09-24T23:59:59Z")},
			want: na, loopholes: []string{"before-commitment"}},
		{name: "ongoing conduct begun before the pledge", changes: []change{period("2012-01-01", "")}, want: breached},

		// Parties.
		{name: "actor and victim of the same party", changes: []change{victim("CN", "manufacturing", ptr(false))}, want: na},
		{name: "actor not a party", changes: []change{actorState("RU")}, want: na},
		{name: "victim not a party", changes: []change{victim("GB", "manufacturing", ptr(false))}, want: na},
		{name: "a party among the victims", changes: []change{victim("GB", "manufacturing", ptr(false)), addVictim("US", "energy", ptr(false))}, want: breached},

		// Element (a): "knowingly".
		{name: "supported without proven knowledge", changes: []change{relation(supported)}, want: notBreached,
			loopholes: []string{"knowingly"}},
		{name: "tolerated", changes: []change{relation(tolerated)}, want: notBreached},
		{name: "no state involvement", changes: []change{relation(noRelation)}, want: notBreached},
		// Element (b).
		{name: "personal data only", changes: []change{dataTaken(incident.DataPersonal)}, want: notBreached,
			loopholes: []string{"espionage-not-ip"}},
		{name: "nothing taken", changes: []change{dataTaken()}, want: notBreached},
		// Element (c).
		{name: "national security purpose, no commercial beneficiary", changes: []change{purpose(nationalSecurity), beneficiaries(governmentBenefits)},
			want: notBreached, loopholes: []string{"national-security-purpose"}},

		// Three-valued logic.
		{name: "relation none beside an unknown purpose", changes: []change{relation(noRelation), unknownPurpose, unknownBeneficiaries}, want: notBreached},
		{name: "nothing taken beside an unknown relation", changes: []change{relation(unknownRelation), dataTaken()}, want: notBreached},
		{name: "purpose and beneficiaries unknown", changes: []change{unknownPurpose, unknownBeneficiaries}, want: indeterminate,
			missing:  []string{"incident.beneficiaries", "incident.purpose"},
			residual: []string{"commercial_intent", `incident.purpose == "competitive_advantage"`, "incident.beneficiaries.exists("}},
		{name: "purpose unknown, beneficiaries known empty", changes: []change{purpose(incident.PurposeUnknown)}, want: indeterminate,
			missing: []string{"incident.purpose"}, residual: []string{`incident.purpose == "competitive_advantage"`}},
		{name: "relation unknown", changes: []change{relation(unknownRelation)}, want: indeterminate,
			missing: []string{"incident.actor.relation"}, residual: []string{"incident.actor.relation in"}},
		{name: "what was taken unknown", changes: []change{unknownDataTaken}, want: indeterminate,
			missing: []string{"incident.data_taken"}, residual: []string{"ip_taken", "intersects(incident.data_taken"}},
		{name: "actor's state unknown: whether it applies is open", changes: []change{actorState("")}, want: indeterminate,
			missing: []string{"incident.actor.state"}, residual: []string{"between_parties"}, message: "whether the norm applies"},
		{name: "actor's state unknown but the conduct ended before the pledge", changes: []change{actorState(""), period("2013-01-01", "2014-01-01")},
			want: na, loopholes: []string{"before-commitment"}},
		{name: "origin alone does not attribute", changes: []change{noActor}, want: indeterminate, missing: []string{"incident.actor"}},
	})
}

func TestG20IPTheft(t *testing.T) {
	runVerdicts(t, builtinEvaluator(t), "g20-2015/ip-theft", []verdictCase{
		{name: "directed", want: breached, message: "against the G20 commitment"},
		// The difference from the US–China pledge: no "knowingly".
		{name: "supported meets element (a)", changes: []change{relation(supported)}, want: breached},
		{name: "tolerated does not", changes: []change{relation(tolerated)}, want: notBreached},
		{name: "between other members", changes: []change{actorState("RU"), victim("DE", "manufacturing", ptr(false))}, want: breached},
		{name: "the EU is a member", changes: []change{actorState("RU"), victim("EU", "research", ptr(false))}, want: breached},
		{name: "actor not a member", changes: []change{actorState("KP")}, want: na, loopholes: []string{"non-member"}},
		{name: "victim not a member", changes: []change{actorState("RU"), victim("UA", "manufacturing", ptr(false))}, want: na},
		{name: "same member", changes: []change{victim("CN", "manufacturing", ptr(false))}, want: na},
		{name: "conduct ended on the communiqué's day", changes: []change{period("2015-01-01", g20Effective)}, want: breached},
		{name: "conduct ended a second before", changes: []change{period("2015-01-01", "2015-11-15T23:59:59Z")}, want: na,
			loopholes: []string{"before-commitment"}},
		{name: "between the two pledges' dates", changes: []change{period("2015-01-01", "2015-10-01")}, want: na,
			loopholes: []string{"before-commitment"}},
		{name: "government information", changes: []change{dataTaken(incident.DataGovernmentInformation)}, want: notBreached,
			loopholes: []string{"espionage-not-ip"}},
		{name: "national security", changes: []change{purpose(nationalSecurity), beneficiaries(intelligenceBenefit)}, want: notBreached,
			loopholes: []string{"national-security-purpose"}},
		{name: "commercial sector beneficiary", changes: []change{purpose(nationalSecurity), beneficiaries(commercialSector)}, want: breached},
		{name: "relation none beside unknown purpose", changes: []change{relation(noRelation), unknownPurpose, unknownBeneficiaries}, want: notBreached},
		{name: "purpose and beneficiaries unknown", changes: []change{unknownPurpose, unknownBeneficiaries}, want: indeterminate,
			missing: []string{"incident.beneficiaries", "incident.purpose"}, residual: []string{`incident.purpose == "competitive_advantage"`}},
		{name: "relation unknown", changes: []change{relation("")}, want: indeterminate, missing: []string{"incident.actor.relation"},
			residual: []string{`"supported"`}},
	})
}

// A request from US to CN sent on 1 March 2016 is due, with the default
// 30-day window, on 31 March 2016 at midnight.
const (
	sent     = "2016-03-01T00:00:00Z"
	due      = "2016-03-31T00:00:00Z"
	afterDue = "2016-03-31T00:00:01Z"
	inTime   = "2016-03-10T00:00:00Z"
)

func TestUSCNTimelyResponse(t *testing.T) {
	runVerdicts(t, builtinEvaluator(t), "us-cn-2015/timely-response", []verdictCase{
		{name: "no requests", want: na},
		{name: "request before the pledge", want: na,
			changes: []change{requests(request("r1", "US", "CN", information, "2015-09-24T23:59:59Z", "", noResponse, ""))}},
		{name: "request to a non-party", want: na,
			changes: []change{requests(request("r1", "US", "GB", information, sent, "", noResponse, ""))}},
		{name: "request within one party", want: na,
			changes: []change{requests(request("r1", "US", "US", information, sent, "", noResponse, ""))}},
		{name: "answered in time", want: notBreached,
			changes:     []change{requests(request("r1", "US", "CN", information, sent, inTime, assisted, ""))},
			obligations: []obl{{"CN", due, fulfilled}}},
		{name: "answered exactly at the due time", want: notBreached,
			changes:     []change{requests(request("r1", "US", "CN", assistance, sent, due, partial, ""))},
			obligations: []obl{{"CN", due, fulfilled}}},
		{name: "a refusal in time is a response", want: notBreached,
			changes:     []change{requests(request("r1", "US", "CN", evidence, sent, inTime, declined, noBasis))},
			obligations: []obl{{"CN", due, fulfilled}}},
		{name: "answered a second late", want: breached,
			changes:     []change{requests(request("r1", "US", "CN", information, sent, afterDue, assisted, ""))},
			obligations: []obl{{"CN", due, fulfilledLate}}, message: "after it was due on 2016-03-31"},
		{name: "unanswered, as of the due time", want: pending, asOf: due,
			changes:     []change{requests(request("r1", "US", "CN", information, sent, "", "", ""))},
			obligations: []obl{{"CN", due, open}}, message: "CN must respond to the request"},
		{name: "unanswered, a second after the due time", want: breached, asOf: afterDue,
			changes:     []change{requests(request("r1", "US", "CN", information, sent, "", "", ""))},
			obligations: []obl{{"CN", due, overdue}}, message: "did not respond"},
		{name: "no response recorded", want: breached,
			changes:     []change{requests(request("r1", "US", "CN", information, sent, "", noResponse, ""))},
			obligations: []obl{{"CN", due, overdue}}},
		{name: "answered after the evaluation time", want: pending, asOf: "2016-03-05",
			changes:     []change{requests(request("r1", "US", "CN", information, sent, inTime, assisted, ""))},
			obligations: []obl{{"CN", due, open}}},
		{name: "request sent exactly on the effective date", want: pending, asOf: "2015-10-01",
			changes:     []change{requests(request("r1", "CN", "US", information, usCNEffective, "", "", ""))},
			obligations: []obl{{"US", "2015-10-25", open}}},
		{name: "one answered, one open", want: pending, asOf: "2016-03-20",
			changes: []change{requests(
				request("r1", "US", "CN", information, "2016-02-01", "2016-02-10", assisted, ""),
				request("r2", "CN", "US", assistance, sent, "", "", ""))},
			obligations: []obl{{"CN", "2016-03-02", fulfilled}, {"US", due, open}}},
		{name: "one open, one overdue", want: breached, asOf: "2016-03-20",
			changes: []change{requests(
				request("r1", "US", "CN", information, "2016-02-01", "", "", ""),
				request("r2", "CN", "US", assistance, sent, "", "", ""))},
			obligations: []obl{{"CN", "2016-03-02", overdue}, {"US", due, open}}},
		{name: "requests unknown", want: indeterminate, changes: []change{unknownRequests},
			missing: []string{"incident.requests"}, residual: []string{"party_requests.size() > 0"}},
		{name: "request sent after the evaluation time", asOf: "2016-02-01", want: na,
			changes: []change{requests(request("r1", "US", "CN", information, sent, "", "", ""))}},
	})
}

func TestUSCNTimelyResponseWindowParameter(t *testing.T) {
	// A response 45 days after the request: late with the default 30 days,
	// in time with a 60-day reading of "timely".
	inc := build(t, ipTheft, requests(request("r1", "US", "CN", information, sent, "2016-04-15", assisted, "")))
	def := findingOf(t, builtinEvaluator(t), inc, defaultAsOf, "us-cn-2015/timely-response")
	assert.Equal(t, breached, def.Verdict)
	require.Len(t, def.Obligations, 1)
	assert.Equal(t, fulfilledLate, def.Obligations[0].Status)

	ev := newEvaluator(t, norms.WithParam("us-cn-2015", "response_window", "P60D"))
	long := findingOf(t, ev, inc, defaultAsOf, "us-cn-2015/timely-response")
	assert.Equal(t, notBreached, long.Verdict)
	require.Len(t, long.Obligations, 1)
	assert.Equal(t, fulfilled, long.Obligations[0].Status)
	assert.True(t, long.Obligations[0].Due.Equal(at("2016-04-30")), "due %v", long.Obligations[0].Due)

	// The parameter also moves pending into overdue and back.
	unanswered := build(t, ipTheft, requests(request("r1", "US", "CN", information, sent, "", "", "")))
	assert.Equal(t, breached, findingOf(t, builtinEvaluator(t), unanswered, at("2016-04-15"), "us-cn-2015/timely-response").Verdict)
	assert.Equal(t, pending, findingOf(t, ev, unanswered, at("2016-04-15"), "us-cn-2015/timely-response").Verdict)
	// The cooperation norm reads the same window.
	coop := build(t, ipTheft, requests(request("r1", "US", "CN", investigation, sent, "", "", "")))
	assert.Equal(t, pending, findingOf(t, ev, coop, at("2016-04-15"), "us-cn-2015/cooperation").Verdict)

	// Another pack's parameter of the same name is untouched.
	ci := build(t, gridAttack, requests(request("r1", "UA", "RU", assistance, sent, "2016-04-15", assisted, "")))
	assert.Equal(t, breached, findingOf(t, ev, ci, defaultAsOf, "un-gge-2015/13h").Verdict)
	ev13h := newEvaluator(t, norms.WithParam("un-gge-2015", "response_window", "P60D"))
	assert.Equal(t, notBreached, findingOf(t, ev13h, ci, defaultAsOf, "un-gge-2015/13h").Verdict)

	// A bad override is an error of Compile.
	packs, err := norms.Builtin()
	require.NoError(t, err)
	_, err = norms.Compile(packs, norms.WithParam("us-cn-2015", "no_such_param", "P1D"))
	assert.Error(t, err)
	_, err = norms.Compile(packs, norms.WithParam("us-cn-2015", "response_window", "thirty days"))
	assert.Error(t, err)
}

func TestUSCNCooperation(t *testing.T) {
	runVerdicts(t, builtinEvaluator(t), "us-cn-2015/cooperation", []verdictCase{
		{name: "no requests", want: na},
		{name: "only a request for information", want: na,
			changes: []change{requests(request("r1", "US", "CN", information, sent, "", "", ""))}},
		{name: "request before the pledge", want: na,
			changes: []change{requests(request("r1", "US", "CN", investigation, "2015-09-24T23:59:59Z", "", noResponse, ""))}},
		{name: "request sent on the effective date", want: breached, asOf: "2015-10-25T00:00:01Z",
			changes:     []change{requests(request("r1", "US", "CN", investigation, usCNEffective, "", "", ""))},
			obligations: []obl{{"CN", "2015-10-25", overdue}}},
		{name: "assisted", want: notBreached,
			changes:     []change{requests(request("r1", "US", "CN", investigation, sent, inTime, assisted, ""))},
			obligations: []obl{{"CN", due, fulfilled}}},
		{name: "partial, at the due time", want: notBreached,
			changes:     []change{requests(request("r1", "CN", "US", evidence, sent, due, partial, ""))},
			obligations: []obl{{"US", due, fulfilled}}},
		{name: "declined under national law", want: notBreached, loopholes: []string{"national-law"},
			changes: []change{requests(request("r1", "US", "CN", mitigation, sent, inTime, declined, nationalLaw))}},
		{name: "declined under an international obligation", want: notBreached, loopholes: []string{"national-law"},
			changes: []change{requests(request("r1", "US", "CN", evidence, sent, inTime, declined, internationalOblig))}},
		{name: "declined without a basis", want: breached, message: "declined without a basis",
			changes:     []change{requests(request("r1", "US", "CN", investigation, sent, inTime, declined, noBasis))},
			obligations: []obl{{"CN", due, fulfilled}}},
		{name: "one of two declined without a basis", want: breached,
			changes: []change{requests(
				request("r1", "US", "CN", investigation, sent, inTime, assisted, ""),
				request("r2", "US", "CN", evidence, sent, inTime, declined, noBasis))}},
		{name: "unanswered and not yet due", want: pending, asOf: due,
			changes:     []change{requests(request("r1", "US", "CN", investigation, sent, "", "", ""))},
			obligations: []obl{{"CN", due, open}}},
		{name: "no response past the window", want: breached, asOf: afterDue,
			changes:     []change{requests(request("r1", "US", "CN", investigation, sent, "", noResponse, ""))},
			obligations: []obl{{"CN", due, overdue}}},
		{name: "requests unknown", want: indeterminate, changes: []change{unknownRequests},
			missing: []string{"incident.requests"}, residual: []string{"cooperation_requests"}},
		{name: "declined with the basis unknown", want: indeterminate,
			changes:  []change{requests(request("r1", "US", "CN", investigation, sent, inTime, declined, basisAbsent))},
			missing:  []string{"incident.requests[0].declined_basis"},
			residual: []string{"declined_basis"}},
		{name: "answered in time with the outcome unknown", want: indeterminate,
			changes: []change{requests(request("r1", "US", "CN", investigation, sent, inTime, noOutcome, ""))},
			missing: []string{"incident.requests[0].declined_basis", "incident.requests[0].outcome"}},
		{name: "assisted, but after the window", want: notBreached,
			changes: []change{requests(request("r1", "US", "CN", investigation, sent, afterDue, assisted, ""))}},
	})
}

func TestUNGGE13c(t *testing.T) {
	// The base: activity from CN territory caused data loss in the US.
	// Notified on 1 February 2016; the mitigation window closes on 2 March.
	const (
		told     = "2016-02-01T00:00:00Z"
		due13c   = "2016-03-02T00:00:00Z"
		after13c = "2016-03-02T00:00:01Z"
	)
	runVerdicts(t, builtinEvaluator(t), "un-gge-2015/13c", []verdictCase{
		{name: "never knew", changes: []change{relation(noRelation)}, want: notBreached},
		{name: "origin is the victim's own state", changes: []change{origin("US")}, want: na},
		{name: "origin among the victim states", changes: []change{addVictim("CN", "energy", ptr(false))}, want: na},
		{name: "no harmful effects", changes: []change{impact(incident.ImpactNone)}, want: na},
		{name: "conduct ended before the report", changes: []change{period("2014-01-01", "2015-07-21T23:59:59Z")}, want: na},
		{name: "notified and mitigated in time", want: notBreached,
			changes:     []change{notified("US", "CN", told), mitigated("CN", "2016-02-15")},
			obligations: []obl{{"CN", due13c, fulfilled}}},
		{name: "mitigated exactly at the end of the window", want: notBreached,
			changes:     []change{notified("US", "CN", told), mitigated("CN", due13c)},
			obligations: []obl{{"CN", due13c, fulfilled}}},
		{name: "mitigated a second late", want: breached,
			changes:     []change{notified("US", "CN", told), mitigated("CN", after13c)},
			obligations: []obl{{"CN", due13c, fulfilledLate}}},
		{name: "notified, nothing done, window open", want: pending, asOf: due13c,
			changes:     []change{notified("US", "CN", told)},
			obligations: []obl{{"CN", due13c, open}}},
		{name: "notified, nothing done, window closed", want: breached, asOf: after13c,
			changes:     []change{notified("US", "CN", told)},
			obligations: []obl{{"CN", due13c, overdue}}},
		{name: "the earliest notification counts", want: breached,
			changes:     []change{notified("US", "CN", "2016-04-01"), notified("US", "CN", told), mitigated("CN", "2016-04-10")},
			obligations: []obl{{"CN", due13c, fulfilledLate}}},
		{name: "a mitigation before knowing does not count", want: breached,
			changes:     []change{notified("US", "CN", told), mitigated("CN", "2016-01-15")},
			obligations: []obl{{"CN", due13c, overdue}}},
		{name: "a mitigation by another state does not count", want: breached,
			changes: []change{notified("US", "CN", told), mitigated("US", "2016-02-15")}},
		{name: "a notification by a non-victim does not count", want: notBreached,
			changes: []change{notified("GB", "CN", told)}},
		{name: "toleration is knowledge from the start", want: breached,
			changes:     []change{relation(tolerated)},
			obligations: []obl{{"CN", "2016-01-31", overdue}}},
		{name: "toleration by a state other than the territorial state", want: notBreached,
			changes: []change{relation(tolerated), actorState("RU")}},
		{name: "notifications unknown", want: indeterminate, changes: []change{unknownNotifications},
			missing: []string{"incident.notifications"}, residual: []string{"mitigation_deadline_missed", "territory_notified_at = incident.notifications"}},
		{name: "origin unknown", want: indeterminate, changes: []change{noOrigin, notified("US", "CN", told)},
			missing: []string{"incident.origin"}, residual: []string{"incident.origin.territory"}},
		{name: "relation unknown, but late whether or not it tolerated", want: breached,
			changes: []change{relation(unknownRelation), notified("US", "CN", told), mitigated("CN", "2016-12-01")}},
	})
}

func TestUNGGE13f(t *testing.T) {
	runVerdicts(t, builtinEvaluator(t), "un-gge-2015/13f", []verdictCase{
		{name: "intentional disruption by an organ", base: gridAttack, want: breached,
			message: "Unit 74455 (RU) intentionally caused disruption to critical infrastructure of UA"},
		{name: "damage", base: gridAttack, changes: []change{impact(incident.ImpactDamage)}, want: breached},
		{name: "destruction by a directed proxy", base: gridAttack, changes: []change{impact(incident.ImpactDestruction), kind(incident.KindContractor), relation(directed)}, want: breached},
		{name: "knowingly supported", base: gridAttack, changes: []change{relation(knowinglySupported)}, want: breached},
		{name: "conduct ended on the report's day", base: gridAttack, changes: []change{period("2015-07-01", ggeEffective)}, want: breached},
		{name: "conduct ended before the report", base: gridAttack, changes: []change{period("2015-07-01", "2015-07-21T23:59:59Z")}, want: na},
		{name: "no critical infrastructure", base: gridAttack, changes: []change{victim("UA", "retail", ptr(false))}, want: na},
		{name: "data loss only", base: gridAttack, changes: []change{impact(incident.ImpactDataLoss)}, want: notBreached},
		{name: "pre-positioning without effects", base: gridAttack,
			changes: []change{activity(incident.ActivityIntrusion, incident.ActivityPrePositioning), impact(incident.ImpactNone), intentional(nil)},
			want:    notBreached, loopholes: []string{"pre-positioning"}},
		{name: "unintended disruption", base: gridAttack, changes: []change{intentional(ptr(false))}, want: notBreached,
			loopholes: []string{"unintended"}},
		{name: "supported without proven knowledge", base: gridAttack, changes: []change{relation(supported)}, want: notBreached},
		{name: "tolerated", base: gridAttack, changes: []change{relation(tolerated)}, want: notBreached},
		{name: "relation unknown", base: gridAttack, changes: []change{relation(unknownRelation)}, want: indeterminate,
			missing: []string{"incident.actor.relation"}, residual: []string{"conducted_or_knowingly_supported", "attributable(incident.actor.relation)"}},
		{name: "origin alone does not attribute", base: gridAttack, changes: []change{noActor, origin("RU")}, want: indeterminate,
			missing: []string{"incident.actor"}},
		{name: "origin with no state involvement", base: gridAttack, changes: []change{relation(noRelation)}, want: notBreached},
		{name: "intent unknown", base: gridAttack, changes: []change{intentional(nil)}, want: indeterminate,
			missing: []string{"incident.effects.intentional"}, residual: []string{"incident.effects.intentional"}},
		{name: "critical infrastructure unknown", base: gridAttack, changes: []change{victim("UA", "energy", nil)}, want: indeterminate,
			missing: []string{"incident.victims[0].critical_infrastructure"}, message: "whether the norm applies"},
		{name: "no effects beside unknown critical infrastructure", base: gridAttack,
			changes: []change{victim("UA", "energy", nil), impact(incident.ImpactNone)}, want: notBreached},
	})
}

func TestUNGGE13h(t *testing.T) {
	runVerdicts(t, builtinEvaluator(t), "un-gge-2015/13h", []verdictCase{
		{name: "no requests", base: gridAttack, want: na},
		{name: "answered in time", base: gridAttack, want: notBreached,
			changes:     []change{requests(request("r1", "UA", "RU", assistance, sent, inTime, declined, noBasis))},
			obligations: []obl{{"RU", due, fulfilled}}},
		{name: "answered at the due time", base: gridAttack, want: notBreached,
			changes:     []change{requests(request("r1", "UA", "US", assistance, sent, due, assisted, ""))},
			obligations: []obl{{"US", due, fulfilled}}},
		{name: "answered late", base: gridAttack, want: breached,
			changes:     []change{requests(request("r1", "UA", "RU", assistance, sent, afterDue, partial, ""))},
			obligations: []obl{{"RU", due, fulfilledLate}}},
		{name: "open at the due time", base: gridAttack, want: pending, asOf: due,
			changes:     []change{requests(request("r1", "UA", "RU", mitigation, sent, "", "", ""))},
			obligations: []obl{{"RU", due, open}}},
		{name: "overdue a second later", base: gridAttack, want: breached, asOf: afterDue,
			changes:     []change{requests(request("r1", "UA", "RU", mitigation, sent, "", "", ""))},
			obligations: []obl{{"RU", due, overdue}}},
		{name: "request from a victim whose entity is not critical infrastructure", want: na,
			changes: []change{requests(request("r1", "US", "CN", assistance, sent, "", "", ""))}},
		{name: "request from a state that is no victim", base: gridAttack, want: na,
			changes: []change{requests(request("r1", "GB", "RU", assistance, sent, "", "", ""))}},
		{name: "request before the report", base: gridAttack, want: na,
			changes: []change{period("2015-07-01", ""), requests(request("r1", "UA", "RU", assistance, "2015-07-21", "", "", ""))}},
		{name: "request sent on the report's day", base: gridAttack, want: breached,
			changes:     []change{period("2015-07-01", ""), requests(request("r1", "UA", "RU", assistance, ggeEffective, "", "", ""))},
			obligations: []obl{{"RU", "2015-08-21", overdue}}},
		{name: "requests unknown", base: gridAttack, want: indeterminate, changes: []change{unknownRequests},
			missing: []string{"incident.requests"}, residual: []string{"ci_requests.size() > 0"}},
		{name: "critical infrastructure unknown", base: gridAttack, want: indeterminate,
			changes: []change{victim("UA", "energy", nil), requests(request("r1", "UA", "RU", assistance, sent, "", "", ""))},
			missing: []string{"incident.victims[0].critical_infrastructure"}},
	})
}

func TestUNGGE13k(t *testing.T) {
	cert := victim("US", "cert", ptr(false))
	runVerdicts(t, builtinEvaluator(t), "un-gge-2015/13k", []verdictCase{
		{name: "data taken from a foreign CERT by a directed proxy", changes: []change{cert}, want: breached},
		{name: "CERT disrupted by an organ", base: gridAttack, changes: []change{cert}, want: breached},
		{name: "knowingly supported", changes: []change{cert, relation(knowinglySupported)}, want: breached},
		{name: "no CERT among the victims", want: na},
		{name: "the actor's own CERT", changes: []change{victim("CN", "cert", ptr(false))}, want: na},
		{name: "conduct ended before the report", changes: []change{cert, period("2014-01-01", "2015-01-01")}, want: na},
		{name: "no harm", changes: []change{cert, impact(incident.ImpactNone)}, want: notBreached},
		{name: "supported without proven knowledge", changes: []change{cert, relation(supported)}, want: notBreached},
		{name: "relation unknown", changes: []change{cert, relation(unknownRelation)}, want: indeterminate,
			missing: []string{"incident.actor.relation"}},
		{name: "impact unknown", changes: []change{cert, impact(incident.ImpactUnknown)}, want: indeterminate,
			missing: []string{"incident.effects.impact"}, residual: []string{"incident.effects.impact in"}},
		{name: "sector unknown", changes: []change{victim("US", "", ptr(false))}, want: indeterminate,
			missing: []string{"incident.victims[0].sector"}},
		{name: "sector unknown beside a known no-harm", changes: []change{victim("US", "", ptr(false)), impact(incident.ImpactNone)}, want: notBreached},
	})
}

func TestIntlLawSovereignty(t *testing.T) {
	runVerdicts(t, builtinEvaluator(t), "intl-law/sovereignty", []verdictCase{
		{name: "disruption by an organ", base: gridAttack, want: breached, message: "conduct attributable to RU (organ) caused disruption in UA"},
		{name: "destruction by a directed proxy", base: gridAttack, changes: []change{kind(incident.KindContractor), relation(directed), impact(incident.ImpactDestruction)}, want: breached},
		{name: "acknowledged damage", base: gridAttack, changes: []change{relation(acknowledged), impact(incident.ImpactDamage)}, want: breached},
		{name: "customary law has no start date", base: gridAttack, changes: []change{period("2008-08-07", "2008-08-12")}, want: breached},
		{name: "data loss", want: notBreached, loopholes: []string{"espionage-without-effects"}},
		{name: "no effects", base: gridAttack, changes: []change{impact(incident.ImpactNone)}, want: notBreached, loopholes: []string{"espionage-without-effects"}},
		{name: "knowing support is not attribution", base: gridAttack, changes: []change{relation(knowinglySupported)}, want: notBreached,
			loopholes: []string{"not-attributed"}},
		{name: "tolerated", base: gridAttack, changes: []change{relation(tolerated)}, want: notBreached, loopholes: []string{"not-attributed"}},
		{name: "origin with no state involvement", base: gridAttack, changes: []change{relation(noRelation)}, want: notBreached, loopholes: []string{"not-attributed"}},
		{name: "the actor's own state only", base: gridAttack, changes: []change{victim("RU", "energy", ptr(true))}, want: na},
		{name: "origin alone does not attribute", base: gridAttack, changes: []change{relation(unknownRelation)}, want: indeterminate,
			missing: []string{"incident.actor.relation"}, residual: []string{"attributable(incident.actor.relation)"}},
		{name: "no actor at all", base: gridAttack, changes: []change{noActor}, want: indeterminate, missing: []string{"incident.actor"}},
		{name: "impact unknown", base: gridAttack, changes: []change{impact(incident.ImpactUnknown)}, want: indeterminate,
			missing: []string{"incident.effects.impact"}},
		{name: "actor's state unknown beside data loss", changes: []change{actorState("")}, want: notBreached,
			loopholes: []string{"espionage-without-effects"}},
	})
}

func TestIntlLawProxies(t *testing.T) {
	proxy := []change{kind(incident.KindContractor), relation(directed)}
	with := func(cs ...change) []change { return append(append([]change{}, proxy...), cs...) }
	runVerdicts(t, builtinEvaluator(t), "intl-law/proxies", []verdictCase{
		{name: "directed contractor disrupted another state", base: gridAttack, changes: proxy, want: breached,
			message: "Unit 74455 (contractor) acted under the direction of RU"},
		{name: "patriotic hackers", base: gridAttack, changes: with(kind(incident.KindPatrioticHackers)), want: breached},
		{name: "criminal group", base: gridAttack, changes: with(kind(incident.KindCriminalGroup)), want: breached},
		{name: "hacktivists", base: gridAttack, changes: with(kind(incident.KindHacktivists)), want: breached},
		{name: "a state organ is no proxy", base: gridAttack, want: na},
		{name: "intelligence service", base: gridAttack, changes: []change{kind(incident.KindIntelligence)}, want: na},
		{name: "supported, not directed", base: gridAttack, changes: with(relation(supported)), want: notBreached,
			loopholes: []string{"support-not-direction"}},
		{name: "knowingly supported, not directed", base: gridAttack, changes: with(relation(knowinglySupported)), want: notBreached,
			loopholes: []string{"support-not-direction"}},
		{name: "acknowledged, not directed", base: gridAttack, changes: with(relation(acknowledged)), want: notBreached},
		{name: "directed, but no breach of sovereignty", changes: proxy, want: notBreached},
		{name: "directed, against its own state", base: gridAttack, changes: with(victim("RU", "energy", ptr(true))), want: notBreached},
		{name: "kind unknown", base: gridAttack, changes: with(kind(incident.KindUnknown)), want: indeterminate,
			missing: []string{"incident.actor.kind"}, message: "whether the norm applies"},
		{name: "relation unknown", base: gridAttack, changes: with(relation(unknownRelation)), want: indeterminate,
			missing: []string{"incident.actor.relation"}, residual: []string{`incident.actor.relation == "directed"`}},
		{name: "kind unknown beside data loss", changes: []change{kind(incident.KindUnknown)}, want: notBreached},
	})
}

// TestOneUnknownManyNorms checks that a single unknown fact is named by
// every norm it decides, and by no other.
func TestOneUnknownManyNorms(t *testing.T) {
	inc := build(t, gridAttack, kind(incident.KindContractor), relation(unknownRelation))
	rep, err := builtinEvaluator(t).Evaluate(context.Background(), inc, evaluate.AsOf(defaultAsOf))
	require.NoError(t, err)
	for _, f := range rep.Findings {
		switch f.Norm {
		case "un-gge-2015/13f", "intl-law/sovereignty", "intl-law/proxies":
			assert.Equal(t, indeterminate, f.Verdict, f.Norm)
			assert.Equal(t, []string{"incident.actor.relation"}, f.Missing, f.Norm)
		case "un-gge-2015/13c":
			// Known: RU territory, UA victim, disruption; nobody notified;
			// the relation decides whether RU tolerated it.
			assert.Equal(t, indeterminate, f.Verdict, f.Norm)
			assert.Equal(t, []string{"incident.actor.relation"}, f.Missing, f.Norm)
		default:
			assert.NotEqual(t, indeterminate, f.Verdict, "%s: %s", f.Norm, f.Message)
		}
	}
}

func TestEvaluateErrors(t *testing.T) {
	ev := builtinEvaluator(t)
	_, err := ev.Evaluate(context.Background(), nil, evaluate.AsOf(defaultAsOf))
	assert.Error(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = ev.Evaluate(ctx, ipTheft(), evaluate.AsOf(defaultAsOf))
	assert.ErrorIs(t, err, context.Canceled)

	_, err = evaluate.New(nil)
	assert.Error(t, err)
	packs, err := norms.Builtin()
	require.NoError(t, err)
	rs, err := norms.Compile(packs)
	require.NoError(t, err)
	_, err = evaluate.New(rs, evaluate.WithCostLimit(0))
	assert.Error(t, err)
}
