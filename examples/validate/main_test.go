package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidateBad(t *testing.T) {
	var out strings.Builder
	valid, err := validate(&out, "bad.json", []byte(bad))
	require.NoError(t, err)
	assert.False(t, valid)
	for _, ptr := range []string{"/id ", "/period/start ", "/victims/0/state ", "/victims/0/critical_infrastructure ",
		"/actor/relation ", "/purpose ", "/sources/0/title ", "/notes "} {
		assert.Contains(t, out.String(), "\n  "+ptr)
	}
	assert.True(t, strings.HasPrefix(out.String(), "bad.json: 8 fault(s)\n"), out.String())
}

func TestValidateGood(t *testing.T) {
	data, err := os.ReadFile("../incidents/revil.json")
	require.NoError(t, err)
	var out strings.Builder
	valid, err := validate(&out, "revil.json", data)
	require.NoError(t, err)
	assert.True(t, valid)
	assert.Equal(t, "revil.json: valid incident \"revil\"\n", out.String())
}
