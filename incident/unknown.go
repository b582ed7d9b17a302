package incident

import (
	"strconv"
	"strings"
)

// Fact names a fact of the model that can be unknown, with list indexes
// collapsed: FactVictimCritical is victims[].critical_infrastructure of every
// victim. The evaluator compares the facts a rule reads with the facts an
// incident lacks, and evaluates precisely (with unknowns) only when they meet.
type Fact uint8

// The facts that can be unknown.
const (
	FactTitle Fact = iota
	FactVictimSector
	FactVictimEntity
	FactVictimCritical
	FactOrigin
	FactOriginTerritory
	FactActor
	FactActorName
	FactActorKind
	FactActorState
	FactActorRelation
	FactActivity
	FactDataTaken
	FactPurpose
	FactBeneficiaries
	FactBeneficiaryState
	FactEffects
	FactEffectsImpact
	FactEffectsIntentional
	FactAttributions
	FactAttributionAt
	FactAttributionForm
	FactAttributionConfidence
	FactAttributionSource
	FactNotifications
	FactNotificationChannel
	FactMitigations
	FactMitigationAction
	FactRequests
	FactRequestOutcome
	FactRequestDeclinedBasis
	FactSources
	FactSourceURL
	numFacts
)

var factPaths = [numFacts]string{
	"title", "victims[].sector", "victims[].entity", "victims[].critical_infrastructure",
	"origin", "origin.territory", "actor", "actor.name", "actor.kind", "actor.state", "actor.relation",
	"activity", "data_taken", "purpose", "beneficiaries", "beneficiaries[].state",
	"effects", "effects.impact", "effects.intentional",
	"attributions", "attributions[].at", "attributions[].form", "attributions[].confidence", "attributions[].source",
	"notifications", "notifications[].channel", "mitigations", "mitigations[].action",
	"requests", "requests[].outcome", "requests[].declined_basis", "sources", "sources[].url",
}

// Path returns the fact's path below the incident, e.g. "actor.relation" or
// "victims[].critical_infrastructure".
func (f Fact) Path() string { return factPaths[f] }

// FactOf returns the fact at a path such as "actor.relation".
func FactOf(path string) (Fact, bool) {
	for f, p := range factPaths {
		if p == path {
			return Fact(f), true
		}
	}
	return 0, false
}

// String returns the path.
func (f Fact) String() string { return f.Path() }

// FactSet is a set of facts.
type FactSet uint64

// AllFacts holds every fact.
const AllFacts FactSet = 1<<numFacts - 1

// Has reports whether f is in the set.
func (s FactSet) Has(f Fact) bool { return s&(1<<f) != 0 }

// Facts lists the facts in the set.
func (s FactSet) Facts() []Fact {
	var out []Fact
	for f := range numFacts {
		if s.Has(f) {
			out = append(out, f)
		}
	}
	return out
}

// FactsAt returns the facts that reading the value at path may depend on: the
// fact at path, the facts above it (an unknown actor makes actor.relation
// unknown) and, unless exact, the facts below it (reading the whole actor
// reads actor.relation). Paths use "[]" for list elements:
// "victims[].critical_infrastructure". exact is for a list that is only
// iterated or measured, whose elements' fields are read elsewhere.
func FactsAt(path string, exact bool) FactSet {
	var s FactSet
	for f, p := range factPaths {
		if p == path || under(path, p) || (!exact && under(p, path)) {
			s |= 1 << f
		}
	}
	return s
}

// under reports whether path p lies strictly below path q.
func under(p, q string) bool {
	return strings.HasPrefix(p, q) && (p[len(q)] == '.' || p[len(q)] == '[')
}

// UnknownFacts returns the set of facts the incident lacks (see [Incident.Unknowns]).
// It does not allocate.
func (inc *Incident) UnknownFacts() FactSet {
	var s FactSet
	inc.eachUnknown(func(f Fact, _ int) { s |= 1 << f })
	return s
}

// Unknowns returns the unknown facts of the incident as paths in the notation
// of CEL rules ("incident.purpose", "incident.victims[0].critical_infrastructure"),
// in document order. A fact is unknown when it is absent or an enum reads
// "unknown"; period.end and requests[].responded_at are never unknown (their
// absence says the conduct goes on and the request is unanswered), nor is the
// outcome of an unanswered request, nor the basis of a refusal when the
// outcome is known not to be one; extensions are unknown key by key, only
// when a rule reads them.
func (inc *Incident) Unknowns() []string {
	var out []string
	inc.eachUnknown(func(f Fact, i int) { out = append(out, FactPath(f, i)) })
	return out
}

// FactPath renders a fact of the list element i (ignored for facts outside
// lists) as a CEL path: FactPath(FactVictimCritical, 0) is
// "incident.victims[0].critical_infrastructure".
func FactPath(f Fact, i int) string {
	p := f.Path()
	if l, rest, ok := strings.Cut(p, "[]"); ok {
		p = l + "[" + strconv.Itoa(i) + "]" + rest
	}
	return "incident." + p
}

// EachUnknown calls fn for every unknown fact of the incident, in document
// order, with the list index for facts inside list elements (0 otherwise).
func (inc *Incident) EachUnknown(fn func(f Fact, index int)) { inc.eachUnknown(fn) }

func (inc *Incident) eachUnknown(fn func(Fact, int)) {
	add := func(f Fact, i int, unknown bool) {
		if unknown {
			fn(f, i)
		}
	}
	add(FactTitle, 0, inc.Title == "")
	for i, v := range inc.Victims {
		add(FactVictimSector, i, v.Sector == "")
		add(FactVictimEntity, i, v.Entity == "")
		add(FactVictimCritical, i, v.CriticalInfrastructure == nil)
	}
	if inc.Origin == nil {
		fn(FactOrigin, 0)
	} else {
		add(FactOriginTerritory, 0, inc.Origin.Territory == "")
	}
	if a := inc.Actor; a == nil {
		fn(FactActor, 0)
	} else {
		add(FactActorName, 0, a.Name == "")
		add(FactActorKind, 0, !known(a.Kind))
		add(FactActorState, 0, a.State == "")
		add(FactActorRelation, 0, !known(a.Relation))
	}
	add(FactActivity, 0, inc.Activity == nil)
	add(FactDataTaken, 0, inc.DataTaken == nil)
	add(FactPurpose, 0, !known(inc.Purpose))
	add(FactBeneficiaries, 0, inc.Beneficiaries == nil)
	for i, b := range inc.Beneficiaries {
		add(FactBeneficiaryState, i, b.State == "")
	}
	if e := inc.Effects; e == nil {
		fn(FactEffects, 0)
	} else {
		add(FactEffectsImpact, 0, !known(e.Impact))
		add(FactEffectsIntentional, 0, e.Intentional == nil)
	}
	add(FactAttributions, 0, inc.Attributions == nil)
	for i, a := range inc.Attributions {
		add(FactAttributionAt, i, a.At.IsZero())
		add(FactAttributionForm, i, a.Form == "")
		add(FactAttributionConfidence, i, a.Confidence == "")
		add(FactAttributionSource, i, a.Source == "")
	}
	add(FactNotifications, 0, inc.Notifications == nil)
	for i, n := range inc.Notifications {
		add(FactNotificationChannel, i, n.Channel == "")
	}
	add(FactMitigations, 0, inc.Mitigations == nil)
	for i, m := range inc.Mitigations {
		add(FactMitigationAction, i, m.Action == "")
	}
	add(FactRequests, 0, inc.Requests == nil)
	for i, r := range inc.Requests {
		// Without responded_at there was no response: the outcome is known to
		// be none. With one, an absent or "unknown" outcome is unknown, and
		// so is the basis of a refusal, or of an answer of unknown outcome.
		responded := !r.RespondedAt.IsZero()
		outcomeUnknown := responded && !known(r.Outcome)
		add(FactRequestOutcome, i, outcomeUnknown)
		add(FactRequestDeclinedBasis, i, r.DeclinedBasis == "" && (r.Outcome == OutcomeDeclined || outcomeUnknown))
	}
	add(FactSources, 0, inc.Sources == nil)
	for i, s := range inc.Sources {
		add(FactSourceURL, i, s.URL == "")
	}
}
