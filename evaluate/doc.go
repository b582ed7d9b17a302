// Package evaluate checks incidents against compiled norms and reports a
// finding per norm: a verdict, the text it rests on, and — when the facts are
// incomplete — the condition left over the missing facts and their names.
//
// Start with [Check] for the common case (the built-in packs, one incident),
// or build an [Evaluator] once from a [norms.RuleSet] and call
// [Evaluator.Evaluate] for each incident:
//
//	rs, _ := norms.Compile(packs)
//	ev, _ := evaluate.New(rs)
//	report, err := ev.Evaluate(ctx, inc, evaluate.AsOf(t))
//
// # Verdicts
//
// Each norm yields one of: not_applicable (the norm does not reach the
// incident), not_breached, breached, indeterminate (an unknown fact decides
// it: the finding names the facts in Missing and gives the condition left
// over them in Residual) and pending (a duty the norm creates is open and not
// yet due). Evaluation uses three-valued logic: a known-false element decides
// not_breached even when other facts are unknown.
//
// An incident whose facts are all known for a rule is evaluated plainly on
// the Go value; only rules that read an unknown fact are evaluated with CEL's
// partial evaluation, so complete incidents pay nothing for the feature.
//
// An [Evaluator] is immutable and safe for concurrent use; [Stream]
// evaluates NDJSON on every core and writes reports in input order.
package evaluate
