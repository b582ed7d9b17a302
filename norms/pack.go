package norms

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Pack is one norm pack as written: an instrument and the norms it holds.
type Pack struct {
	// ID names the pack: lower-case letters, digits and '-'. Norm ids become
	// <pack>/<norm>.
	ID string `yaml:"pack" json:"pack"`
	// Title is a one-line description of the pack.
	Title string `yaml:"title,omitempty" json:"title,omitempty"`
	// Instrument is the text the pack encodes.
	Instrument Instrument `yaml:"instrument" json:"instrument"`
	// Parties are the states bound (ISO 3166-1 alpha-2, and EU); absent means
	// all states. In CEL: pack.parties.
	Parties []string `yaml:"parties,omitempty" json:"parties,omitempty"`
	// Effective is when the commitment starts and ends. In CEL:
	// pack.effective_from and pack.effective_until.
	Effective *Effective `yaml:"effective,omitempty" json:"effective,omitempty"`
	// Notes explain the pack's reading of the instrument.
	Notes string `yaml:"notes,omitempty" json:"notes,omitempty"`
	// Params are constants that rules read as params.<name>, with defaults a
	// user may override at compile time (see [WithParam]).
	Params []Param `yaml:"params,omitempty" json:"params,omitempty"`
	// Variables are derived facts, computed once per incident and shared by
	// every norm of the pack. A variable may use the ones before it.
	Variables []Variable `yaml:"variables,omitempty" json:"variables,omitempty"`
	// Norms are the pack's norms.
	Norms []Norm `yaml:"norms" json:"norms"`

	// File is the file the pack was loaded from ("" for bytes).
	File string `yaml:"-" json:"-"`
	src  []byte
}

// Instrument is the text a pack encodes.
type Instrument struct {
	// Name is the instrument's name, cited in every finding.
	Name string `yaml:"name" json:"name"`
	// Date is the instrument's date (YYYY-MM-DD).
	Date string `yaml:"date,omitempty" json:"date,omitempty"`
	// URL is where the text can be read.
	URL string `yaml:"url,omitempty" json:"url,omitempty"`
	// Status says what binds: "binding", "political_commitment" or "voluntary".
	Status string `yaml:"status,omitempty" json:"status,omitempty"`
}

// Effective is when a commitment is in force.
type Effective struct {
	// From is the first day (YYYY-MM-DD or RFC 3339).
	From string `yaml:"from,omitempty" json:"from,omitempty"`
	// Until is the last moment, if the commitment ended (YYYY-MM-DD or RFC 3339).
	Until string `yaml:"until,omitempty" json:"until,omitempty"`
}

// Param is a pack parameter: a window or threshold the text leaves open.
type Param struct {
	// Name is the parameter's name: params.<name> in CEL.
	Name string `yaml:"name" json:"name"`
	// Type is one of duration, int, double, string, bool, timestamp.
	Type string `yaml:"type" json:"type"`
	// Default is the value used unless overridden. Durations are ISO 8601
	// ("P30D") or Go ("720h").
	Default string `yaml:"default" json:"default"`
	// Reason says why the default was chosen.
	Reason string `yaml:"reason,omitempty" json:"reason,omitempty"`
}

// Variable is a derived fact shared by the norms of a pack.
type Variable struct {
	// Name is how rules refer to it.
	Name string `yaml:"name" json:"name"`
	// Expr computes it.
	Expr Expr `yaml:"expr" json:"expr"`
	// Description says what it means.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
}

// Norm is one norm of a pack.
type Norm struct {
	// ID names the norm within its pack.
	ID string `yaml:"id" json:"id"`
	// Title is a short title.
	Title string `yaml:"title" json:"title"`
	// Citation is the text the norm rests on.
	Citation Citation `yaml:"citation" json:"citation"`
	// Applies says whether the norm reaches the incident (CEL, bool; default true).
	Applies Expr `yaml:"applies,omitempty" json:"applies,omitempty"`
	// Breach says whether the facts meet every element of a breach (CEL, bool).
	// A norm needs a breach condition, an obligation, or both.
	Breach Expr `yaml:"breach,omitempty" json:"breach,omitempty"`
	// Message explains a breach (CEL, string); a default is used when absent.
	Message Expr `yaml:"message,omitempty" json:"message,omitempty"`
	// Loopholes explain why conduct escaped the norm.
	Loopholes []Loophole `yaml:"loopholes,omitempty" json:"loopholes,omitempty"`
	// Obligation is a time-bound duty the norm creates.
	Obligation *Obligation `yaml:"obligation,omitempty" json:"obligation,omitempty"`
	// Notes say how the norm is read, and where that reading is contested.
	Notes string `yaml:"notes,omitempty" json:"notes,omitempty"`
}

// Citation is the text a norm rests on.
type Citation struct {
	// Instrument overrides the pack's instrument name.
	Instrument string `yaml:"instrument,omitempty" json:"instrument,omitempty"`
	// Paragraph is the paragraph or article, e.g. "¶13(f)" or "art. 8".
	Paragraph string `yaml:"paragraph,omitempty" json:"paragraph,omitempty"`
	// Quote is the wording relied on.
	Quote string `yaml:"quote,omitempty" json:"quote,omitempty"`
	// Verification says how the quote was checked: "checked" (against a
	// public reproduction of the text), "as_quoted" (only in secondary sources
	// that quote it) or "to_verify" (remembered, not checked).
	Verification string `yaml:"verification,omitempty" json:"verification,omitempty"`
	// URL is where the text can be read.
	URL string `yaml:"url,omitempty" json:"url,omitempty"`
}

// Loophole is a way conduct can escape a norm. When a finding is not_breached
// or not_applicable and the condition holds, the finding carries the note.
type Loophole struct {
	// ID names the loophole within the norm, e.g. "knowingly".
	ID string `yaml:"id" json:"id"`
	// When is the condition (CEL, bool).
	When Expr `yaml:"when" json:"when"`
	// Note explains the loophole to a reader.
	Note string `yaml:"note" json:"note"`
}

// Obligation is a time-bound duty created by a norm: one per element of Each
// (for example one per request), with a bearer and a due time.
type Obligation struct {
	// Duty describes what must be done, e.g. "respond to the request".
	Duty string `yaml:"duty" json:"duty"`
	// Each lists what triggers the duty (CEL, list); one obligation per element.
	Each Expr `yaml:"each" json:"each"`
	// As names the element in the expressions below (default "item").
	As string `yaml:"as,omitempty" json:"as,omitempty"`
	// Bearer is the state that owes the duty (CEL, string).
	Bearer Expr `yaml:"bearer" json:"bearer"`
	// Trigger describes the triggering event (CEL, string).
	Trigger Expr `yaml:"trigger" json:"trigger"`
	// TriggeredAt is when the duty arose (CEL, timestamp).
	TriggeredAt Expr `yaml:"triggered_at" json:"triggered_at"`
	// Due is when it must be discharged (CEL, timestamp).
	Due Expr `yaml:"due" json:"due"`
	// DoneAt is when it was discharged (CEL, timestamp or optional timestamp:
	// r.?responded_at); an empty optional or the zero timestamp means not yet.
	DoneAt Expr `yaml:"done_at" json:"done_at"`
	// Late says what discharging the duty after its due time means: "breach"
	// (the default: the finding is breached) or "allowed" (the duty is
	// discharged all the same; only no discharge by the due time breaches).
	Late string `yaml:"late,omitempty" json:"late,omitempty"`
}

// Expr is a CEL expression with its place in the pack file.
type Expr struct {
	// Source is the expression's text.
	Source string
	// Pos is where the text starts in the pack file.
	Pos Pos

	style yaml.Style
}

// IsZero reports whether no expression was given.
func (e Expr) IsZero() bool { return e.Source == "" }

// UnmarshalYAML records the expression and its position.
func (e *Expr) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: expected a CEL expression (a string), got a %s", n.Line, kindName(n.Kind))
	}
	e.Source = n.Value
	e.Pos = Pos{Line: n.Line, Column: n.Column}
	e.style = n.Style
	return nil
}

// MarshalYAML writes the expression's text.
func (e Expr) MarshalYAML() (any, error) { return e.Source, nil }

// MarshalJSON writes the expression's text.
func (e Expr) MarshalJSON() ([]byte, error) { return jsonString(e.Source), nil }

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	}
	return "value"
}

// Pos is a place in a pack file. Line and Column are 1-based; Column counts
// characters.
type Pos struct {
	File   string
	Line   int
	Column int
}

// String returns "file:line:col".
func (p Pos) String() string {
	f := p.File
	if f == "" {
		f = "<pack>"
	}
	if p.Line == 0 {
		return f
	}
	return fmt.Sprintf("%s:%d:%d", f, p.Line, p.Column)
}
