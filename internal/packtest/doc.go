// Package packtest runs the test files of norm packs: <name>_test.yaml beside
// <name>.yaml, each listing cases of an incident, an evaluation time and the
// verdicts expected for some norms.
//
//	cases:
//	  - name: APT10 took trade secrets for Chinese companies
//	    as_of: 2020-01-01T00:00:00Z
//	    incident: ../../examples/incidents/apt10-cloud-hopper.json
//	    expect: {us-cn-2015/ip-theft: breached}
//	    expect_residual: {us-cn-2015/cooperation: party_requests}
//	    expect_loopholes: {g20-2015/ip-theft: [before-commitment]}
//	    params: {response_window: P60D}
//
// The incident is a path relative to the test file or an inline mapping (the
// incident document written in YAML). expect_residual checks that the
// finding's residual contains the text (runs of white space count as one
// space); expect_loopholes checks the set of loophole ids exactly. params
// overrides pack parameters for the case: "name" for the pack beside the test
// file, "pack/name" for another.
//
// Start with [ParseFile] (or [Parse] with a [Source]) and a [Runner]; the
// command `cybernorms test` is a thin layer over them.
package packtest
