package incident

import "slices"

// Unknown is the enum value that every enum of the model accepts to say that
// a fact is not established. It is treated exactly like an absent value.
const Unknown = "unknown"

// Enum is implemented by every enumerated string type of the model. Values
// lists the accepted spellings (in documentation order); the JSON Schema and
// [Incident.Validate] use it, so the two never disagree.
type Enum interface {
	~string
	Values() []string
}

// known reports whether an enum value is a known fact: neither absent nor
// "unknown".
func known[E ~string](e E) bool { return e != "" && e != Unknown }

// validEnum reports whether e is one of the values of its type.
func validEnum[E Enum](e E) bool { return slices.Contains(e.Values(), string(e)) }

// ActorKind says what kind of actor carried out the operation.
type ActorKind string

// Actor kinds.
const (
	// KindMilitary is a unit of the armed forces (e.g. PLA Unit 61398, GRU unit 74455).
	KindMilitary ActorKind = "military"
	// KindIntelligence is a civilian intelligence or security service (e.g. MSS, SVR, FSB).
	KindIntelligence ActorKind = "intelligence"
	// KindGovernment is another government body.
	KindGovernment ActorKind = "government"
	// KindContractor is a company working for a state (e.g. a front company of a service).
	KindContractor ActorKind = "contractor"
	// KindPatrioticHackers are volunteers acting for a state's cause.
	KindPatrioticHackers ActorKind = "patriotic_hackers"
	// KindCriminalGroup is a group acting for profit.
	KindCriminalGroup ActorKind = "criminal_group"
	// KindHacktivists act for a political or social cause of their own.
	KindHacktivists ActorKind = "hacktivists"
	// KindUnknown: the kind of actor is not established.
	KindUnknown ActorKind = Unknown
)

// Values lists the actor kinds.
func (ActorKind) Values() []string {
	return []string{"military", "intelligence", "government", "contractor", "patriotic_hackers", "criminal_group", "hacktivists", Unknown}
}

// NonState reports whether the kind is a non-state actor, as used by the rule
// against proxies (UN GGE 2015 ¶28(e)).
func (k ActorKind) NonState() bool {
	switch k {
	case KindContractor, KindPatrioticHackers, KindCriminalGroup, KindHacktivists:
		return true
	}
	return false
}

// Relation is the legal link between a state and the conduct of an actor.
type Relation string

// Relations, from the closest link to none.
const (
	// RelationOrgan is conduct of a state organ: armed forces, intelligence,
	// ministries (ILC Articles on State Responsibility, art. 4).
	RelationOrgan Relation = "organ"
	// RelationDirected is a non-state actor acting on the instructions, or under
	// the direction or control, of the state (ARSIWA art. 8).
	RelationDirected Relation = "directed"
	// RelationAcknowledged is conduct the state acknowledged and adopted as its
	// own (ARSIWA art. 11).
	RelationAcknowledged Relation = "acknowledged"
	// RelationKnowinglySupported: the state supported the conduct knowing what
	// it was (compare ARSIWA art. 16, aid "with knowledge of the circumstances").
	RelationKnowinglySupported Relation = "knowingly_supported"
	// RelationSupported: the state supported the actor, but its knowledge of
	// this conduct is not established.
	RelationSupported Relation = "supported"
	// RelationTolerated: the state knew of the conduct and let it continue,
	// without supporting it.
	RelationTolerated Relation = "tolerated"
	// RelationNone: no state involvement or knowledge.
	RelationNone Relation = "none"
	// RelationUnknown: the link is not established (same as absent).
	RelationUnknown Relation = Unknown
)

// Values lists the relations.
func (Relation) Values() []string {
	return []string{"organ", "directed", "acknowledged", "knowingly_supported", "supported", "tolerated", "none", Unknown}
}

// Attributes reports whether the relation attributes the conduct to the state
// under the law of state responsibility (ARSIWA arts. 4, 8 and 11).
func (r Relation) Attributes() bool {
	return r == RelationOrgan || r == RelationDirected || r == RelationAcknowledged
}

// Activity is what the operation did.
type Activity string

// Activities.
const (
	ActivityIntrusion             Activity = "intrusion"               // unauthorised access to systems
	ActivityDataTheft             Activity = "data_theft"              // data copied out of the victim's systems
	ActivityEspionage             Activity = "espionage"               // intelligence collection
	ActivityDisruption            Activity = "disruption"              // systems or services made unavailable
	ActivityDestruction           Activity = "destruction"             // data or systems destroyed (e.g. wipers)
	ActivityRansomware            Activity = "ransomware"              // data encrypted for ransom
	ActivityPrePositioning        Activity = "pre_positioning"         // access kept for later use, no effect yet
	ActivitySupplyChainCompromise Activity = "supply_chain_compromise" // a supplier's product or service subverted
	ActivityInfluence             Activity = "influence"               // information operations
)

// Values lists the activities.
func (Activity) Values() []string {
	return []string{"intrusion", "data_theft", "espionage", "disruption", "destruction", "ransomware", "pre_positioning", "supply_chain_compromise", "influence"}
}

// DataKind is a kind of data taken.
type DataKind string

// Kinds of data. The first three are what the 2015 US–China and G20 pledges
// call intellectual property.
const (
	DataTradeSecrets             DataKind = "trade_secrets"
	DataIntellectualProperty     DataKind = "intellectual_property"
	DataConfidentialBusinessInfo DataKind = "confidential_business_information"
	DataPersonal                 DataKind = "personal_data"
	DataGovernmentInformation    DataKind = "government_information"
	DataMilitaryInformation      DataKind = "military_information"
	DataCredentials              DataKind = "credentials"
)

// Values lists the kinds of data.
func (DataKind) Values() []string {
	return []string{"trade_secrets", "intellectual_property", "confidential_business_information", "personal_data", "government_information", "military_information", "credentials"}
}

// IsIP reports whether the data is intellectual property in the sense of the
// 2015 pledges: "intellectual property, including trade secrets or other
// confidential business information".
func (d DataKind) IsIP() bool {
	return d == DataTradeSecrets || d == DataIntellectualProperty || d == DataConfidentialBusinessInfo
}

// Purpose is why the operation was carried out.
type Purpose string

// Purposes.
const (
	PurposeCompetitiveAdvantage Purpose = "competitive_advantage" // to give companies or commercial sectors an edge
	PurposeNationalSecurity     Purpose = "national_security"     // intelligence for the state's security
	PurposePolitical            Purpose = "political"             // political aims, influence, coercion
	PurposeFinancialGain        Purpose = "financial_gain"        // money for the actor (ransom, theft)
	PurposeDisruption           Purpose = "disruption"            // to disrupt or destroy
	PurposeUnknown              Purpose = Unknown                 // not established
)

// Values lists the purposes.
func (Purpose) Values() []string {
	return []string{"competitive_advantage", "national_security", "political", "financial_gain", "disruption", Unknown}
}

// BeneficiaryKind is who profited from what was taken.
type BeneficiaryKind string

// Beneficiary kinds. The first three are "companies or commercial sectors" in
// the words of the 2015 pledges.
const (
	BeneficiaryStateOwnedEnterprise BeneficiaryKind = "state_owned_enterprise"
	BeneficiaryPrivateCompany       BeneficiaryKind = "private_company"
	BeneficiaryCommercialSector     BeneficiaryKind = "commercial_sector"
	BeneficiaryGovernment           BeneficiaryKind = "government"
	BeneficiaryMilitary             BeneficiaryKind = "military"
	BeneficiaryIntelligenceService  BeneficiaryKind = "intelligence_service"
)

// Values lists the beneficiary kinds.
func (BeneficiaryKind) Values() []string {
	return []string{"state_owned_enterprise", "private_company", "commercial_sector", "government", "military", "intelligence_service"}
}

// Commercial reports whether the beneficiary is a company or commercial sector.
func (k BeneficiaryKind) Commercial() bool {
	return k == BeneficiaryStateOwnedEnterprise || k == BeneficiaryPrivateCompany || k == BeneficiaryCommercialSector
}

// Impact is the most severe effect of the operation.
type Impact string

// Impacts, from none to the most severe.
const (
	ImpactNone        Impact = "none"        // no effect on the victim's systems or services
	ImpactDataLoss    Impact = "data_loss"   // data taken or exposed, systems intact
	ImpactDisruption  Impact = "disruption"  // services interrupted or impaired
	ImpactDamage      Impact = "damage"      // systems or equipment damaged
	ImpactDestruction Impact = "destruction" // data or systems destroyed
	ImpactUnknown     Impact = Unknown       // not established
)

// Values lists the impacts.
func (Impact) Values() []string {
	return []string{"none", "data_loss", "disruption", "damage", "destruction", Unknown}
}

// Harmful reports whether the impact is more than none (and known).
func (i Impact) Harmful() bool { return known(i) && i != ImpactNone }

// AttributionForm is how a state made an attribution public.
type AttributionForm string

// Attribution forms.
const (
	FormIndictment          AttributionForm = "indictment"
	FormOfficialStatement   AttributionForm = "official_statement"
	FormJointStatement      AttributionForm = "joint_statement"
	FormSanctions           AttributionForm = "sanctions"
	FormAdvisory            AttributionForm = "advisory"
	FormPrivateSectorReport AttributionForm = "private_sector_report"
)

// Values lists the attribution forms.
func (AttributionForm) Values() []string {
	return []string{"indictment", "official_statement", "joint_statement", "sanctions", "advisory", "private_sector_report"}
}

// Confidence is the confidence an attribution states.
type Confidence string

// Confidence levels.
const (
	ConfidenceLow      Confidence = "low"
	ConfidenceModerate Confidence = "moderate"
	ConfidenceHigh     Confidence = "high"
)

// Values lists the confidence levels.
func (Confidence) Values() []string { return []string{"low", "moderate", "high"} }

// Channel is how a notification was sent.
type Channel string

// Notification channels.
const (
	ChannelDiplomatic     Channel = "diplomatic"
	ChannelHotline        Channel = "hotline"
	ChannelCERT           Channel = "cert"
	ChannelLawEnforcement Channel = "law_enforcement"
)

// Values lists the channels.
func (Channel) Values() []string { return []string{"diplomatic", "hotline", "cert", "law_enforcement"} }

// RequestKind is what a request between states asked for.
type RequestKind string

// Request kinds. Investigation, evidence and mitigation are the requests of the
// 2015 US–China cooperation commitment.
const (
	RequestInformation   RequestKind = "information"
	RequestAssistance    RequestKind = "assistance"
	RequestInvestigation RequestKind = "investigation"
	RequestEvidence      RequestKind = "evidence"
	RequestMitigation    RequestKind = "mitigation"
)

// Values lists the request kinds.
func (RequestKind) Values() []string {
	return []string{"information", "assistance", "investigation", "evidence", "mitigation"}
}

// Outcome is how a request was answered.
type Outcome string

// Request outcomes.
const (
	OutcomeAssisted   Outcome = "assisted"    // the request was met
	OutcomePartial    Outcome = "partial"     // met in part
	OutcomeDeclined   Outcome = "declined"    // refused
	OutcomeNoResponse Outcome = "no_response" // no answer was given
	OutcomeUnknown    Outcome = Unknown       // not established
)

// Values lists the outcomes.
func (Outcome) Values() []string {
	return []string{"assisted", "partial", "declined", "no_response", Unknown}
}

// DeclinedBasis is the ground given for declining a request.
type DeclinedBasis string

// Grounds for declining. National law and international obligations are the
// exceptions written into the 2015 US–China cooperation commitment.
const (
	BasisNationalLaw             DeclinedBasis = "national_law"
	BasisInternationalObligation DeclinedBasis = "international_obligation"
	BasisNone                    DeclinedBasis = "none"
)

// Values lists the grounds.
func (DeclinedBasis) Values() []string {
	return []string{"national_law", "international_obligation", "none"}
}
