package main

import (
	"github.com/spf13/cobra"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/incident"
)

// limitFlags are the flags that bound what one input document, and one rule
// evaluation, may cost: the SDK's incident and evaluate options.
type limitFlags struct {
	maxBytes  int64
	maxDepth  int
	maxString int
	maxList   int
	costLimit uint64
	budget    uint64
}

// register adds the input limits to cmd, and the cost limit when cost is set.
func (l *limitFlags) register(cmd *cobra.Command, cost bool) {
	f := cmd.Flags()
	f.Int64Var(&l.maxBytes, "max-bytes", incident.DefaultMaxBytes, "largest document (or NDJSON line) accepted, in bytes")
	f.IntVar(&l.maxDepth, "max-depth", incident.DefaultMaxDepth, "deepest nesting of objects and arrays accepted")
	f.IntVar(&l.maxString, "max-string-length", incident.DefaultMaxStringLength, "longest string value accepted, in bytes")
	f.IntVar(&l.maxList, "max-list-length", incident.DefaultMaxListLength, "longest array (and most object members) accepted")
	if cost {
		f.Uint64Var(&l.costLimit, "cost-limit", evaluate.DefaultCostLimit, "runtime cost limit of one rule expression, in CEL cost units; a rule over it yields an error finding")
		f.Uint64Var(&l.budget, "incident-cost-budget", 0, "runtime cost budget of all the rules on one incident, in CEL cost units; rules past it yield error findings (default 0: none)")
	}
}

// decodeOptions returns the incident options of the flags, or a usage
// error for a value that is not positive.
func (l *limitFlags) decodeOptions() ([]incident.Option, error) {
	opts := []incident.Option{
		incident.WithMaxBytes(l.maxBytes),
		incident.WithMaxDepth(l.maxDepth),
		incident.WithMaxStringLength(l.maxString),
		incident.WithMaxListLength(l.maxList),
	}
	names := []string{"--max-bytes", "--max-depth", "--max-string-length", "--max-list-length"}
	vals := []int64{l.maxBytes, int64(l.maxDepth), int64(l.maxString), int64(l.maxList)}
	for i, v := range vals {
		if v <= 0 {
			return nil, usageError("%s %d: expected a positive number", names[i], v)
		}
	}
	return opts, nil
}

// evalOptions returns the evaluator options of the flags.
func (l *limitFlags) evalOptions() ([]evaluate.Option, error) {
	if l.costLimit == 0 {
		return nil, usageError("--cost-limit 0: expected a positive number")
	}
	return []evaluate.Option{evaluate.WithCostLimit(l.costLimit), evaluate.WithIncidentCostBudget(l.budget)}, nil
}
