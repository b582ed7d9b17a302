package evaluate_test

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/incident"
)

// TestConcurrentEvaluate uses one Evaluator from many goroutines over the
// real incidents (complete and incomplete ones, so both the plain and the
// partial evaluation run) and compares every report with a sequential
// baseline. Run it under -race.
func TestConcurrentEvaluate(t *testing.T) {
	goroutines, rounds := 16, 200
	if testing.Short() {
		rounds = 20
	}
	ev := newEvaluator(t) // fresh: its first residuals are rendered concurrently
	byID := exampleIncidents(t)
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	// Add Go-built incidents that reach pending and indeterminate findings.
	extra := []*incident.Incident{
		build(t, ipTheft, unknownPurpose, unknownBeneficiaries),
		build(t, ipTheft, unknownPurpose),
		build(t, ipTheft, requests(request("r1", "US", "CN", investigation, sent, "", "", ""))),
		build(t, gridAttack, relation(unknownRelation), unknownNotifications),
	}
	incs := make([]*incident.Incident, 0, len(ids)+len(extra))
	for _, id := range ids {
		incs = append(incs, byID[id])
	}
	for i, inc := range extra {
		inc.ID = "extra-" + string(rune('a'+i))
		incs = append(incs, inc)
	}

	render := func(inc *incident.Incident, trace bool) string {
		opts := []evaluate.EvalOption{evaluate.AsOf(at("2016-03-20"))}
		if trace {
			opts = append(opts, evaluate.WithTrace())
		}
		rep, err := ev.Evaluate(context.Background(), inc, opts...)
		if err != nil {
			return "error: " + err.Error()
		}
		b, err := json.Marshal(rep)
		if err != nil {
			return "error: " + err.Error()
		}
		return string(b)
	}

	// The baseline comes from a second evaluator, so that the concurrent run
	// is the first use of ev's programs.
	base := newEvaluator(t)
	want := make([]string, len(incs))
	wantTrace := make([]string, len(incs))
	for i, inc := range incs {
		for _, trace := range []bool{false, true} {
			opts := []evaluate.EvalOption{evaluate.AsOf(at("2016-03-20"))}
			if trace {
				opts = append(opts, evaluate.WithTrace())
			}
			rep, err := base.Evaluate(context.Background(), inc, opts...)
			require.NoError(t, err)
			b, err := json.Marshal(rep)
			require.NoError(t, err)
			if trace {
				wantTrace[i] = string(b)
			} else {
				want[i] = string(b)
			}
		}
	}

	var wg sync.WaitGroup
	mismatches := make(chan string, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			for r := range rounds {
				i := (g*7 + r) % len(incs)
				trace := r%10 == g%10 // one evaluation in ten traced
				got := render(incs[i], trace)
				exp := want[i]
				if trace {
					exp = wantTrace[i]
				}
				if got != exp {
					select {
					case mismatches <- incs[i].ID + ": " + got:
					default:
					}
					return
				}
			}
		})
	}
	wg.Wait()
	close(mismatches)
	for m := range mismatches {
		assert.Fail(t, "a concurrent report differs from the sequential one", m)
	}
}
