package schema_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/internal/incidenttest"
	"github.com/cybernorms/cybernorms/schema"
	"github.com/cybernorms/cybernorms/schema/internal/gen"
)

// TestGeneratedSchemasAreCurrent rebuilds every schema from the Go types and
// compares it with the committed, embedded file.
func TestGeneratedSchemasAreCurrent(t *testing.T) {
	for _, target := range gen.Targets {
		t.Run(target.Name, func(t *testing.T) {
			want, err := target.Build("..")
			require.NoError(t, err)
			onDisk, err := os.ReadFile(target.File)
			require.NoError(t, err)
			s, err := schema.Lookup(target.Name)
			require.NoError(t, err)
			if !bytes.Equal(want, onDisk) || !bytes.Equal(want, s.JSON()) {
				t.Fatalf("%s is out of date with the Go types: run `go generate ./schema`", target.File)
			}
		})
	}
}

func TestIncidentSchemaContents(t *testing.T) {
	var doc map[string]any
	require.NoError(t, json.Unmarshal(schema.Incident().JSON(), &doc))
	assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", doc["$schema"])
	assert.Equal(t, "https://cybernorms.dev/schema/incident/v1.json", doc["$id"])
	assert.Equal(t, []any{"id", "period", "victims"}, doc["required"])
	assert.Equal(t, false, doc["additionalProperties"])

	props := doc["properties"].(map[string]any)
	assert.Equal(t, incident.IDPattern, props["id"].(map[string]any)["pattern"])
	assert.EqualValues(t, 1, props["victims"].(map[string]any)["minItems"])
	ext := props["extensions"].(map[string]any)
	assert.Equal(t, "object", ext["type"])
	assert.NotContains(t, ext, "additionalProperties", "extensions are free-form")
	assert.Contains(t, props["origin"].(map[string]any)["description"], "never attributes")

	defs := doc["$defs"].(map[string]any)
	for name, d := range defs {
		assert.Equal(t, false, d.(map[string]any)["additionalProperties"], "%s rejects unknown fields", name)
		assert.NotEmpty(t, d.(map[string]any)["description"], "%s has a description", name)
	}
	required := func(def string) any { return defs[def].(map[string]any)["required"] }
	assert.Equal(t, []any{"start"}, required("Period"))
	assert.Equal(t, []any{"state"}, required("Victim"))
	assert.Equal(t, []any{"id", "from", "to", "kind", "sent_at"}, required("Request"))
	assert.Equal(t, []any{"from", "to", "at"}, required("Notification"))
	assert.Equal(t, []any{"by", "at"}, required("Mitigation"))
	assert.Equal(t, []any{"by"}, required("Attribution"))
	assert.Equal(t, []any{"title"}, required("Source"))
	assert.Equal(t, []any{"kind"}, required("Beneficiary"))

	actor := defs["Actor"].(map[string]any)["properties"].(map[string]any)
	var relations []string
	for _, v := range actor["relation"].(map[string]any)["enum"].([]any) {
		relations = append(relations, v.(string))
	}
	assert.Equal(t, incident.Relation("").Values(), relations)
	assert.Equal(t, incident.StatePattern, actor["state"].(map[string]any)["pattern"])
	start := defs["Period"].(map[string]any)["properties"].(map[string]any)["start"].(map[string]any)
	assert.Equal(t, "date-time", start["format"])
}

func TestLookup(t *testing.T) {
	assert.Equal(t, []string{"incident", "pack"}, schema.Names())
	s, err := schema.Lookup("incident")
	require.NoError(t, err)
	assert.Same(t, schema.Incident(), s)
	assert.Equal(t, "incident", s.Name())

	_, err = schema.Lookup("incidents")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown schema "incidents"`)
	assert.Contains(t, err.Error(), `"incident"`)
}

func TestDecodeValid(t *testing.T) {
	docs := map[string]string{"full": incidenttest.Full, "minimal": incidenttest.Minimal}
	for name, doc := range incidenttest.EnumDocs() {
		docs[name] = doc
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			inc, err := schema.Decode([]byte(doc))
			require.NoError(t, err)
			assert.NotEmpty(t, inc.ID)
			assert.NoError(t, schema.Validate([]byte(doc)))
		})
	}
}

func TestDecodeInvalid(t *testing.T) {
	for _, tt := range incidenttest.InvalidDocs {
		t.Run(tt.Name, func(t *testing.T) {
			inc, err := schema.Decode([]byte(tt.Doc))
			require.Error(t, err)
			assert.Nil(t, inc)
			var list incident.ErrorList
			require.ErrorAs(t, err, &list)
			var fe *incident.FieldError
			require.ErrorAs(t, err, &fe)

			kw := tt.Keyword
			if tt.SchemaKeyword != "" {
				kw = tt.SchemaKeyword
			}
			found := 0
			for _, e := range list {
				if e.Pointer == tt.Pointer {
					found++
					assert.Equal(t, kw, e.Keyword, "%v", err)
				}
				assert.NotEmpty(t, e.Message)
			}
			assert.Equal(t, 1, found, "one fault at %q, reported once; got:\n%v", tt.Pointer, err)
		})
	}
}

func TestDecodeMessagesAndOrder(t *testing.T) {
	doc := `{
  "id": "x",
  "victims": [{"state": "US", "sectr": "energy"}, {"sector": "energy"}],
  "actor": {"relation": "orgn", "kind": "spy"},
  "period": {"start": "2015-09-25T00:00:00Z", "end": "2015-01-01T00:00:00Z"}
}`
	_, err := schema.Decode([]byte(doc))
	var list incident.ErrorList
	require.ErrorAs(t, err, &list)
	var got []string
	for _, e := range list {
		got = append(got, fmt.Sprintf("%d %s %s: %s", e.Line, e.Keyword, e.Pointer, e.Message))
	}
	assert.Equal(t, []string{
		`3 additionalProperties /victims/0/sectr: unknown field "sectr" (did you mean "sector"?)`,
		`3 required /victims/1/state: missing required field "state"`,
		`4 enum /actor/relation: expected one of "organ", "directed", "acknowledged", "knowingly_supported", "supported", "tolerated", "none", "unknown", got "orgn" (did you mean "organ"?)`,
		`4 enum /actor/kind: expected one of "military", "intelligence", "government", "contractor", "patriotic_hackers", "criminal_group", "hacktivists", "unknown", got "spy"`,
		`5 order /period/end: period.end 2015-01-01T00:00:00Z is before period.start 2015-09-25T00:00:00Z`,
	}, got)
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		keyword string
		pointer string
		message string
	}{
		{"bad enum", strings.Replace(incidenttest.Full, `"directed"`, `"orgn"`, 1), "enum", "/actor/relation", `got "orgn" (did you mean "organ"?)`},
		{"missing state", strings.Replace(incidenttest.Minimal, `{"state": "US"}`, `{}`, 1), "required", "/victims/0/state", `missing required field "state"`},
		{"unknown field", strings.Replace(incidenttest.Minimal, `"state"`, `"sate"`, 1), "additionalProperties", "/victims/0/sate", `unknown field "sate" (did you mean "state"?)`},
		{"bad date", strings.Replace(incidenttest.Minimal, `2015-09-25T00:00:00Z`, `2015-09-25`, 1), "format", "/period/start", `expected a date-time (RFC 3339`},
		{"bad pattern", strings.Replace(incidenttest.Minimal, `"US"`, `"U1"`, 1), "pattern", "/victims/0/state", `expected an ISO 3166-1 alpha-2 country code such as "US", got "U1"`},
		{"not JSON", `{"id": `, "syntax", "", "not a JSON document"},
		{"wrong type", `"incident"`, "type", "", "expected an object, got string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := schema.Validate([]byte(tt.doc))
			var list incident.ErrorList
			require.ErrorAs(t, err, &list)
			var fe *incident.FieldError
			for _, e := range list {
				if e.Keyword == tt.keyword {
					fe = e
				}
			}
			require.NotNil(t, fe, "no %s fault in:\n%v", tt.keyword, err)
			assert.Equal(t, tt.pointer, fe.Pointer)
			assert.Contains(t, fe.Message, tt.message)
		})
	}
}

func TestDecodeOptions(t *testing.T) {
	_, err := schema.Decode([]byte(incidenttest.Minimal), incident.WithMaxBytes(10))
	var fe *incident.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "maxBytes", fe.Keyword)

	_, err = schema.Decode([]byte(incidenttest.Minimal), incident.WithMaxBytes(-1))
	require.Error(t, err)
	assert.False(t, errors.As(err, &fe), "a bad option is not a fault of the document")
}

// TestValidateConcurrently runs under -race in CI: the lazily compiled schema
// is shared by every goroutine.
func TestValidateConcurrently(t *testing.T) {
	bad := strings.Replace(incidenttest.Full, `"directed"`, `"orgn"`, 1)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		wg.Go(func() {
			doc := incidenttest.Full
			if i%2 == 1 {
				doc = bad
			}
			_, err := schema.Decode([]byte(doc))
			if (err != nil) != (i%2 == 1) {
				errs <- fmt.Errorf("document %d: unexpected result %v", i, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func BenchmarkDecode(b *testing.B) {
	data := []byte(incidenttest.Full)
	for b.Loop() {
		if _, err := schema.Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
