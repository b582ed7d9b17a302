// Package bench holds the benchmarks of the SDK against bare cel-go and OPA
// Rego. It is a module of its own so that OPA never enters the SDK's
// dependencies; run it with go test -bench . in this directory.
package bench
