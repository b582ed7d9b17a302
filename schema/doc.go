// Package schema holds the JSON Schemas of cybernorms documents and validates
// documents against them, with errors that carry the JSON Pointer of each
// fault.
//
// Start with [Decode]: it reads one incident document, checks its structure
// and limits, validates it against the incident schema, checks the rules a
// schema cannot express ([incident.Incident.Validate]) and returns the typed
// incident, or an [incident.ErrorList] sorted in document order with each
// fault reported once. [Validate] runs the schema alone.
//
// [Pack] is the schema of a norm pack, for editors: the built-in packs name
// it in a `# yaml-language-server: $schema=…` comment. It checks a pack's
// structure; the CEL expressions are type-checked when the pack compiles.
//
// The schemas are generated from the Go types by `go generate ./schema`
// (see internal/gen), committed, and embedded; [Lookup] and [Names] reach them
// by name, as `cybernorms schema NAME` does. A test fails when a committed
// schema no longer matches the types.
//
// Schemas are compiled once, on first use, and are safe for concurrent use.
package schema

//go:generate go run ./internal/cmd/genschema
