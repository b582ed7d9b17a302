// Package norms loads norm packs and compiles them into a [RuleSet].
//
// A norm pack is a YAML (or JSON) document that encodes one instrument — the
// 2015 US–China commitments, a UN GGE report, the law of state responsibility
// — as norms whose conditions are CEL expressions over an incident. Start with
// [Builtin], which returns the packs embedded in the binary, or [Load],
// [LoadFile] and [LoadFS] for your own, then [Compile] them:
//
//	packs, err := norms.Builtin()
//	rs, err := norms.Compile(packs)
//
// Compiling type-checks every expression against the incident model: a
// misspelled field or a comparison of the wrong types is a [Diagnostic] at the
// pack file's line and column, with a "did you mean" hint. The [RuleSet] is
// immutable and safe for concurrent use; package evaluate turns it into
// verdicts.
//
// # In scope in a rule
//
//   - incident: the incident (type incident.Incident), with the JSON field
//     names: incident.actor.relation, incident.victims[0].critical_infrastructure.
//   - as_of: the evaluation time (timestamp).
//   - params.<name>: the pack's parameters, constants folded in at compile time.
//   - pack.parties (list of strings) and pack.effective_from (timestamp), when
//     the pack declares them.
//   - the pack's variables by name (derived facts computed once per incident).
//   - in an obligation, the element it is created for, under the name of its
//     "as" field.
//
// See docs/writing-norms.md for the pack format and the functions available.
package norms
