package evaluate_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/norms"
)

func TestIncidentCostBudget(t *testing.T) {
	packs, err := norms.Builtin()
	require.NoError(t, err)
	rs, err := norms.Compile(packs)
	require.NoError(t, err)
	inc := build(t, ipTheft)

	// Without a budget every rule is evaluated.
	ev, err := evaluate.New(rs)
	require.NoError(t, err)
	rep, err := ev.Evaluate(context.Background(), inc, evaluate.AsOf(defaultAsOf))
	require.NoError(t, err)
	require.Zero(t, rep.Count(evaluate.Failed))

	// A budget too small for the whole incident: the first rules still get
	// verdicts, the rest are error findings that say why, and nothing panics.
	ev, err = evaluate.New(rs, evaluate.WithIncidentCostBudget(100))
	require.NoError(t, err)
	rep, err = ev.Evaluate(context.Background(), inc, evaluate.AsOf(defaultAsOf))
	require.NoError(t, err)
	require.Len(t, rep.Findings, len(rs.Norms()))
	failed := rep.Count(evaluate.Failed)
	assert.Positive(t, failed, "a small budget stops evaluation")
	assert.Less(t, failed, len(rep.Findings), "rules before the budget ran out keep their verdicts")
	for _, f := range rep.Findings {
		if f.Verdict == evaluate.Failed {
			assert.Contains(t, f.Error, "over the cost budget of 100 for one incident")
		}
	}

	// A generous budget changes nothing, and it is counted per incident.
	ev, err = evaluate.New(rs, evaluate.WithIncidentCostBudget(10_000_000))
	require.NoError(t, err)
	for range 3 {
		rep, err = ev.Evaluate(context.Background(), inc, evaluate.AsOf(defaultAsOf))
		require.NoError(t, err)
		assert.Zero(t, rep.Count(evaluate.Failed))
	}
}
