package schema_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/norms"
	"github.com/cybernorms/cybernorms/schema"
)

// yamlToJSON converts a pack written in YAML to the equivalent JSON, as an
// editor does to validate it against the schema.
func yamlToJSON(t *testing.T, data []byte) []byte {
	t.Helper()
	var v any
	require.NoError(t, yaml.Unmarshal(data, &v))
	out, err := json.Marshal(v)
	require.NoError(t, err)
	return out
}

func TestBuiltinPacksValidate(t *testing.T) {
	names, err := fs.Glob(norms.BuiltinFS(), "packs/*.yaml")
	require.NoError(t, err)
	n := 0
	for _, name := range names {
		if !norms.IsPackFile(name) {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			data, err := fs.ReadFile(norms.BuiltinFS(), name)
			require.NoError(t, err)
			assert.Contains(t, string(data), "# yaml-language-server: $schema=../../schema/pack.schema.json")
			assert.NoError(t, schema.Pack().Validate(yamlToJSON(t, data)))
		})
	}
	assert.Equal(t, 4, n)
}

func TestPackSchemaFaults(t *testing.T) {
	tests := []struct {
		name string
		pack string
		want []string // "pointer keyword", in the order of the JSON (keys sorted)
	}{
		{
			name: "misspelled field in a norm",
			pack: `{pack: p, instrument: {name: I}, norms: [{id: n, title: T, breech: "true"}]}`,
			// One of breach and obligation is needed.
			want: []string{"/norms/0/breach required", "/norms/0/obligation required", "/norms/0/breech additionalProperties"},
		},
		{
			name: "bad ids and enums",
			pack: `{pack: My Pack, instrument: {name: I, status: treaty}, norms: [{id: n, title: T, breach: "true", citation: {verification: yes}}]}`,
			want: []string{"/instrument/status enum", "/norms/0/citation/verification enum", "/pack pattern"},
		},
		{
			name: "parameter type",
			pack: `{pack: p, instrument: {name: I}, params: [{name: w, type: days, default: 30}], norms: [{id: n, title: T, breach: "true"}]}`,
			want: []string{"/params/0/type enum"},
		},
		{
			name: "missing top-level fields",
			pack: `{title: T}`,
			want: []string{"/instrument required", "/norms required", "/pack required"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := schema.Pack().Validate(yamlToJSON(t, []byte(tt.pack)))
			var list incident.ErrorList
			require.True(t, errors.As(err, &list), "%v", err)
			var got []string
			for _, fe := range list {
				got = append(got, fe.Pointer+" "+fe.Keyword)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestPackSchemaAcceptsWhatLoadAccepts(t *testing.T) {
	// A norm with an obligation and no breach, without a citation (a
	// warning, not an error), and an int parameter written as a number.
	src := `pack: p
instrument: {name: I, date: 2015-09-25}
effective: {from: 2015-09-25}
params:
  - {name: days, type: int, default: 30}
norms:
  - id: respond
    title: Respond
    applies: incident.requests.size() > params.days
    obligation:
      each: incident.requests
      as: r
      bearer: r.to
      trigger: r.id
      triggered_at: r.sent_at
      due: r.sent_at + duration('720h')
      done_at: r.?responded_at
`
	p, err := norms.Load("p.yaml", []byte(src))
	require.NoError(t, err)
	_, err = norms.Compile([]*norms.Pack{p})
	require.NoError(t, err)
	assert.NoError(t, schema.Pack().Validate(yamlToJSON(t, []byte(src))))
}

func TestLookupPack(t *testing.T) {
	assert.Equal(t, []string{"incident", "pack"}, schema.Names())
	s, err := schema.Lookup("pack")
	require.NoError(t, err)
	assert.Same(t, schema.Pack(), s)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(s.JSON(), &doc))
	assert.Equal(t, "https://cybernorms.dev/schema/pack/v1.json", doc["$id"])
	assert.Equal(t, []any{"pack", "instrument", "norms"}, doc["required"])
}
