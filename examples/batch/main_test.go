package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/evaluate"
)

func TestRun(t *testing.T) {
	files, err := filepath.Glob("../incidents/*.json")
	require.NoError(t, err)
	var stdout, stderr strings.Builder
	asOf := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, run(context.Background(), "../incidents", &stdout, &stderr, evaluate.AsOf(asOf)))

	var ids []string
	sc := bufio.NewScanner(strings.NewReader(stdout.String()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rep evaluate.Report
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rep))
		assert.True(t, rep.AsOf.Equal(asOf))
		ids = append(ids, rep.Incident)
	}
	require.Len(t, ids, len(files), "one report per incident, in input order")
	for i, f := range files {
		assert.Equal(t, strings.TrimSuffix(filepath.Base(f), ".json"), ids[i])
	}
	assert.Contains(t, stderr.String(), "evaluated 14/14")
	assert.Contains(t, stderr.String(), "14 incidents, 0 errors")
}

func TestRunBadDocument(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.json"), []byte(`{"id": "a"}`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.json"), []byte("not json\n"), 0o644))
	var stdout, stderr strings.Builder
	require.NoError(t, run(context.Background(), dir, &stdout, &stderr))
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], `"line":1`)
	assert.Contains(t, lines[0], `"pointer":"/period"`)
	assert.Contains(t, lines[1], `"line":2`)
	assert.Contains(t, stderr.String(), "2 incidents, 2 errors")

	assert.Error(t, run(context.Background(), t.TempDir(), &stdout, &stderr))
}
