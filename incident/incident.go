package incident

import "time"

// State is a state, written as its ISO 3166-1 alpha-2 code ("US", "CN", "RU",
// "GB"); "EU" names the European Union where an instrument lists it as a party.
type State string

// Incident is one incident document (schema v1): the facts about one
// state-linked cyber operation. The json tags are the field names of the
// document, of the JSON Schema and of the incident variable in CEL.
//
// Absent facts are unknown, see the package documentation.
type Incident struct {
	// ID identifies the incident: lower-case letters, digits, '.', '_' and '-'.
	ID string `json:"id"`
	// Title is a one-line human title.
	Title string `json:"title,omitzero"`
	// Period is when the conduct took place.
	Period Period `json:"period"`
	// Victims are the states (and their entities) the operation targeted; at least one.
	Victims []Victim `json:"victims"`
	// Origin is the state from whose territory or infrastructure the operation
	// came. Origin alone never attributes conduct to that state (UN GGE 2015 ¶28(f)).
	Origin *Origin `json:"origin,omitzero"`
	// Actor is who carried out the operation and how a state relates to it.
	Actor *Actor `json:"actor,omitzero"`
	// Activity lists what the operation did.
	Activity []Activity `json:"activity,omitzero"`
	// DataTaken lists the kinds of data taken; [] means none was taken.
	DataTaken []DataKind `json:"data_taken,omitzero"`
	// Purpose is why the operation was carried out.
	Purpose Purpose `json:"purpose,omitzero"`
	// Beneficiaries are who profited from what was taken.
	Beneficiaries []Beneficiary `json:"beneficiaries,omitzero"`
	// Effects are what the operation did to the victims' systems and services.
	Effects *Effects `json:"effects,omitzero"`
	// Attributions are public attributions of the operation by states.
	Attributions []Attribution `json:"attributions,omitzero"`
	// Notifications are messages by which a state told another about the operation.
	Notifications []Notification `json:"notifications,omitzero"`
	// Mitigations are steps a state took to stop or mitigate the operation.
	Mitigations []Mitigation `json:"mitigations,omitzero"`
	// Requests are requests between states for information, assistance,
	// investigation, evidence or mitigation.
	Requests []Request `json:"requests,omitzero"`
	// Sources are the public sources the facts rest on.
	Sources []Source `json:"sources,omitzero"`
	// Extensions holds free-form facts for users' own norms; in CEL
	// incident.extensions.<key> (dyn). A key that a rule reads but the document
	// lacks is unknown.
	Extensions map[string]any `json:"extensions,omitzero"`
}

// Period is when the conduct took place.
type Period struct {
	// Start is when the conduct began (required).
	Start time.Time `json:"start"`
	// End is when the conduct ended; absent means it was still going on at the
	// evaluation time (a continuing act, ARSIWA art. 14).
	End time.Time `json:"end,omitzero"`
}

// Victim is a state targeted by the operation, with the entity hit.
type Victim struct {
	// State is the victim state (required).
	State State `json:"state"`
	// Sector is the victim's sector in snake_case, e.g. government, energy,
	// health, manufacturing, or cert (a national emergency response team).
	Sector string `json:"sector,omitzero"`
	// Entity names the victim organisation.
	Entity string `json:"entity,omitzero"`
	// CriticalInfrastructure says whether the entity is critical infrastructure.
	CriticalInfrastructure *bool `json:"critical_infrastructure,omitzero"`
}

// Origin is where the operation came from.
type Origin struct {
	// Territory is the state from whose territory or infrastructure it came.
	Territory State `json:"territory,omitzero"`
}

// Actor is who carried out the operation.
type Actor struct {
	// Name is the actor's name, e.g. "APT10 (Huaying Haitai)".
	Name string `json:"name,omitzero"`
	// Kind is what kind of actor it is.
	Kind ActorKind `json:"kind,omitzero"`
	// State is the state the actor is linked to, if any.
	State State `json:"state,omitzero"`
	// Relation is how that state relates to the conduct.
	Relation Relation `json:"relation,omitzero"`
}

// Beneficiary is who profited from what was taken.
type Beneficiary struct {
	// Kind is what kind of beneficiary it is.
	Kind BeneficiaryKind `json:"kind"`
	// State is the beneficiary's state.
	State State `json:"state,omitzero"`
}

// Effects are what the operation did.
type Effects struct {
	// Impact is the most severe effect.
	Impact Impact `json:"impact,omitzero"`
	// Intentional says whether the effect was intended.
	Intentional *bool `json:"intentional,omitzero"`
}

// Attribution is a public attribution by a state.
type Attribution struct {
	// By is the attributing state.
	By State `json:"by"`
	// At is when the attribution was made public.
	At time.Time `json:"at,omitzero"`
	// Form is how it was made public.
	Form AttributionForm `json:"form,omitzero"`
	// Confidence is the confidence stated.
	Confidence Confidence `json:"confidence,omitzero"`
	// Source names the document, e.g. "US DoJ press release".
	Source string `json:"source,omitzero"`
}

// Notification is a message by which a state told another of the operation.
type Notification struct {
	// From is the notifying state.
	From State `json:"from"`
	// To is the notified state.
	To State `json:"to"`
	// At is when the notification was sent.
	At time.Time `json:"at"`
	// Channel is how it was sent.
	Channel Channel `json:"channel,omitzero"`
}

// Mitigation is a step a state took to stop or mitigate the operation.
type Mitigation struct {
	// By is the state that acted.
	By State `json:"by"`
	// At is when it acted.
	At time.Time `json:"at"`
	// Action describes what it did.
	Action string `json:"action,omitzero"`
}

// Request is a request from one state to another.
type Request struct {
	// ID identifies the request within the incident; ids are unique.
	ID string `json:"id"`
	// From is the requesting state.
	From State `json:"from"`
	// To is the requested state, which bears any duty to respond.
	To State `json:"to"`
	// Kind is what was asked for.
	Kind RequestKind `json:"kind"`
	// SentAt is when the request was sent.
	SentAt time.Time `json:"sent_at"`
	// RespondedAt is when it was answered; absent means no response yet.
	RespondedAt time.Time `json:"responded_at,omitzero"`
	// Outcome is how it was answered.
	Outcome Outcome `json:"outcome,omitzero"`
	// DeclinedBasis is the ground given for declining.
	DeclinedBasis DeclinedBasis `json:"declined_basis,omitzero"`
}

// Source is a public source the facts rest on.
type Source struct {
	// Title names the source.
	Title string `json:"title"`
	// URL is where it can be read.
	URL string `json:"url,omitzero"`
}
