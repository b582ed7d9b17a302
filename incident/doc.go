// Package incident is the typed model of an incident document: the facts about
// one state-linked cyber operation that cybernorms checks against norms.
//
// Start with [Decode], which reads one JSON document strictly (unknown fields,
// duplicate keys, trailing data and oversized documents are errors) and checks
// it with [Incident.Validate]. Every error is a [*FieldError] that carries the
// JSON Pointer of the offending value; a [ErrorList] holds several and works
// with errors.As.
//
// # Known, unknown and none
//
// The evaluator reasons in three values, so the model keeps three states of a
// fact apart:
//
//   - absent: a nil pointer, a nil slice, or an empty enum string. The fact is
//     unknown.
//   - "unknown": an enum whose value is the constant spelled "unknown" is also
//     unknown.
//   - known: any other value. An empty, non-nil slice is known to be empty
//     (for example data_taken: [] says that no data was taken).
//
// Two absences are facts, not gaps, because the document format gives them a
// meaning: a missing period.end means the conduct was still going on at the
// evaluation time, and a missing requests[].responded_at means no response
// had been given. [Incident.Unknown] lists the unknown facts of a document.
//
// Encoding keeps the distinction: nil slices and pointers are omitted and empty
// slices are written as [].
package incident
