package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/schema"
)

func TestSchemaCommand(t *testing.T) {
	for _, args := range [][]string{{"schema"}, {"schema", "incident"}} {
		r := runCLI(t, "", args...)
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Equal(t, string(schema.Incident().JSON()), r.stdout)
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
		assert.Equal(t, "https://cybernorms.dev/schema/incident/v1.json", doc["$id"])
	}

	r := runCLI(t, "", "schema", "incidents")
	assert.Equal(t, exitBad, r.code)
	assert.Empty(t, r.stdout)
	assert.Equal(t, "cybernorms: unknown schema \"incidents\": expected one of \"incident\", \"pack\"\n", r.stderr)

	r = runCLI(t, "", "schema", "pack")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, string(schema.Pack().JSON()), r.stdout)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	assert.Equal(t, "https://cybernorms.dev/schema/pack/v1.json", doc["$id"])
}
