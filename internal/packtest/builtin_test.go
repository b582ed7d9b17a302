package packtest_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/internal/packtest"
	"github.com/cybernorms/cybernorms/norms"
)

// TestBuiltinPacks runs the test files of the built-in packs, as
// `cybernorms test` does without arguments, so that `go test ./...` runs them.
func TestBuiltinPacks(t *testing.T) {
	names, err := fs.Glob(norms.BuiltinFS(), "packs/*_test.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, name := range names {
		t.Run(filepath.Base(name), func(t *testing.T) {
			data, err := fs.ReadFile(norms.BuiltinFS(), name)
			require.NoError(t, err)
			// The embedded test files name the example incidents of the
			// source tree, two folders above norms/packs.
			f, err := packtest.Parse(name, data, packtest.FSSource(norms.BuiltinFS(), "packs", "../../norms"))
			require.NoError(t, err)
			res, err := (&packtest.Runner{}).RunFile(context.Background(), f)
			require.NoError(t, err)
			require.GreaterOrEqual(t, len(res.Cases), 5, "several cases per pack")
			for _, c := range res.Cases {
				if c.Error != "" {
					t.Errorf("%s:%d: %s: %s", name, c.Line, c.Name, c.Error)
				}
				for _, ch := range c.Checks {
					if !ch.Passed {
						t.Errorf("%s:%d: %s: %s %s: expected %q, got %q (residual %q, missing %v)",
							name, ch.Line, c.Name, ch.Norm, ch.Kind, ch.Expected, ch.Actual, ch.Residual, ch.Missing)
					}
				}
			}
			require.Empty(t, res.Warnings, "built-in packs load without warnings")
		})
	}
}
