package evaluate_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/evaluate"
)

// TestResidualLeavesRuleSetIntact guards against pruning the compiled rules
// while rendering a residual: cel-go's ResidualAst edits the macro calls of
// the AST it is given, so a residual over "beneficiaries.exists(…)" known
// false once dropped the exists() macro from the rule set, and every later
// residual of that variable came out empty (and concurrent evaluations
// wrote the same map).
func TestResidualLeavesRuleSetIntact(t *testing.T) {
	ev := newEvaluator(t) // a fresh rule set: no other test has touched it
	const norm = "us-cn-2015/ip-theft"
	bothUnknown := build(t, ipTheft, unknownPurpose, unknownBeneficiaries)
	purposeOnly := build(t, ipTheft, unknownPurpose) // beneficiaries known: []

	first := findingOf(t, ev, bothUnknown, defaultAsOf, norm)
	require.Equal(t, evaluate.Indeterminate, first.Verdict)
	assert.Equal(t, `commercial_intent; where commercial_intent = incident.purpose == "competitive_advantage" || `+
		`incident.beneficiaries.exists(b, b.kind in ["state_owned_enterprise", "private_company", "commercial_sector"])`,
		first.Residual)

	// The exists() is known false here and is pruned from this residual …
	pruned := findingOf(t, ev, purposeOnly, defaultAsOf, norm)
	require.Equal(t, evaluate.Indeterminate, pruned.Verdict)
	assert.Equal(t, []string{"incident.purpose"}, pruned.Missing)
	assert.Contains(t, pruned.Residual, `incident.purpose == "competitive_advantage"`)
	assert.NotContains(t, pruned.Residual, "beneficiaries")

	// … and only from it.
	again := findingOf(t, ev, bothUnknown, defaultAsOf, norm)
	assert.Equal(t, first.Residual, again.Residual)
	assert.Equal(t, first.Missing, again.Missing)
}

// TestIndeterminateNamesDecidingFacts checks the residual and missing facts
// of a finding whose applicability and breach both turn on unknown facts.
func TestIndeterminateNamesDecidingFacts(t *testing.T) {
	inc := build(t, ipTheft, actorState(""), relation(""), unknownPurpose, unknownBeneficiaries)
	rep, err := newEvaluator(t).Evaluate(context.Background(), inc, evaluate.AsOf(defaultAsOf))
	require.NoError(t, err)
	f, ok := rep.Finding("us-cn-2015/ip-theft")
	require.True(t, ok)
	assert.Equal(t, evaluate.Indeterminate, f.Verdict)
	assert.Equal(t, []string{"incident.actor.relation", "incident.actor.state", "incident.beneficiaries", "incident.purpose"}, f.Missing)
	for _, frag := range []string{"between_parties", "conducted_or_knowingly_supported", "commercial_intent",
		`incident.actor.state in pack.parties`, `incident.purpose == "competitive_advantage"`} {
		assert.Contains(t, f.Residual, frag)
	}
	assert.NotContains(t, f.Residual, "ip_taken", "a known element is not left over")
	assert.NotContains(t, f.Residual, "\n", "a residual is one line")
}
