package norms_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/internal/incidenttest"
	"github.com/cybernorms/cybernorms/norms"
)

// fuzzVerdicts are the verdicts a finding may have.
var fuzzVerdicts = []evaluate.Verdict{evaluate.Breached, evaluate.NotBreached, evaluate.NotApplicable,
	evaluate.Indeterminate, evaluate.Pending, evaluate.Failed}

// FuzzLoadPack checks that no pack text makes Load, Compile or the evaluator
// panic: Load and Compile either accept the pack or return Diagnostics, and
// a pack that compiles evaluates a fixed incident (both a complete one and
// one with unknown facts) to one finding per norm with a valid verdict.
// The built-in packs are seeds; testdata/fuzz/FuzzLoadPack holds small
// packs that reach every part of the format, and what fuzzing found.
func FuzzLoadPack(f *testing.F) {
	files, err := filepath.Glob("packs/*.yaml")
	require.NoError(f, err)
	for _, name := range files {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(string(b))
	}
	full, err := incident.Decode([]byte(incidenttest.Full))
	require.NoError(f, err)
	minimal, err := incident.Decode([]byte(incidenttest.Minimal))
	require.NoError(f, err)
	asOf := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

	f.Fuzz(func(t *testing.T, src string) {
		p, err := norms.Load("fuzz.yaml", []byte(src))
		if err != nil {
			requireDiagnostics(t, err)
			return
		}
		rs, err := norms.Compile([]*norms.Pack{p})
		if err != nil {
			requireDiagnostics(t, err)
			return
		}
		ev, err := evaluate.New(rs)
		require.NoError(t, err, "a compiled pack builds an evaluator")
		for _, inc := range []*incident.Incident{full, minimal} {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			rep, err := ev.Evaluate(ctx, inc, evaluate.AsOf(asOf))
			cancel()
			require.NoError(t, err)
			require.Len(t, rep.Findings, len(rs.Norms()))
			for _, fd := range rep.Findings {
				require.True(t, slices.Contains(fuzzVerdicts, fd.Verdict), "verdict %q", fd.Verdict)
				if fd.Verdict == evaluate.Failed {
					require.NotEmpty(t, fd.Error)
				}
			}
		}
	})
}

// requireDiagnostics checks that err is Diagnostics of at least one error,
// each saying what is wrong.
func requireDiagnostics(t *testing.T, err error) {
	t.Helper()
	var ds norms.Diagnostics
	if !errors.As(err, &ds) {
		// Compile's own errors (a parameter override for a missing pack) are
		// plain; Load's and the expressions' are Diagnostics.
		require.NotEmpty(t, err.Error())
		return
	}
	require.True(t, ds.HasErrors())
	for _, d := range ds {
		require.NotEmpty(t, d.Summary, "diagnostic without a summary: %#v", d)
		require.NotEmpty(t, d.Error())
	}
}
