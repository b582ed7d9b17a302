package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/norms"
)

// asOf is the fixed evaluation time of every benchmark.
var asOf = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// benchNorms are the norms the three comparison benchmarks evaluate.
var benchNorms = []string{"us-cn-2015/ip-theft", "un-gge-2015/13f", "us-cn-2015/timely-response"}

// entry is one incident of the corpus in every form the benchmarks need,
// prepared before any timing starts.
type entry struct {
	name string
	raw  []byte
	inc  *incident.Incident
	doc  map[string]any // the JSON document, for Rego
}

var corpusOnce = sync.OnceValues(func() ([]entry, error) {
	return loadDir("testdata/incidents")
})

// corpus returns the benchmark corpus: testdata/incidents, copies of the
// example incidents with the facts the three norms read made explicit (see
// testdata/README.md).
func corpus(tb testing.TB) []entry {
	tb.Helper()
	c, err := corpusOnce()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// examples returns the example incidents as they are, unknown facts and all.
func examples(tb testing.TB) []entry {
	tb.Helper()
	c, err := loadDir("../examples/incidents")
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func loadDir(dir string) ([]entry, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no incidents in %s", dir)
	}
	var out []entry
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		inc, err := incident.Decode(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out = append(out, entry{name: filepath.Base(f), raw: raw, inc: inc, doc: doc})
	}
	return out, nil
}

// benchRuleSet compiles the built-in packs restricted to the benchmarked
// norms: each pack keeps its parameters and variables, and only those norms.
func benchRuleSet() (*norms.RuleSet, error) {
	packs, err := norms.Builtin()
	if err != nil {
		return nil, err
	}
	var keep []*norms.Pack
	for _, p := range packs {
		q := *p
		q.Norms = nil
		for _, n := range p.Norms {
			if slices.Contains(benchNorms, p.ID+"/"+n.ID) {
				q.Norms = append(q.Norms, n)
			}
		}
		if len(q.Norms) > 0 {
			keep = append(keep, &q)
		}
	}
	return norms.Compile(keep)
}

var sdkOnce = sync.OnceValues(func() (*evaluate.Evaluator, error) {
	rs, err := benchRuleSet()
	if err != nil {
		return nil, err
	}
	return evaluate.New(rs)
})

func sdkEvaluator(tb testing.TB) *evaluate.Evaluator {
	tb.Helper()
	ev, err := sdkOnce()
	if err != nil {
		tb.Fatal(err)
	}
	if got := len(ev.RuleSet().Norms()); got != len(benchNorms) {
		tb.Fatalf("the restricted rule set has %d norms, want %d", got, len(benchNorms))
	}
	return ev
}
