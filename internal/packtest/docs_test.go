package packtest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/internal/packtest"
)

// yamlBlockAfter returns the first ```yaml block after marker in a markdown text.
func yamlBlockAfter(t *testing.T, doc, marker string) string {
	t.Helper()
	i := strings.Index(doc, marker)
	require.GreaterOrEqual(t, i, 0, "marker %q", marker)
	rest := doc[i:]
	start := strings.Index(rest, "```yaml\n")
	require.GreaterOrEqual(t, start, 0)
	rest = rest[start+len("```yaml\n"):]
	end := strings.Index(rest, "```")
	require.GreaterOrEqual(t, end, 0)
	return rest[:end]
}

// TestWritingNormsExample runs the pack and the test file that
// docs/writing-norms.md walks through, so that the guide cannot rot.
func TestWritingNormsExample(t *testing.T) {
	data, err := os.ReadFile("../../docs/writing-norms.md")
	require.NoError(t, err)
	doc := string(data)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "my-pack.yaml"), []byte(yamlBlockAfter(t, doc, "`my-pack.yaml`:")), 0o644))
	test := filepath.Join(dir, "my-pack_test.yaml")
	require.NoError(t, os.WriteFile(test, []byte(yamlBlockAfter(t, doc, "Put the test cases of")), 0o644))

	f, err := packtest.ParseFile(test)
	require.NoError(t, err)
	res, err := (&packtest.Runner{}).RunFile(context.Background(), f)
	require.NoError(t, err)
	require.Empty(t, res.Warnings)
	require.Len(t, res.Cases, 4)
	for _, c := range res.Cases {
		require.True(t, c.Passed, "%s: %+v", c.Name, c)
	}
}
