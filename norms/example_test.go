package norms_test

import (
	"errors"
	"fmt"
	"log"

	"cel.dev/cel-go/cel"

	"github.com/cybernorms/cybernorms/norms"
)

// Compile the built-in packs once; the rule set is immutable and can be
// shared by every evaluation.
func ExampleCompile() {
	packs, err := norms.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	rs, err := norms.Compile(packs)
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range rs.Norms() {
		fmt.Printf("%-26s %s\n", n.ID, n.Citation.Paragraph)
	}
	// Output:
	// us-cn-2015/ip-theft        Cybersecurity
	// us-cn-2015/timely-response Cybersecurity
	// us-cn-2015/cooperation     Cybersecurity
	// g20-2015/ip-theft          ¶26
	// un-gge-2015/13c            ¶13(c)
	// un-gge-2015/13f            ¶13(f)
	// un-gge-2015/13h            ¶13(h)
	// un-gge-2015/13k            ¶13(k)
	// intl-law/sovereignty       Rule 4
	// intl-law/proxies           ¶28(e); A/68/98 (2013) ¶23
}

// A misspelled field is reported at its line and column in the pack file,
// with the source line, a caret and the name that was probably meant.
func ExampleCompile_diagnostic() {
	src := `pack: my-pack
instrument: {name: Our reading of the pledge}
norms:
  - id: military-actor
    title: Operations by armed forces
    citation: {paragraph: "¶3", quote: "…"}
    breach: >
      incident.actor.kind == 'military' &&
      incident.actor.relaton == 'organ'
`
	pack, err := norms.Load("my-pack.yaml", []byte(src))
	if err != nil {
		log.Fatal(err)
	}
	_, err = norms.Compile([]*norms.Pack{pack})
	var d *norms.Diagnostic
	if errors.As(err, &d) {
		fmt.Println(d.Pos)
		fmt.Println(d.Summary)
		fmt.Println(d.Detail)
	}
	fmt.Println(err)
	// Output:
	// my-pack.yaml:9:22
	// undefined field 'relaton'
	// did you mean 'relation'?
	// my-pack.yaml:9:22: error: my-pack/military-actor breach: undefined field 'relaton' (did you mean 'relation'?)
	// 9 |       incident.actor.relaton == 'organ'
	//   |                      ^
}

// Load checks the pack's structure before any expression is compiled: an
// unknown field is an error with a hint.
func ExampleLoad() {
	src := `pack: my-pack
instrument: {name: Our reading of the pledge}
norms:
  - id: military-actor
    title: Operations by armed forces
    citation: {paragraph: "¶3", quote: "…"}
    breech: incident.actor.kind == 'military'
`
	_, err := norms.Load("my-pack.yaml", []byte(src))
	fmt.Println(err)
	// Output:
	// my-pack.yaml:7:5: error: unknown field "breech" in norm (did you mean "breach"?)
	// 7 |     breech: incident.actor.kind == 'military'
	//   |     ^
}

// A parameter's default can be overridden when the rule set is compiled.
func ExampleWithParam() {
	packs, err := norms.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	rs, err := norms.Compile(packs, norms.WithParam("us-cn-2015", "response_window", "P60D"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rs.Packs()[0].Params["response_window"])
	// Output:
	// 1440h0m0s
}

// The function library can be used in any CEL environment.
func ExampleFunctions() {
	env, err := cel.NewEnv(norms.Functions())
	if err != nil {
		log.Fatal(err)
	}
	for _, expr := range []string{
		`attributable('directed')`,
		`attributable('knowingly_supported')`,
		`intersects(['personal_data', 'trade_secrets'], ['trade_secrets', 'intellectual_property'])`,
		`within(timestamp('2016-01-04T00:00:00Z'), timestamp('2016-02-01T00:00:00Z'), duration('720h'))`,
		`is_state('unknown')`,
	} {
		ast, iss := env.Compile(expr)
		if iss.Err() != nil {
			log.Fatal(iss.Err())
		}
		prg, err := env.Program(ast)
		if err != nil {
			log.Fatal(err)
		}
		out, _, err := prg.Eval(cel.NoVars())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(expr, "→", out)
	}
	// Output:
	// attributable('directed') → true
	// attributable('knowingly_supported') → false
	// intersects(['personal_data', 'trade_secrets'], ['trade_secrets', 'intellectual_property']) → true
	// within(timestamp('2016-01-04T00:00:00Z'), timestamp('2016-02-01T00:00:00Z'), duration('720h')) → true
	// is_state('unknown') → false
}
