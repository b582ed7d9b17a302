package evaluate_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/norms"
)

// limHostilePack has a norm that evaluates cheaply and norms whose rules are
// cheap by the static estimate (lists of 100) but quadratic in the victims.
const limHostilePack = `pack: hostile
title: Hostile rules
instrument: {name: X, date: 2015-01-01, status: political_commitment}
parties: [US, CN]
norms:
  - id: fine
    title: A norm that evaluates
    citation: {paragraph: "1"}
    breach: incident.victims.exists(v, v.state == 'US')
  - id: heavy
    title: Quadratic in the victims
    citation: {paragraph: "2"}
    breach: incident.victims.exists(a, incident.victims.exists(b, a.state == 'XX' && b.state == 'YY'))
  - id: heavy-or-unknown
    title: Quadratic, or an unknown fact
    citation: {paragraph: "3"}
    breach: incident.victims.exists(a, incident.victims.exists(b, a.state == 'XX' && b.state == 'YY')) || incident.actor.state == 'CN'
  - id: also-fine
    title: Another norm that evaluates
    citation: {paragraph: "4"}
    breach: incident.victims.size() > 1
`

func limEvaluator(t testing.TB, opts ...evaluate.Option) *evaluate.Evaluator {
	t.Helper()
	p, err := norms.Load("hostile.yaml", []byte(limHostilePack))
	require.NoError(t, err)
	rs, err := norms.Compile([]*norms.Pack{p})
	require.NoError(t, err)
	ev, err := evaluate.New(rs, opts...)
	require.NoError(t, err)
	return ev
}

// limVictims is a valid incident with n victims.
func limVictims(t testing.TB, n int) *incident.Incident {
	t.Helper()
	vs := make([]string, n)
	for i := range vs {
		vs[i] = `{"state":"US"}`
	}
	inc, err := incident.Decode([]byte(`{"id":"many","period":{"start":"2015-09-25T00:00:00Z"},"victims":[` + strings.Join(vs, ",") + `]}`))
	require.NoError(t, err)
	return inc
}

var limAsOf = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

func limVerdicts(rep *evaluate.Report) map[string]evaluate.Verdict {
	out := map[string]evaluate.Verdict{}
	for _, f := range rep.Findings {
		out[f.Norm] = f.Verdict
	}
	return out
}

// TestCostLimitFailsOnlyThatNorm: a rule over the runtime cost limit yields
// an error finding naming the limit and the rule's place; the other norms
// still evaluate.
func TestCostLimitFailsOnlyThatNorm(t *testing.T) {
	ev := limEvaluator(t)
	inc := limVictims(t, 1000) // 1,000,000 iterations per heavy rule
	start := time.Now()
	rep, err := ev.Evaluate(context.Background(), inc, evaluate.AsOf(limAsOf))
	require.NoError(t, err)
	require.Less(t, time.Since(start), 30*time.Second, "the cost limit ends the rules early")
	require.Equal(t, map[string]evaluate.Verdict{
		"hostile/fine":             evaluate.Breached,
		"hostile/heavy":            evaluate.Failed,
		"hostile/heavy-or-unknown": evaluate.Failed,
		"hostile/also-fine":        evaluate.Breached,
	}, limVerdicts(rep))
	for _, f := range rep.Findings {
		if f.Verdict == evaluate.Failed {
			require.Contains(t, f.Error, "breach at hostile.yaml:")
			require.Contains(t, f.Error, "cost limit")
			require.Contains(t, f.Message, "the rule could not be evaluated")
		}
	}

	// A small incident is well within the limit.
	rep, err = ev.Evaluate(context.Background(), limVictims(t, 3), evaluate.AsOf(limAsOf))
	require.NoError(t, err)
	require.NotContains(t, limVerdicts(rep), evaluate.Failed)

	// A higher limit lets the rule finish.
	rep, err = limEvaluator(t, evaluate.WithCostLimit(1<<40)).Evaluate(context.Background(), limVictims(t, 300), evaluate.AsOf(limAsOf))
	require.NoError(t, err)
	require.Equal(t, evaluate.NotBreached, limVerdicts(rep)["hostile/heavy"])
}

func TestWithCostLimitRejectsZero(t *testing.T) {
	rs, err := norms.Compile(nil)
	require.NoError(t, err)
	_, err = evaluate.New(rs, evaluate.WithCostLimit(0))
	require.EqualError(t, err, "evaluate: cost limit must be positive")
}

// TestDeadlineEndsEvaluation: with no cost limit to speak of, the caller's
// deadline ends a rule that would run for minutes (interrupt checks inside
// comprehensions); the rules cut short are errors, never a verdict built
// on an interrupted value.
func TestDeadlineEndsEvaluation(t *testing.T) {
	ev := limEvaluator(t, evaluate.WithCostLimit(1<<62))
	inc := limVictims(t, 5000) // 25,000,000 iterations per heavy rule
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	rep, err := ev.Evaluate(ctx, inc, evaluate.AsOf(limAsOf))
	took := time.Since(start)
	require.NoError(t, err)
	require.Less(t, took, 10*time.Second, "the deadline ends evaluation promptly")
	v := limVerdicts(rep)
	require.Equal(t, evaluate.Failed, v["hostile/heavy"])
	require.Equal(t, evaluate.Failed, v["hostile/heavy-or-unknown"], "not indeterminate: the interrupted part might have been true")
	for _, f := range rep.Findings {
		if f.Verdict == evaluate.Failed {
			require.Contains(t, f.Error, "context deadline exceeded")
		}
	}

	// A context already done: nothing is evaluated.
	_, err = ev.Evaluate(ctx, inc, evaluate.AsOf(limAsOf))
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

// TestEvaluatorSharedByGoroutinesLimits: one Evaluator from many goroutines
// (run with -race), mixing incidents that go over the cost limit, a
// deadline, tracing and plain ones; each gets the report it gets alone.
func TestEvaluatorSharedByGoroutinesLimits(t *testing.T) {
	ev := limEvaluator(t)
	builtin, err := evaluate.Builtin()
	require.NoError(t, err)
	small, big := limVictims(t, 3), limVictims(t, 400)
	wantSmall, err := ev.Evaluate(context.Background(), small, evaluate.AsOf(limAsOf))
	require.NoError(t, err)
	wantBig, err := ev.Evaluate(context.Background(), big, evaluate.AsOf(limAsOf))
	require.NoError(t, err)
	wantBuiltin, err := builtin.Evaluate(context.Background(), small, evaluate.AsOf(limAsOf))
	require.NoError(t, err)

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 6 {
		wg.Go(func() {
			for i := range 2 {
				var err error
				switch (g + i) % 4 {
				case 0:
					var rep *evaluate.Report
					if rep, err = ev.Evaluate(context.Background(), small, evaluate.AsOf(limAsOf)); err == nil && limJSON(rep) != limJSON(wantSmall) {
						err = fmt.Errorf("small: got %v", limVerdicts(rep))
					}
				case 1:
					var rep *evaluate.Report
					if rep, err = ev.Evaluate(context.Background(), big, evaluate.AsOf(limAsOf)); err == nil && fmt.Sprint(limVerdicts(rep)) != fmt.Sprint(limVerdicts(wantBig)) {
						err = fmt.Errorf("big: got %v", limVerdicts(rep))
					}
				case 2:
					ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
					_, err = ev.Evaluate(ctx, big, evaluate.AsOf(limAsOf))
					cancel()
				case 3:
					var rep *evaluate.Report
					if rep, err = builtin.Evaluate(context.Background(), small, evaluate.AsOf(limAsOf), evaluate.WithTrace()); err == nil && fmt.Sprint(limVerdicts(rep)) != fmt.Sprint(limVerdicts(wantBuiltin)) {
						err = fmt.Errorf("builtin: got %v", limVerdicts(rep))
					}
				}
				if err != nil && !isCtxErr(err) {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// isCtxErr reports whether err is a context's error (a deadline that
// passed before evaluation started).
func isCtxErr(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

func limJSON(rep *evaluate.Report) string {
	b, _ := json.Marshal(rep)
	return string(b)
}
