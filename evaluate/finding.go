package evaluate

import (
	"time"

	"github.com/cybernorms/cybernorms/norms"
)

// Verdict is the outcome of one norm for one incident.
type Verdict string

// Verdicts. See the package documentation.
const (
	NotApplicable Verdict = "not_applicable"
	NotBreached   Verdict = "not_breached"
	Breached      Verdict = "breached"
	Indeterminate Verdict = "indeterminate"
	Pending       Verdict = "pending"
	// Failed is not a verdict on the norm: its rule could not be evaluated
	// (a cost limit, a deadline, a runtime error). The finding's Error says why.
	Failed Verdict = "error"
)

// Report is the result of evaluating one incident.
type Report struct {
	// Incident is the incident's id.
	Incident string `json:"incident"`
	// AsOf is the evaluation time.
	AsOf time.Time `json:"as_of"`
	// Findings holds one finding per norm, in rule-set order.
	Findings []Finding `json:"findings"`
}

// Finding is the outcome of one norm.
type Finding struct {
	// Norm is the norm's id, "<pack>/<norm>".
	Norm    string  `json:"norm"`
	Title   string  `json:"title"`
	Verdict Verdict `json:"verdict"`
	// Message explains the verdict in a sentence.
	Message  string         `json:"message"`
	Citation norms.Citation `json:"citation"`
	// Residual is, for an indeterminate finding, the CEL condition left over
	// the unknown facts; names of pack variables in it are defined in the pack.
	Residual string `json:"residual,omitempty"`
	// Missing are the unknown facts that decide an indeterminate finding, as
	// CEL paths ("incident.actor.relation").
	Missing []string `json:"missing,omitempty"`
	// Loopholes explain why conduct escaped the norm.
	Loopholes []Loophole `json:"loopholes,omitempty"`
	// Obligations are the duties the norm created.
	Obligations []Obligation `json:"obligations,omitempty"`
	// Error says why the norm could not be evaluated (verdict "error").
	Error string `json:"error,omitempty"`
	// Trace holds the values of the sub-expressions, when asked for.
	Trace []TraceStep `json:"trace,omitempty"`
}

// Loophole is a way the conduct escaped a norm.
type Loophole struct {
	ID   string `json:"id"`
	Note string `json:"note"`
}

// ObligationStatus is the state of a duty at the evaluation time.
type ObligationStatus string

// Obligation statuses.
const (
	// StatusPending: not discharged and not yet due.
	StatusPending ObligationStatus = "pending"
	// StatusFulfilled: discharged by its due time.
	StatusFulfilled ObligationStatus = "fulfilled"
	// StatusFulfilledLate: discharged after its due time.
	StatusFulfilledLate ObligationStatus = "fulfilled_late"
	// StatusOverdue: not discharged, and the due time has passed.
	StatusOverdue ObligationStatus = "overdue"
	// StatusUnknown: a fact that decides the status is unknown.
	StatusUnknown ObligationStatus = "unknown"
)

// Obligation is one time-bound duty and its status at the evaluation time.
type Obligation struct {
	// Duty says what must be done.
	Duty string `json:"duty"`
	// Bearer is the state that owes it.
	Bearer string `json:"bearer"`
	// Trigger describes what created it.
	Trigger     string    `json:"trigger"`
	TriggeredAt time.Time `json:"triggered_at"`
	Due         time.Time `json:"due"`
	// DoneAt is when it was discharged (zero when it was not, as of the
	// evaluation time).
	DoneAt time.Time        `json:"done_at,omitzero"`
	Status ObligationStatus `json:"status"`
}

// TraceStep is the value of one sub-expression of a rule.
type TraceStep struct {
	// Rule names the expression: "breach", "applies", "variable attributed", …
	Rule string `json:"rule"`
	// Expr is the sub-expression's source text.
	Expr string `json:"expr"`
	// Value is its value, printed; "unknown" for an unknown value.
	Value string `json:"value"`
}

// Count returns how many findings have the verdict.
func (r *Report) Count(v Verdict) int {
	n := 0
	for _, f := range r.Findings {
		if f.Verdict == v {
			n++
		}
	}
	return n
}

// Finding returns the finding for a norm id.
func (r *Report) Finding(norm string) (Finding, bool) {
	for _, f := range r.Findings {
		if f.Norm == norm {
			return f, true
		}
	}
	return Finding{}, false
}
