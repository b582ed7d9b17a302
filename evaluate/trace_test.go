package evaluate_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/incident"
)

// step finds the first trace step whose rule and expression match.
func step(steps []evaluate.TraceStep, rule, expr string) (evaluate.TraceStep, bool) {
	for _, s := range steps {
		if strings.HasPrefix(s.Rule, rule) && s.Expr == expr {
			return s, true
		}
	}
	return evaluate.TraceStep{}, false
}

func TestTrace(t *testing.T) {
	ev := builtinEvaluator(t)

	t.Run("breach", func(t *testing.T) {
		rep, err := ev.Evaluate(context.Background(), ipTheft(), evaluate.AsOf(defaultAsOf), evaluate.WithTrace())
		require.NoError(t, err)
		f, ok := rep.Finding("us-cn-2015/ip-theft")
		require.True(t, ok)
		require.Equal(t, breached, f.Verdict)
		require.NotEmpty(t, f.Trace)
		for _, want := range []struct{ rule, expr, value string }{
			{"applies", "between_parties && in_force", "true"},
			{"breach", "conducted_or_knowingly_supported && ip_taken && commercial_intent", "true"},
			{"breach", "ip_taken", "true"},
			{"variable ip_taken", "intersects(incident.data_taken, ['intellectual_property', 'trade_secrets', 'confidential_business_information'])", "true"},
			{"variable in_force", "!has(incident.period.end) || incident.period.end >= pack.effective_from", "true"},
		} {
			s, ok := step(f.Trace, want.rule, want.expr)
			if assert.True(t, ok, "a step %q of %s in %+v", want.expr, want.rule, f.Trace) {
				assert.Equal(t, want.value, s.Value, want.expr)
			}
		}
		for _, s := range f.Trace {
			assert.NotEmpty(t, s.Rule)
			assert.NotEmpty(t, s.Expr)
			assert.NotEmpty(t, s.Value)
			assert.NotContains(t, s.Expr, "\n", "expressions are on one line")
		}
	})

	t.Run("unknown facts", func(t *testing.T) {
		inc := build(t, ipTheft, unknownPurpose, unknownBeneficiaries)
		f := findingWithTrace(t, ev, inc, "us-cn-2015/ip-theft")
		require.Equal(t, indeterminate, f.Verdict)
		s, ok := step(f.Trace, "breach", "commercial_intent")
		require.True(t, ok)
		assert.Equal(t, "unknown", s.Value)
		s, ok = step(f.Trace, "breach", "ip_taken")
		require.True(t, ok)
		assert.Equal(t, "true", s.Value, "known elements keep their values")
	})

	t.Run("known false", func(t *testing.T) {
		inc := build(t, ipTheft, relation(noRelation), unknownPurpose)
		f := findingWithTrace(t, ev, inc, "us-cn-2015/ip-theft")
		require.Equal(t, notBreached, f.Verdict)
		s, ok := step(f.Trace, "breach", "conducted_or_knowingly_supported")
		require.True(t, ok)
		assert.Equal(t, "false", s.Value)
	})

	t.Run("obligation variables", func(t *testing.T) {
		inc := build(t, ipTheft, requests(request("r1", "US", "CN", investigation, sent, "", "", "")))
		f := findingWithTrace(t, ev, inc, "us-cn-2015/timely-response")
		require.Equal(t, breached, f.Verdict)
		s, ok := step(f.Trace, "applies", "party_requests.size() > 0")
		require.True(t, ok, "%+v", f.Trace)
		assert.Equal(t, "true", s.Value)
	})

	t.Run("off by default", func(t *testing.T) {
		rep, err := ev.Evaluate(context.Background(), ipTheft(), evaluate.AsOf(defaultAsOf))
		require.NoError(t, err)
		for _, f := range rep.Findings {
			assert.Empty(t, f.Trace, f.Norm)
		}
	})

	t.Run("does not change the verdicts", func(t *testing.T) {
		for id, inc := range exampleIncidents(t) {
			plain, err := ev.Evaluate(context.Background(), inc, evaluate.AsOf(defaultAsOf))
			require.NoError(t, err)
			traced, err := ev.Evaluate(context.Background(), inc, evaluate.AsOf(defaultAsOf), evaluate.WithTrace())
			require.NoError(t, err)
			for i := range plain.Findings {
				traced.Findings[i].Trace = nil
			}
			assert.Equal(t, plain, traced, id)
		}
	})
}

func findingWithTrace(t *testing.T, ev *evaluate.Evaluator, inc *incident.Incident, norm string) evaluate.Finding {
	t.Helper()
	rep, err := ev.Evaluate(context.Background(), inc, evaluate.AsOf(defaultAsOf), evaluate.WithTrace())
	require.NoError(t, err)
	f, ok := rep.Finding(norm)
	require.True(t, ok, norm)
	require.NotEmpty(t, f.Trace)
	return f
}
