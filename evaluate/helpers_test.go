package evaluate_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/norms"
)

// defaultAsOf is the evaluation time of every case that does not set one.
var defaultAsOf = at("2026-01-01T00:00:00Z")

// at parses an RFC 3339 time, or a date ("2016-03-01") at midnight UTC.
func at(s string) time.Time {
	if len(s) == len("2006-01-02") {
		s += "T00:00:00Z"
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// change edits an incident built by one of the base builders.
type change func(*incident.Incident)

// ipTheft is a complete incident, every fact known, that breaches both IP
// pledges: a Chinese contractor directed by the state took US trade secrets
// for competitive advantage in the first half of 2016. It reaches nothing
// else: no critical infrastructure, no CERT, no requests, data loss only.
func ipTheft() *incident.Incident {
	return &incident.Incident{
		ID:     "case",
		Title:  "test case",
		Period: incident.Period{Start: at("2016-01-01"), End: at("2016-06-30")},
		Victims: []incident.Victim{
			{State: "US", Sector: "manufacturing", Entity: "Acme Corp.", CriticalInfrastructure: ptr(false)},
		},
		Origin:        &incident.Origin{Territory: "CN"},
		Actor:         &incident.Actor{Name: "Unit X", Kind: incident.KindContractor, State: "CN", Relation: incident.RelationDirected},
		Activity:      []incident.Activity{incident.ActivityIntrusion, incident.ActivityDataTheft},
		DataTaken:     []incident.DataKind{incident.DataTradeSecrets},
		Purpose:       incident.PurposeCompetitiveAdvantage,
		Beneficiaries: []incident.Beneficiary{},
		Effects:       &incident.Effects{Impact: incident.ImpactDataLoss, Intentional: ptr(true)},
		Attributions:  []incident.Attribution{},
		Notifications: []incident.Notification{},
		Mitigations:   []incident.Mitigation{},
		Requests:      []incident.Request{},
		Sources:       []incident.Source{},
	}
}

// gridAttack is a complete incident that breaches 13(f) and sovereignty: a
// military unit of RU intentionally disrupted Ukrainian power distribution in
// December 2016. Nothing was taken.
func gridAttack() *incident.Incident {
	inc := ipTheft()
	inc.Period = incident.Period{Start: at("2016-12-17"), End: at("2016-12-18")}
	inc.Victims = []incident.Victim{{State: "UA", Sector: "energy", Entity: "Kyivenergo", CriticalInfrastructure: ptr(true)}}
	inc.Origin = &incident.Origin{Territory: "RU"}
	inc.Actor = &incident.Actor{Name: "Unit 74455", Kind: incident.KindMilitary, State: "RU", Relation: incident.RelationOrgan}
	inc.Activity = []incident.Activity{incident.ActivityIntrusion, incident.ActivityDisruption}
	inc.DataTaken = []incident.DataKind{}
	inc.Purpose = incident.PurposeDisruption
	inc.Effects = &incident.Effects{Impact: incident.ImpactDisruption, Intentional: ptr(true)}
	return inc
}

// Changes used by many cases.

func relation(r incident.Relation) change { return func(i *incident.Incident) { i.Actor.Relation = r } }
func kind(k incident.ActorKind) change    { return func(i *incident.Incident) { i.Actor.Kind = k } }
func actorState(s incident.State) change {
	return func(i *incident.Incident) { i.Actor.State = s }
}
func purpose(p incident.Purpose) change { return func(i *incident.Incident) { i.Purpose = p } }
func impact(x incident.Impact) change   { return func(i *incident.Incident) { i.Effects.Impact = x } }
func intentional(b *bool) change        { return func(i *incident.Incident) { i.Effects.Intentional = b } }
func ended(s string) change             { return func(i *incident.Incident) { i.Period.End = at(s) } }
func period(start, end string) change {
	return func(i *incident.Incident) {
		i.Period.Start = at(start)
		i.Period.End = time.Time{}
		if end != "" {
			i.Period.End = at(end)
		}
	}
}
func origin(s incident.State) change {
	return func(i *incident.Incident) { i.Origin = &incident.Origin{Territory: s} }
}
func dataTaken(d ...incident.DataKind) change {
	return func(i *incident.Incident) { i.DataTaken = append([]incident.DataKind{}, d...) }
}
func activity(a ...incident.Activity) change {
	return func(i *incident.Incident) { i.Activity = append([]incident.Activity{}, a...) }
}
func beneficiaries(kinds ...incident.BeneficiaryKind) change {
	return func(i *incident.Incident) {
		i.Beneficiaries = []incident.Beneficiary{}
		for _, k := range kinds {
			i.Beneficiaries = append(i.Beneficiaries, incident.Beneficiary{Kind: k, State: i.Actor.State})
		}
	}
}

// victim replaces the victims with one: state, sector and whether it is
// critical infrastructure (nil: unknown).
func victim(state incident.State, sector string, critical *bool) change {
	return func(i *incident.Incident) {
		i.Victims = []incident.Victim{{State: state, Sector: sector, Entity: "Victim", CriticalInfrastructure: critical}}
	}
}

// addVictim adds a victim.
func addVictim(state incident.State, sector string, critical *bool) change {
	return func(i *incident.Incident) {
		i.Victims = append(i.Victims, incident.Victim{State: state, Sector: sector, Entity: "Victim", CriticalInfrastructure: critical})
	}
}

// request builds a request; responded "" means no response yet.
func request(id string, from, to incident.State, k incident.RequestKind, sent, responded string, out incident.Outcome, basis incident.DeclinedBasis) incident.Request {
	r := incident.Request{ID: id, From: from, To: to, Kind: k, SentAt: at(sent), Outcome: out, DeclinedBasis: basis}
	if responded != "" {
		r.RespondedAt = at(responded)
	}
	return r
}

func requests(rs ...incident.Request) change {
	return func(i *incident.Incident) { i.Requests = append([]incident.Request{}, rs...) }
}

func notified(from, to incident.State, when string) change {
	return func(i *incident.Incident) {
		i.Notifications = append(i.Notifications, incident.Notification{From: from, To: to, At: at(when), Channel: incident.Channel("diplomatic")})
	}
}

func mitigated(by incident.State, when string) change {
	return func(i *incident.Incident) {
		i.Mitigations = append(i.Mitigations, incident.Mitigation{By: by, At: at(when), Action: "took the servers down"})
	}
}

// unknown makes facts unknown by removing them, as a document that leaves
// them out would.
func unknownPurpose(i *incident.Incident)       { i.Purpose = "" }
func unknownBeneficiaries(i *incident.Incident) { i.Beneficiaries = nil }
func unknownDataTaken(i *incident.Incident)     { i.DataTaken = nil }
func unknownRequests(i *incident.Incident)      { i.Requests = nil }
func unknownNotifications(i *incident.Incident) { i.Notifications = nil }
func noActor(i *incident.Incident)              { i.Actor = nil }
func noOrigin(i *incident.Incident)             { i.Origin = nil }

// build applies changes to a base incident and checks that the result is a
// valid incident, so no case tests an input the decoder would refuse.
func build(t testing.TB, base func() *incident.Incident, changes ...change) *incident.Incident {
	t.Helper()
	inc := base()
	for _, c := range changes {
		c(inc)
	}
	require.NoError(t, inc.Validate(), "the case builds an invalid incident")
	return inc
}

// builtinEvaluator returns the shared evaluator of the built-in packs.
func builtinEvaluator(t testing.TB) *evaluate.Evaluator {
	t.Helper()
	ev, err := evaluate.Builtin()
	require.NoError(t, err)
	return ev
}

// newEvaluator compiles the built-in packs with options, e.g. a parameter.
func newEvaluator(t testing.TB, opts ...norms.CompileOption) *evaluate.Evaluator {
	t.Helper()
	packs, err := norms.Builtin()
	require.NoError(t, err)
	rs, err := norms.Compile(packs, opts...)
	require.NoError(t, err)
	ev, err := evaluate.New(rs)
	require.NoError(t, err)
	return ev
}

// findingOf evaluates an incident and returns one norm's finding.
func findingOf(t testing.TB, ev *evaluate.Evaluator, inc *incident.Incident, asOf time.Time, norm string) evaluate.Finding {
	t.Helper()
	rep, err := ev.Evaluate(context.Background(), inc, evaluate.AsOf(asOf))
	require.NoError(t, err)
	f, ok := rep.Finding(norm)
	require.True(t, ok, "no finding for %s", norm)
	return f
}

func loopholeIDs(f evaluate.Finding) []string {
	var ids []string
	for _, l := range f.Loopholes {
		ids = append(ids, l.ID)
	}
	return ids
}

// obl is the expected part of an obligation.
type obl struct {
	bearer string
	due    string
	status evaluate.ObligationStatus
}

// verdictCase is one case of a norm's verdict table.
type verdictCase struct {
	name    string
	base    func() *incident.Incident // default ipTheft
	changes []change
	asOf    string // default defaultAsOf
	want    evaluate.Verdict
	// loopholes are the ids of the loopholes expected, exactly (nil: none).
	loopholes []string
	// missing, when set, are the facts an indeterminate finding names, exactly.
	missing []string
	// residual are fragments the residual must contain.
	residual []string
	// obligations, when set, are the duties expected, in order.
	obligations []obl
	// message is a fragment the message must contain.
	message string
}

// runVerdicts runs a verdict table against one norm.
func runVerdicts(t *testing.T, ev *evaluate.Evaluator, norm string, cases []verdictCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base := tc.base
			if base == nil {
				base = ipTheft
			}
			inc := build(t, base, tc.changes...)
			asOf := defaultAsOf
			if tc.asOf != "" {
				asOf = at(tc.asOf)
			}
			f := findingOf(t, ev, inc, asOf, norm)
			checkFinding(t, tc, f)
		})
	}
}

func checkFinding(t assert.TestingT, tc verdictCase, f evaluate.Finding) {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
	if !assert.Equal(t, tc.want, f.Verdict, "verdict; message %q, missing %v, residual %q", f.Message, f.Missing, f.Residual) {
		return
	}
	assert.Empty(t, f.Error)
	assert.NotEmpty(t, f.Message)
	assert.NotEmpty(t, f.Citation.Quote, "every finding cites its text")
	if tc.loopholes == nil {
		assert.Empty(t, loopholeIDs(f), "loopholes")
	} else {
		assert.Equal(t, tc.loopholes, loopholeIDs(f), "loopholes")
	}
	if f.Verdict == evaluate.Indeterminate {
		assert.NotEmpty(t, f.Missing, "an indeterminate finding names the facts that decide it")
		assert.NotEmpty(t, f.Residual, "an indeterminate finding gives the condition left over")
		assert.Len(t, slices.Compact(slices.Clone(f.Missing)), len(f.Missing), "missing names each fact once: %v", f.Missing)
	} else {
		assert.Empty(t, f.Missing, "only indeterminate findings name missing facts")
		assert.Empty(t, f.Residual, "only indeterminate findings carry a residual")
	}
	if tc.missing != nil {
		assert.Equal(t, tc.missing, f.Missing, "missing")
	}
	for _, frag := range tc.residual {
		assert.Contains(t, f.Residual, frag, "residual")
	}
	if tc.message != "" {
		assert.Contains(t, f.Message, tc.message, "message")
	}
	if tc.obligations != nil {
		got := make([]obl, len(f.Obligations))
		for i, o := range f.Obligations {
			got[i] = obl{bearer: o.Bearer, due: o.Due.UTC().Format(time.RFC3339), status: o.Status}
			assert.NotEmpty(t, o.Duty)
			assert.NotEmpty(t, o.Trigger)
			assert.False(t, o.TriggeredAt.IsZero(), "an obligation has a trigger time")
			if o.Status == evaluate.StatusFulfilled || o.Status == evaluate.StatusFulfilledLate {
				assert.False(t, o.DoneAt.IsZero(), "a discharged obligation says when")
			} else {
				assert.True(t, o.DoneAt.IsZero(), "an open obligation has no done time")
			}
		}
		want := make([]obl, len(tc.obligations))
		for i, o := range tc.obligations {
			want[i] = obl{bearer: o.bearer, due: at(o.due).Format(time.RFC3339), status: o.status}
		}
		assert.Equal(t, want, got, "obligations")
	}
}
