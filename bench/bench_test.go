package bench

import (
	"context"
	"maps"
	"reflect"
	"slices"
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
	sinkRaw    *rawReport
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

// BenchmarkRawCEL: the same report content as the SDK's (verdict, message,
// loophole ids, obligations with their status) from bare cel-go programs of
// the three norms' expressions and the pack variables they use, compiled
// once; one activation per incident built before timing, its pack variables
// computed anew, once, in each evaluation.
func BenchmarkRawCEL(b *testing.B) {
	c := corpus(b)
	set, err := rawCompile()
	if err != nil {
		b.Fatal(err)
	}
	ris := make([]*rawIncident, len(c))
	for i := range c {
		ris[i] = set.activations(c[i].inc)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, ri := range ris {
			rep, err := set.evaluate(ri)
			if err != nil {
				b.Fatal(err)
			}
			sinkRaw = rep
		}
	}
	perIncident(b, len(c))
}

// BenchmarkRawCELBreachOnly: the earlier, smaller baseline: one bare cel-go
// program per norm computing only "breached or not", with the pack
// variables and constants written into it.
func BenchmarkRawCELBreachOnly(b *testing.B) {
	c := corpus(b)
	prgs, err := rawBreachPrograms()
	if err != nil {
		b.Fatal(err)
	}
	acts := make([]interpreter.Activation, len(c))
	for i := range c {
		if acts[i], err = rawBreachActivation(c[i].inc); err != nil {
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

// BenchmarkRego: the same report content in Rego (verdict, message, loophole
// ids, obligation statuses), prepared once with OPA v1; each incident's JSON
// document is converted to OPA's input value before timing.
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
			m, err := regoReport(ctx, q, in)
			if err != nil {
				b.Fatal(err)
			}
			sinkMap = m
		}
	}
	perIncident(b, len(c))
}

// TestSameOutcome checks that the benchmarks compute the same thing: the
// SDK and the raw cel-go programs the same report content (verdict, message,
// loophole ids, obligations and their status) for every norm and incident;
// Rego the same verdicts, messages, loophole ids and obligation statuses;
// all of them and the breach-only programs the same breach or no breach.
func TestSameOutcome(t *testing.T) {
	c := corpus(t)
	ev := sdkEvaluator(t)
	set, err := rawCompile()
	if err != nil {
		t.Fatal(err)
	}
	prgs, err := rawBreachPrograms()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	q, err := regoQuery(ctx)
	if err != nil {
		t.Fatal(err)
	}
	breaches := map[string]int{}
	verdicts := map[string]bool{}
	for _, e := range c {
		rep, err := ev.Evaluate(ctx, e.inc, evaluate.AsOf(asOf))
		if err != nil {
			t.Fatal(err)
		}
		ri := set.activations(e.inc)
		raw, err := set.evaluate(ri)
		if err != nil {
			t.Fatalf("%s: %v", e.name, err)
		}
		// Twice on the same activations: the variables must not carry over.
		if again, err := set.evaluate(ri); err != nil || !reflect.DeepEqual(again, raw) {
			t.Fatalf("%s: a second evaluation differs: %v", e.name, err)
		}
		if len(raw.Findings) != len(rep.Findings) {
			t.Fatalf("%s: %d raw findings, %d from the SDK", e.name, len(raw.Findings), len(rep.Findings))
		}
		act, err := rawBreachActivation(e.inc)
		if err != nil {
			t.Fatal(err)
		}
		in, err := regoInput(e.doc)
		if err != nil {
			t.Fatal(err)
		}
		rg, err := regoReport(ctx, q, in)
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range rep.Findings {
			if f.Verdict == evaluate.Failed || f.Verdict == evaluate.Indeterminate {
				t.Fatalf("%s: %s is %s: %s", e.name, f.Norm, f.Verdict, f.Message)
			}
			sameFinding(t, e.name, f, raw.Findings[i])
			verdicts[f.Norm+" "+string(f.Verdict)] = true
			got := f.Verdict == evaluate.Breached
			j := slices.IndexFunc(rawBreachOnly, func(r struct{ norm, src string }) bool { return r.norm == f.Norm })
			if j < 0 {
				t.Fatalf("no breach-only program for %s", f.Norm)
			}
			only, err := rawBreach(prgs[j], act)
			if err != nil {
				t.Fatalf("%s %s: %v", e.name, f.Norm, err)
			}
			rf, _ := rg[f.Norm].(map[string]any)
			if only != got || (rf["verdict"] == "breached") != got {
				t.Errorf("%s %s: SDK breached=%v, raw CEL breach-only %v, Rego %v", e.name, f.Norm, got, only, rf["verdict"])
			}
			sameRego(t, e.name, f, rf)
			if got {
				breaches[f.Norm]++
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
	t.Logf("verdicts seen: %v", slices.Sorted(maps.Keys(verdicts)))
}

// sameRego compares an SDK finding with Rego's: verdict, message, loophole
// ids, obligation statuses.
func sameRego(t *testing.T, name string, f evaluate.Finding, rf map[string]any) {
	t.Helper()
	var ids, statuses []string
	for _, l := range f.Loopholes {
		ids = append(ids, l.ID)
	}
	for _, o := range f.Obligations {
		statuses = append(statuses, string(o.Status))
	}
	strs := func(v any) []string {
		var out []string
		l, _ := v.([]any)
		for _, x := range l {
			s, _ := x.(string)
			out = append(out, s)
		}
		return out
	}
	if rf["verdict"] != string(f.Verdict) || rf["message"] != f.Message ||
		!slices.Equal(strs(rf["loopholes"]), ids) || !slices.Equal(strs(rf["obligations"]), statuses) {
		t.Errorf("%s %s: SDK %s %q %v %v, Rego %v %q %v %v", name, f.Norm, f.Verdict, f.Message, ids, statuses,
			rf["verdict"], rf["message"], rf["loopholes"], rf["obligations"])
	}
}

// sameFinding compares an SDK finding with the raw programs' one.
func sameFinding(t *testing.T, name string, f evaluate.Finding, r rawFinding) {
	t.Helper()
	if f.Norm != r.Norm || string(f.Verdict) != r.Verdict || f.Message != r.Message {
		t.Errorf("%s: SDK %s %s %q, raw %s %s %q", name, f.Norm, f.Verdict, f.Message, r.Norm, r.Verdict, r.Message)
	}
	var ids []string
	for _, l := range f.Loopholes {
		ids = append(ids, l.ID)
	}
	if !slices.Equal(ids, r.Loopholes) {
		t.Errorf("%s %s: loopholes SDK %v, raw %v", name, f.Norm, ids, r.Loopholes)
	}
	if len(f.Obligations) != len(r.Obligations) {
		t.Errorf("%s %s: %d obligations from the SDK, %d raw", name, f.Norm, len(f.Obligations), len(r.Obligations))
		return
	}
	for i, o := range f.Obligations {
		ro := r.Obligations[i]
		if o.Bearer != ro.Bearer || o.Trigger != ro.Trigger || !o.TriggeredAt.Equal(ro.TriggeredAt) ||
			!o.Due.Equal(ro.Due) || !o.DoneAt.Equal(ro.DoneAt) || string(o.Status) != ro.Status {
			t.Errorf("%s %s: obligation %d SDK %+v, raw %+v", name, f.Norm, i, o, ro)
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
