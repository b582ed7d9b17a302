package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"runtime"
	"strconv"
	"testing"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/norms"
	"github.com/cybernorms/cybernorms/schema"
)

// The SDK's other costs: every built-in norm on one incident, start-up,
// decoding with schema validation, and the NDJSON batch path.

func find(tb testing.TB, es []entry, name string) entry {
	tb.Helper()
	for _, e := range es {
		if e.name == name {
			return e
		}
	}
	tb.Fatalf("no incident %s", name)
	return entry{}
}

// BenchmarkBuiltinPacks evaluates one incident against every built-in norm:
// the example apt10-cloud-hopper as published, and its copy in the corpus.
// The copy is complete for the three compared norms only: in both, the rules
// that read an unknown fact are evaluated partially, with residuals and
// missing facts, and the copy has fewer of them.
func BenchmarkBuiltinPacks(b *testing.B) {
	ev, err := evaluate.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	opt := evaluate.AsOf(asOf)
	for _, c := range []struct {
		name string
		e    entry
	}{
		{"fixture", find(b, corpus(b), "apt10-cloud-hopper.json")},
		{"example", find(b, examples(b), "apt10-cloud-hopper.json")},
		{"complete", completeEntry(b)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rep, err := ev.Evaluate(ctx, c.e.inc, opt)
				if err != nil {
					b.Fatal(err)
				}
				sinkReport = rep
			}
			b.ReportMetric(float64(len(ev.RuleSet().Norms())), "norms")
		})
	}
}

// completeDoc is an incident with every fact known that some built-in norm
// reads (lists known to be empty where nothing happened): every rule runs on
// the plain path. It is made up for the benchmark, not a real incident.
const completeDoc = `{"id": "complete", "title": "every fact known",
  "period": {"start": "2016-01-01T00:00:00Z", "end": "2017-01-01T00:00:00Z"},
  "victims": [{"state": "US", "sector": "energy", "entity": "a utility", "critical_infrastructure": true}],
  "origin": {"territory": "CN"},
  "actor": {"name": "a contractor", "kind": "contractor", "state": "CN", "relation": "directed"},
  "activity": ["intrusion", "data_theft"], "data_taken": ["trade_secrets"], "purpose": "competitive_advantage",
  "beneficiaries": [{"kind": "state_owned_enterprise", "state": "CN"}],
  "effects": {"impact": "data_loss", "intentional": true},
  "attributions": [], "notifications": [], "mitigations": [], "requests": [],
  "sources": [{"title": "none", "url": "https://example.org/"}]}`

func completeEntry(tb testing.TB) entry {
	inc, err := incident.Decode([]byte(completeDoc))
	if err != nil {
		tb.Fatal(err)
	}
	if len(inc.Unknowns()) != 0 {
		tb.Fatalf("the complete incident lacks %v", inc.Unknowns())
	}
	return entry{name: "complete", raw: []byte(completeDoc), inc: inc}
}

// BenchmarkCompileBuiltin compiles the built-in packs (loaded once).
func BenchmarkCompileBuiltin(b *testing.B) {
	packs, err := norms.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := norms.Compile(packs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStartup is what a process pays before its first evaluation: load
// and compile the built-in packs and prepare the evaluator.
func BenchmarkStartup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		packs, err := norms.Builtin()
		if err != nil {
			b.Fatal(err)
		}
		rs, err := norms.Compile(packs)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := evaluate.New(rs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode decodes every example document: with the JSON Schema
// (schema.Decode, what the command line does) and without it
// (incident.Decode). One op is the 14 examples.
func BenchmarkDecode(b *testing.B) {
	es := examples(b)
	for _, c := range []struct {
		name   string
		decode func([]byte) (*incident.Incident, error)
	}{
		{"schema", func(d []byte) (*incident.Incident, error) { return schema.Decode(d) }},
		{"model", func(d []byte) (*incident.Incident, error) { return incident.Decode(d) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, e := range es {
					if _, err := c.decode(e.raw); err != nil {
						b.Fatal(err)
					}
				}
			}
			perIncident(b, len(es))
		})
	}
}

// streamInput is the examples as NDJSON, repeated to streamRepeat×14 lines.
const streamRepeat = 100

func streamInput(tb testing.TB) ([]byte, int) {
	tb.Helper()
	var buf bytes.Buffer
	es := examples(tb)
	for range streamRepeat {
		for _, e := range es {
			if err := json.Compact(&buf, e.raw); err != nil {
				tb.Fatal(err)
			}
			buf.WriteByte('\n')
		}
	}
	return buf.Bytes(), streamRepeat * len(es)
}

// BenchmarkStream is the batch path: Evaluator.Stream over the NDJSON, each
// line decoded with schema validation and evaluated against every built-in
// norm, reports written in order; on one worker and on every CPU.
func BenchmarkStream(b *testing.B) {
	ev, err := evaluate.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	in, lines := streamInput(b)
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run("workers="+strconv.Itoa(workers), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				st, err := ev.Stream(context.Background(), bytes.NewReader(in), io.Discard,
					evaluate.WithWorkers(workers),
					evaluate.WithDecoder(func(d []byte) (*incident.Incident, error) { return schema.Decode(d) }),
					evaluate.WithEvalOptions(evaluate.AsOf(asOf)))
				if err != nil {
					b.Fatal(err)
				}
				if st.Lines != lines || st.Errors != 0 {
					b.Fatalf("%d lines, %d errors; want %d lines", st.Lines, st.Errors, lines)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lines), "ns/line")
		})
	}
}
