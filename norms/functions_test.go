package norms_test

import (
	"testing"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/norms"
)

// evalFn compiles expr in an environment with the function library and the
// variables vars (all dyn), and evaluates it with partial evaluation so that
// unknown values can be passed.
func evalFn(t *testing.T, expr string, vars map[string]any) ref.Val {
	t.Helper()
	opts := []cel.EnvOption{norms.Functions()}
	for name := range vars {
		opts = append(opts, cel.Variable(name, cel.DynType))
	}
	env, err := cel.NewEnv(opts...)
	require.NoError(t, err)
	ast, iss := env.Compile(expr)
	require.NoError(t, iss.Err(), expr)
	prg, err := env.Program(ast, cel.EvalOptions(cel.OptPartialEval, cel.OptTrackState))
	require.NoError(t, err)
	act, err := cel.PartialVars(vars)
	require.NoError(t, err)
	out, _, err := prg.Eval(act)
	require.NoError(t, err, expr)
	return out
}

func TestAttributable(t *testing.T) {
	tests := []struct {
		relation string
		want     bool
		reason   string
	}{
		{"organ", true, "conduct of a state organ (ARSIWA art. 4)"},
		{"directed", true, "instructions, direction or control (art. 8)"},
		{"acknowledged", true, "acknowledged and adopted (art. 11)"},
		{"knowingly_supported", false, "support, even knowing, is not attribution"},
		{"supported", false, "support without knowledge"},
		{"tolerated", false, "toleration is a matter of due diligence, not attribution"},
		{"none", false, "no state involvement"},
		{"unknown", false, "an unknown relation attributes nothing"},
		{"", false, "the empty string"},
		{"Organ", false, "values are case-sensitive"},
	}
	for _, tt := range tests {
		t.Run(tt.relation, func(t *testing.T) {
			got := evalFn(t, "attributable(r)", map[string]any{"r": tt.relation})
			assert.Equal(t, types.Bool(tt.want), got, tt.reason)
		})
	}
}

func TestIntersects(t *testing.T) {
	tests := []struct {
		name   string
		expr   string
		want   bool
		reason string
	}{
		{"common element", "intersects(['trade_secrets', 'personal_data'], ['intellectual_property', 'trade_secrets'])", true, ""},
		{"no common element", "intersects(['personal_data'], ['intellectual_property', 'trade_secrets'])", false, ""},
		{"empty first list", "intersects([], ['trade_secrets'])", false, "an empty list is known to be empty"},
		{"empty second list", "intersects(['trade_secrets'], [])", false, ""},
		{"both empty", "intersects([], [])", false, ""},
		{"integers", "intersects([1, 2, 3], [3, 4])", true, "any element type, the same on both sides"},
		{"case-sensitive", "intersects(['US'], ['us'])", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, types.Bool(tt.want), evalFn(t, tt.expr, nil), tt.reason)
		})
	}
}

func TestWithin(t *testing.T) {
	from := time.Date(2016, 1, 4, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		t    time.Time
		want bool
	}{
		{"on the first day", from, true},
		{"inside the window", from.Add(10 * 24 * time.Hour), true},
		{"at the end of the window, inclusive", from.Add(30 * 24 * time.Hour), true},
		{"a second late", from.Add(30*24*time.Hour + time.Second), false},
		{"before it started", from.Add(-time.Second), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := evalFn(t, "within(from, t, duration('720h'))", map[string]any{"from": from, "t": tt.t})
			assert.Equal(t, types.Bool(tt.want), got)
		})
	}
}

func TestIsState(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"US", true},
		{"CN", true},
		{"EU", true},
		{"", false},
		{"unknown", false},
		{"us", false},
		{"USA", false},
		{"U1", false},
	}
	for _, tt := range tests {
		t.Run(tt.s, func(t *testing.T) {
			assert.Equal(t, types.Bool(tt.want), evalFn(t, "is_state(s)", map[string]any{"s": tt.s}))
		})
	}
}

// TestFunctionsTypeChecked shows that the library's signatures are checked
// when a pack compiles: a wrong argument is a diagnostic at its place.
func TestFunctionsTypeChecked(t *testing.T) {
	tests := []struct {
		expr, want string
	}{
		{"attributable(1)", "found no matching overload for 'attributable' applied to '(int)'"},
		{"intersects(incident.data_taken, [1])", "found no matching overload for 'intersects'"},
		{"within(incident.period.start, as_of, 30)", "found no matching overload for 'within'"},
		{"is_state(incident.victims)", "found no matching overload for 'is_state'"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			_, err := compilePack(t, packWithBreach(tt.expr))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, err.Error(), "p.yaml:7:")
		})
	}

	// In a pack, on the typed incident, every function compiles.
	_, err := compilePack(t, packWithBreach(
		"attributable(incident.actor.relation) && is_state(incident.actor.state) && "+
			"intersects(incident.data_taken, ['trade_secrets']) && "+
			"incident.requests.exists(r, within(r.sent_at, r.responded_at, duration('720h')))"))
	require.NoError(t, err)
}

func TestIntersectsWithAnUnknownFirstElement(t *testing.T) {
	// An unknown element must not make the call fail: a known common element
	// still decides true, and without one the answer stays unknown.
	env, err := cel.NewEnv(norms.Functions(), cel.Variable("xs", cel.ListType(cel.StringType)))
	require.NoError(t, err)
	ast, iss := env.Compile(`intersects(xs, ['a', 'b'])`)
	require.NoError(t, iss.Err())
	prg, err := env.Program(ast)
	require.NoError(t, err)
	unknown := types.NewUnknown(1, types.NewAttributeTrail("xs"))
	for _, tc := range []struct {
		elems []ref.Val
		want  ref.Val
	}{
		{[]ref.Val{unknown, types.String("b")}, types.True},
		{[]ref.Val{unknown, types.String("c")}, unknown},
	} {
		out, _, err := prg.Eval(map[string]any{"xs": types.NewRefValList(types.DefaultTypeAdapter, tc.elems)})
		require.NoError(t, err)
		if tc.want == types.True {
			assert.Equal(t, types.True, out)
		} else {
			assert.True(t, types.IsUnknown(out), "got %v", out)
		}
	}
}
