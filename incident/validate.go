package incident

import (
	"fmt"
	"regexp"
)

var (
	idPattern     = regexp.MustCompile(`^[a-z0-9._-]+$`)
	statePattern  = regexp.MustCompile(`^[A-Z]{2}$`)
	sectorPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	urlPattern    = regexp.MustCompile(`^https?://[^\s]+$`)
)

// Patterns of the document's strings, shared with the JSON Schema.
const (
	IDPattern     = `^[a-z0-9._-]+$`
	StatePattern  = `^[A-Z]{2}$`
	SectorPattern = `^[a-z][a-z0-9_]*$`
	URLPattern    = `^https?://[^\s]+$`
)

// Validate checks the values of an incident: required fields, enums, the
// patterns of ids and country codes, and the invariants a schema cannot
// express: period.end not before period.start, a response not before its
// request, unique request ids, an outcome that agrees with the response. It
// returns an [ErrorList] in document order, or nil.
func (inc *Incident) Validate() error {
	v := &validator{}
	if inc.ID == "" {
		v.add("/id", "required", nil, "id is required")
	} else {
		v.pattern("/id", inc.ID, idPattern, "an id of lower-case letters, digits, '.', '_' and '-'")
	}
	if inc.Period.Start.IsZero() {
		v.add("/period/start", "required", nil, "period.start is required")
	}
	if !inc.Period.End.IsZero() && inc.Period.End.Before(inc.Period.Start) {
		v.add("/period/end", "order", inc.Period.End, "period.end %s is before period.start %s", stamp(inc.Period.End), stamp(inc.Period.Start))
	}
	if len(inc.Victims) == 0 {
		v.add("/victims", "minItems", nil, "at least one victim is required")
	}
	for i, vic := range inc.Victims {
		p := Pointer("victims", i)
		v.state(p+"/state", vic.State, true)
		if vic.Sector != "" {
			v.pattern(p+"/sector", vic.Sector, sectorPattern, "a sector in snake_case, e.g. \"energy\"")
		}
	}
	if inc.Origin != nil {
		v.state("/origin/territory", inc.Origin.Territory, false)
	}
	if a := inc.Actor; a != nil {
		enum(v, "/actor/kind", a.Kind)
		v.state("/actor/state", a.State, false)
		enum(v, "/actor/relation", a.Relation)
	}
	for i, x := range inc.Activity {
		enum(v, Pointer("activity", i), x)
	}
	for i, x := range inc.DataTaken {
		enum(v, Pointer("data_taken", i), x)
	}
	enum(v, "/purpose", inc.Purpose)
	for i, b := range inc.Beneficiaries {
		p := Pointer("beneficiaries", i)
		if b.Kind == "" {
			v.add(p+"/kind", "required", nil, "beneficiary kind is required")
		}
		enum(v, p+"/kind", b.Kind)
		v.state(p+"/state", b.State, false)
	}
	if e := inc.Effects; e != nil {
		enum(v, "/effects/impact", e.Impact)
	}
	for i, a := range inc.Attributions {
		p := Pointer("attributions", i)
		v.state(p+"/by", a.By, true)
		enum(v, p+"/form", a.Form)
		enum(v, p+"/confidence", a.Confidence)
	}
	for i, n := range inc.Notifications {
		p := Pointer("notifications", i)
		v.state(p+"/from", n.From, true)
		v.state(p+"/to", n.To, true)
		v.time(p+"/at", n.At)
		enum(v, p+"/channel", n.Channel)
	}
	for i, m := range inc.Mitigations {
		p := Pointer("mitigations", i)
		v.state(p+"/by", m.By, true)
		v.time(p+"/at", m.At)
	}
	seen := map[string]int{}
	for i, r := range inc.Requests {
		p := Pointer("requests", i)
		if r.ID == "" {
			v.add(p+"/id", "required", nil, "request id is required")
		} else if j, dup := seen[r.ID]; dup {
			v.add(p+"/id", "unique", r.ID, "request id %q is already used by /requests/%d", r.ID, j)
		} else {
			seen[r.ID] = i
		}
		v.state(p+"/from", r.From, true)
		v.state(p+"/to", r.To, true)
		if r.Kind == "" {
			v.add(p+"/kind", "required", nil, "request kind is required")
		}
		enum(v, p+"/kind", r.Kind)
		v.time(p+"/sent_at", r.SentAt)
		if !r.RespondedAt.IsZero() && !r.SentAt.IsZero() && r.RespondedAt.Before(r.SentAt) {
			v.add(p+"/responded_at", "order", r.RespondedAt, "responded_at %s is before sent_at %s", stamp(r.RespondedAt), stamp(r.SentAt))
		}
		enum(v, p+"/outcome", r.Outcome)
		if (r.Outcome == OutcomeAssisted || r.Outcome == OutcomePartial || r.Outcome == OutcomeDeclined) && r.RespondedAt.IsZero() {
			v.add(p+"/responded_at", "consistency", nil, "outcome is %q but responded_at is not set: give the time of the response (an absent responded_at means no response yet)", r.Outcome)
		}
		if r.Outcome == OutcomeNoResponse && !r.RespondedAt.IsZero() {
			v.add(p+"/outcome", "consistency", r.Outcome, "outcome is \"no_response\" but responded_at is set")
		}
		enum(v, p+"/declined_basis", r.DeclinedBasis)
		if r.DeclinedBasis != "" && known(r.Outcome) && r.Outcome != OutcomeDeclined {
			v.add(p+"/declined_basis", "consistency", r.DeclinedBasis, "declined_basis is set but outcome is %q, not \"declined\"", r.Outcome)
		}
	}
	for i, s := range inc.Sources {
		p := Pointer("sources", i)
		if s.Title == "" {
			v.add(p+"/title", "required", nil, "source title is required")
		}
		if s.URL != "" {
			v.pattern(p+"/url", s.URL, urlPattern, "an http(s) URL")
		}
	}
	return v.errs.Err()
}

type validator struct{ errs ErrorList }

func (v *validator) add(ptr, kw string, val any, format string, args ...any) {
	v.errs = append(v.errs, &FieldError{Pointer: ptr, Keyword: kw, Value: val, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) pattern(ptr, s string, re *regexp.Regexp, what string) {
	if !re.MatchString(s) {
		v.add(ptr, "pattern", s, "expected %s, got %q", what, s)
	}
}

func (v *validator) state(ptr string, s State, required bool) {
	if s == "" {
		if required {
			v.add(ptr, "required", nil, "a state is required (ISO 3166-1 alpha-2 code, e.g. \"US\")")
		}
		return
	}
	v.pattern(ptr, string(s), statePattern, "an ISO 3166-1 alpha-2 country code such as \"US\"")
}

func (v *validator) time(ptr string, t interface{ IsZero() bool }) {
	if t.IsZero() {
		v.add(ptr, "required", nil, "a date-time is required (RFC 3339)")
	}
}

func enum[E Enum](v *validator, ptr string, e E) {
	if e != "" && !validEnum(e) {
		v.add(ptr, "enum", string(e), "expected one of %s, got %q", quoteList(e.Values()), string(e))
	}
}

func quoteList(vals []string) string {
	s := ""
	for i, x := range vals {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%q", x)
	}
	return s
}

func stamp(t interface{ Format(string) string }) string { return t.Format("2006-01-02T15:04:05Z07:00") }
