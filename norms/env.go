package norms

import (
	"strconv"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/decls"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/ext"

	"github.com/cybernorms/cybernorms/incident"
)

// IncidentType is the CEL type name of the incident variable. Nested types
// are named after their Go types: incident.Victim, incident.Actor, …
const IncidentType = "incident.Incident"

// baseOptions are the environment options shared by the typed environment
// (used to check rules) and the dynamic one (used to evaluate with unknowns).
func baseOptions(lim Limits) []cel.EnvOption {
	return []cel.EnvOption{
		ext.Strings(),
		ext.Sets(),
		ext.Lists(),
		ext.Bindings(),
		cel.OptionalTypes(),
		cel.CrossTypeNumericComparisons(true),
		cel.EnableMacroCallTracking(),
		cel.ParserExpressionSizeLimit(lim.MaxExpressionLength),
		cel.ASTValidators(cel.ValidateComprehensionNestingLimit(lim.MaxComprehensionNesting),
			// Literal arguments that cannot work (a regular expression that
			// does not compile, duration('soon')) are load errors with a
			// position, not failures of every evaluation.
			cel.ValidateRegexLiterals(), cel.ValidateDurationLiterals(), cel.ValidateTimestampLiterals()),
		cel.Variable("as_of", cel.TimestampType),
		Functions(),
	}
}

// newTypedEnv builds the environment in which rules are type-checked: the
// incident is a typed object, so a misspelled field or a type mismatch is an
// error at load.
func newTypedEnv(lim Limits) (*cel.Env, error) {
	opts := append(baseOptions(lim),
		cel.Types(cel.NativeTypeFor[incident.Incident](ext.ParseStructTag("json"), cel.NativeTypeAlias(IncidentType))),
		cel.Variable("incident", cel.ObjectType(IncidentType)),
	)
	return cel.NewEnv(opts...)
}

// newDynEnv builds the environment in which rules are evaluated when the
// incident lacks facts they read: the incident is dynamic so that it can hold
// unknown values.
func newDynEnv(lim Limits) (*cel.Env, error) {
	return cel.NewEnv(append(baseOptions(lim), cel.Variable("incident", cel.DynType))...)
}

// Functions returns the library of functions for rule writers, beside CEL's
// standard functions and the strings, sets, lists and bindings extensions:
//
//	attributable(relation string) -> bool
//	    true when the relation attributes the conduct to the state under the
//	    law of state responsibility: organ (ARSIWA art. 4), directed (art. 8),
//	    acknowledged (art. 11).
//	intersects(list(T), list(T)) -> bool
//	    true when the lists share an element:
//	    intersects(incident.data_taken, ['trade_secrets', 'intellectual_property']).
//	within(from timestamp, t timestamp, d duration) -> bool
//	    true when t is no earlier than from and no later than from + d:
//	    within(r.sent_at, r.responded_at, params.response_window).
//	is_state(s string) -> bool
//	    true when s is a known state code (two capital letters): false for ""
//	    and "unknown".
func Functions() cel.EnvOption { return cel.Lib(library{}) }

type library struct{}

func (library) LibraryName() string { return "cybernorms" }

func (library) ProgramOptions() []cel.ProgramOption { return nil }

func (library) CompileOptions() []cel.EnvOption {
	listT := cel.ListType(cel.TypeParamType("T"))
	return []cel.EnvOption{
		cel.Function("attributable",
			cel.Overload("attributable_string", []*cel.Type{cel.StringType}, cel.BoolType,
				cel.UnaryBinding(func(v ref.Val) ref.Val {
					s, ok := v.(types.String)
					if !ok {
						return types.MaybeNoSuchOverloadErr(v)
					}
					return types.Bool(incident.Relation(s).Attributes())
				}))),
		cel.Function("intersects",
			// The runtime type guard looks at a list's first element only:
			// an unknown element there must reach intersects, which handles it.
			decls.DisableTypeGuards(true),
			cel.Overload("intersects_list_list", []*cel.Type{listT, listT}, cel.BoolType,
				cel.BinaryBinding(intersects))),
		cel.Function("within",
			cel.Overload("within_timestamp_timestamp_duration", []*cel.Type{cel.TimestampType, cel.TimestampType, cel.DurationType}, cel.BoolType,
				cel.FunctionBinding(func(args ...ref.Val) ref.Val {
					from, ok1 := args[0].(types.Timestamp)
					t, ok2 := args[1].(types.Timestamp)
					d, ok3 := args[2].(types.Duration)
					if !ok1 || !ok2 || !ok3 {
						return types.MaybeNoSuchOverloadErr(args[0])
					}
					return types.Bool(!t.Before(from.Time) && !t.After(from.Time.Add(d.Duration)))
				}))),
		cel.Function("is_state",
			cel.Overload("is_state_string", []*cel.Type{cel.StringType}, cel.BoolType,
				cel.UnaryBinding(func(v ref.Val) ref.Val {
					s, ok := v.(types.String)
					if !ok {
						return types.MaybeNoSuchOverloadErr(v)
					}
					return types.Bool(statePattern.MatchString(string(s)))
				}))),
	}
}

// intersects reports whether two lists share an element. Unknown elements
// make the answer unknown unless a known common element decides it.
func intersects(a, b ref.Val) ref.Val {
	la, ok1 := a.(traits.Lister)
	lb, ok2 := b.(traits.Lister)
	if !ok1 || !ok2 {
		return types.MaybeNoSuchOverloadErr(a)
	}
	var unk *types.Unknown
	it := la.Iterator()
	for it.HasNext() == types.True {
		x := it.Next()
		if u, ok := x.(*types.Unknown); ok {
			unk = types.MergeUnknowns(unk, u)
			continue
		}
		switch c := lb.Contains(x).(type) {
		case types.Bool:
			if c {
				return types.True
			}
		case *types.Unknown:
			unk = types.MergeUnknowns(unk, c)
		}
	}
	if unk != nil {
		return unk
	}
	return types.False
}

// Limits bounds what a rule may cost. See [WithLimits].
type Limits struct {
	// MaxExpressionLength is the longest expression, in characters.
	MaxExpressionLength int
	// MaxComprehensionNesting is how deeply exists/all/map/filter may nest.
	MaxComprehensionNesting int
	// MaxEstimatedCost is the largest static cost estimate of one expression,
	// in CEL cost units, with lists of the incident taken to hold
	// ListSizeHint elements.
	MaxEstimatedCost uint64
	// ListSizeHint is the list length assumed by the cost estimate.
	ListSizeHint uint64
}

// DefaultLimits are the limits applied by [Compile] unless changed: in the
// spirit of Kubernetes' CEL limits (a 10,000,000 static estimate).
func DefaultLimits() Limits {
	return Limits{
		MaxExpressionLength:     10000,
		MaxComprehensionNesting: 3,
		MaxEstimatedCost:        10_000_000,
		ListSizeHint:            100,
	}
}

// sizeEstimator tells the cost estimate how long the incident's lists and
// strings may be.
type sizeEstimator struct{ hint uint64 }

func (s sizeEstimator) EstimateSize(n cost.AstNode) *cost.SizeEstimate {
	// Lists and strings of the incident, of pack variables and of values
	// computed from them.
	return &cost.SizeEstimate{Min: 0, Max: s.hint}
}

func (sizeEstimator) EstimateCallCost(string, string, *cost.AstNode, []cost.AstNode) *cost.CallEstimate {
	return nil
}

// constantSource renders a parameter value as a CEL literal.
func constantSource(v any) string {
	switch v := v.(type) {
	case time.Duration:
		return "duration(" + quote(v.String()) + ")"
	case time.Time:
		return "timestamp(" + quote(v.UTC().Format(time.RFC3339Nano)) + ")"
	case string:
		return quote(v)
	case []string:
		s := "["
		for i, x := range v {
			if i > 0 {
				s += ", "
			}
			s += quote(x)
		}
		return s + "]"
	case bool:
		if v {
			return "true"
		}
		return "false"
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64) + map[bool]string{true: ".0", false: ""}[!strings.ContainsAny(strconv.FormatFloat(v, 'g', -1, 64), ".eE")]
	}
	return "null"
}

func quote(s string) string { return string(jsonString(s)) }
