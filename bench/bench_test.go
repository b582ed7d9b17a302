package bench

import (
	"context"
	"testing"

	"cel.dev/cel-go/interpreter"
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/norms"
)

// One op of the three comparison benchmarks is the whole corpus: every
// incident of testdata/incidents against the three norms. ns/incident is the
// same time per incident.

var (
	sinkReport *evaluate.Report
	sinkBool   bool
	sinkMap    map[string]any
)

func perIncident(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/incident")
}

// BenchmarkSDKEvaluate: the public Evaluator, full reports (verdict,
// message, citation, obligations, loopholes) for the three norms.
func BenchmarkSDKEvaluate(b *testing.B) {
	c := corpus(b)
	ev := sdkEvaluator(b)
	ctx := context.Background()
	opt := evaluate.AsOf(asOf)
	b.ReportAllocs()
	for b.Loop() {
		for i := range c {
			rep, err := ev.Evaluate(ctx, c[i].inc, opt)
			if err != nil {
				b.Fatal(err)
			}
			sinkReport = rep
		}
	}
	perIncident(b, len(c))
}

// BenchmarkRawCEL: the same logic as bare cel-go programs, compiled once,
// with an activation per incident built before timing.
func BenchmarkRawCEL(b *testing.B) {
	c := corpus(b)
	prgs, err := rawPrograms()
	if err != nil {
		b.Fatal(err)
	}
	acts := make([]interpreter.Activation, len(c))
	for i := range c {
		if acts[i], err = rawActivation(c[i].inc); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, act := range acts {
			for _, p := range prgs {
				out, _, err := p.Eval(act)
				if err != nil {
					b.Fatal(err)
				}
				sinkBool = out == nil
			}
		}
	}
	perIncident(b, len(c))
}

// BenchmarkRego: the same logic in Rego, prepared once with OPA v1; each
// incident's JSON document is converted to OPA's input value before timing.
func BenchmarkRego(b *testing.B) {
	c := corpus(b)
	ctx := context.Background()
	q, err := regoQuery(ctx)
	if err != nil {
		b.Fatal(err)
	}
	ins := make([]ast.Value, len(c))
	for i := range c {
		if ins[i], err = regoInput(c[i].doc); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, in := range ins {
			m, err := regoBreaches(ctx, q, in)
			if err != nil {
				b.Fatal(err)
			}
			sinkMap = m
		}
	}
	perIncident(b, len(c))
}

// TestSameOutcome checks that the three benchmarks compute the same thing:
// breach or no breach, per norm and incident.
func TestSameOutcome(t *testing.T) {
	c := corpus(t)
	ev := sdkEvaluator(t)
	prgs, err := rawPrograms()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	q, err := regoQuery(ctx)
	if err != nil {
		t.Fatal(err)
	}
	breaches := map[string]int{}
	for _, e := range c {
		sdk := sdkBreaches(t, ev, e.inc)
		act, err := rawActivation(e.inc)
		if err != nil {
			t.Fatal(err)
		}
		in, err := regoInput(e.doc)
		if err != nil {
			t.Fatal(err)
		}
		rg, err := regoBreaches(ctx, q, in)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rawCEL {
			raw, err := rawBreach(prgs[i], act)
			if err != nil {
				t.Fatalf("%s %s: %v", e.name, r.norm, err)
			}
			got, ok := sdk[r.norm]
			if !ok {
				t.Fatalf("%s: no finding for %s", e.name, r.norm)
			}
			if raw != got || rg[r.norm] != got {
				t.Errorf("%s %s: SDK breached=%v, raw CEL %v, Rego %v", e.name, r.norm, got, raw, rg[r.norm])
			}
			if got {
				breaches[r.norm]++
			}
		}
	}
	// The comparison means something only if each norm is both breached and
	// not breached somewhere in the corpus.
	for _, n := range benchNorms {
		if breaches[n] == 0 || breaches[n] == len(c) {
			t.Errorf("%s is breached by %d of %d incidents: the corpus does not exercise both outcomes", n, breaches[n], len(c))
		}
	}
}

// TestCorpusComplete checks that no incident of the corpus lacks a fact that
// an expression of the three norms reads (through pack variables too), so the
// SDK evaluates each one plainly, as the raw programs do.
func TestCorpusComplete(t *testing.T) {
	ev := sdkEvaluator(t)
	for _, e := range corpus(t) {
		unknown := e.inc.UnknownFacts()
		for _, n := range ev.RuleSet().Norms() {
			for what, x := range expressions(n) {
				if missing := x.Facts & unknown; missing != 0 {
					t.Errorf("%s: %s %s reads unknown facts %v", e.name, n.ID, what, missing.Facts())
				}
				for _, k := range x.Extensions {
					if _, ok := e.inc.Extensions[k]; !ok {
						t.Errorf("%s: %s %s reads the absent extension %q", e.name, n.ID, what, k)
					}
				}
			}
		}
	}
}

// TestExamplesIncomplete records why the corpus is made of completed copies:
// no example incident has every fact the three norms read.
func TestExamplesIncomplete(t *testing.T) {
	ev := sdkEvaluator(t)
	for _, e := range examples(t) {
		var read incident.FactSet
		for _, n := range ev.RuleSet().Norms() {
			for _, x := range expressions(n) {
				read |= x.Facts
			}
		}
		if read&e.inc.UnknownFacts() == 0 {
			t.Logf("%s is complete for the three norms: it could join the corpus as it is", e.name)
		}
	}
}

// expressions lists a norm's compiled expressions by role.
func expressions(n *norms.CompiledNorm) map[string]*norms.Expression {
	m := map[string]*norms.Expression{}
	add := func(what string, x *norms.Expression) {
		if x != nil {
			m[what] = x
		}
	}
	add("applies", n.Applies)
	add("breach", n.Breach)
	add("message", n.Message)
	for _, l := range n.Loopholes {
		add("loophole "+l.ID, l.When)
	}
	if o := n.Obligation; o != nil {
		add("each", o.Each)
		add("bearer", o.Bearer)
		add("trigger", o.Trigger)
		add("triggered_at", o.TriggeredAt)
		add("due", o.Due)
		add("done_at", o.DoneAt)
	}
	return m
}
