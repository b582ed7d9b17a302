package incident_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/internal/incidenttest"
)

func TestDecodeAcceptsEveryEnumValue(t *testing.T) {
	docs := incidenttest.EnumDocs()
	require.NotEmpty(t, docs)
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			inc, err := incident.Decode([]byte(doc))
			require.NoError(t, err)
			assert.Equal(t, "m", inc.ID)
		})
	}
}

func TestDecodeValid(t *testing.T) {
	tests := []struct {
		name string
		doc  string
	}{
		{"minimal", incidenttest.Minimal},
		{"every field", incidenttest.Full},
		{"surrounding whitespace", "\n\t " + incidenttest.Minimal + "\n\n"},
		{"deep extensions within the limit", incidenttest.Deep(incident.DefaultMaxDepth - 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := incident.Decode([]byte(tt.doc))
			assert.NoError(t, err)
		})
	}
}

func TestDecodeInvalid(t *testing.T) {
	require.GreaterOrEqual(t, len(incidenttest.InvalidDocs), 20)
	for _, tt := range incidenttest.InvalidDocs {
		t.Run(tt.Name, func(t *testing.T) {
			inc, err := incident.Decode([]byte(tt.Doc))
			require.Error(t, err)
			assert.Nil(t, inc)

			var list incident.ErrorList
			require.ErrorAs(t, err, &list)
			var fe *incident.FieldError
			require.ErrorAs(t, err, &fe, "errors.As reaches the faults of the list")
			assert.True(t, hasFault(list, tt.Keyword, tt.Pointer), "want %s at %q, got:\n%v", tt.Keyword, tt.Pointer, err)
			for _, e := range list {
				assert.NotEmpty(t, e.Message)
				assert.NotEmpty(t, e.Keyword)
			}
		})
	}
}

func hasFault(list incident.ErrorList, keyword, pointer string) bool {
	for _, e := range list {
		if e.Keyword == keyword && e.Pointer == pointer {
			return true
		}
	}
	return false
}

func TestDecodeReportsPositions(t *testing.T) {
	doc := "{\"id\": \"m\",\n \"period\": {\"start\": \"2015-09-25T00:00:00Z\"},\n \"victims\": [{\"state\": \"US\", \"sectr\": 1}]}"
	_, err := incident.Decode([]byte(doc))
	var fe *incident.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "/victims/0/sectr", fe.Pointer)
	assert.Equal(t, 3, fe.Line)
	assert.Equal(t, 30, fe.Column)
	assert.Contains(t, fe.Message, `did you mean "sector"?`)
	assert.Equal(t, `/victims/0/sectr: unknown field "sectr" (did you mean "sector"?)`, fe.Error())
}

func TestDecodeLimitOptions(t *testing.T) {
	tests := []struct {
		name    string
		opt     incident.Option
		doc     string
		keyword string
	}{
		{"max bytes", incident.WithMaxBytes(20), incidenttest.Minimal, "maxBytes"},
		{"max depth", incident.WithMaxDepth(2), incidenttest.Minimal, "maxDepth"},
		{"max string length", incident.WithMaxStringLength(5), strings.Replace(incidenttest.Minimal, `"m"`, `"abcdefg"`, 1), "maxLength"},
		{"max list length", incident.WithMaxListLength(3), strings.Replace(incidenttest.Minimal, `[{"state": "US"}]`, `[{"state": "US"}, {"state": "GB"}, {"state": "FR"}, {"state": "DE"}]`, 1), "maxItems"},
		{"max members", incident.WithMaxListLength(2), incidenttest.Minimal, "maxProperties"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := incident.Decode([]byte(tt.doc), tt.opt)
			var list incident.ErrorList
			require.ErrorAs(t, err, &list)
			assert.Equal(t, tt.keyword, list[0].Keyword, "%v", err)
		})
	}
	for _, bad := range []incident.Option{incident.WithMaxBytes(0), incident.WithMaxDepth(-1), incident.WithMaxStringLength(0), incident.WithMaxListLength(0)} {
		_, err := incident.Decode([]byte(incidenttest.Minimal), bad)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "must be positive")
	}
}

func TestDecodeReader(t *testing.T) {
	inc, err := incident.DecodeReader(strings.NewReader(incidenttest.Full))
	require.NoError(t, err)
	assert.Equal(t, "apt10-cloud-hopper", inc.ID)

	_, err = incident.DecodeReader(strings.NewReader(incidenttest.Large(100)), incident.WithMaxBytes(100))
	var fe *incident.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "maxBytes", fe.Keyword)
}

func TestRoundTrip(t *testing.T) {
	for name, doc := range map[string]string{"full": incidenttest.Full, "minimal": incidenttest.Minimal} {
		t.Run(name, func(t *testing.T) {
			first, err := incident.Decode([]byte(doc))
			require.NoError(t, err)
			data, err := json.Marshal(first)
			require.NoError(t, err)
			second, err := incident.Decode(data)
			require.NoError(t, err, "encoded: %s", data)
			assert.Equal(t, first, second)
		})
	}
}

// TestRoundTripKeepsEmptyApartFromAbsent checks the rule the evaluator rests
// on: an empty list is a known fact, an absent one is unknown.
func TestRoundTripKeepsEmptyApartFromAbsent(t *testing.T) {
	doc := strings.TrimSuffix(incidenttest.Minimal, "}") + `, "data_taken": [], "effects": {"intentional": false}}`
	first, err := incident.Decode([]byte(doc))
	require.NoError(t, err)
	require.NotNil(t, first.DataTaken)
	require.Empty(t, first.DataTaken)
	require.Nil(t, first.Activity)

	data, err := json.Marshal(first)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"data_taken":[]`)
	assert.NotContains(t, string(data), `"activity"`)
	assert.Contains(t, string(data), `"intentional":false`)
	assert.NotContains(t, string(data), `"end"`, "an absent period.end stays absent")

	second, err := incident.Decode(data)
	require.NoError(t, err)
	assert.NotNil(t, second.DataTaken)
	assert.Nil(t, second.Activity)
	require.NotNil(t, second.Effects.Intentional)
	assert.False(t, *second.Effects.Intentional)
	assert.Equal(t, first, second)

	assert.NotContains(t, second.Unknowns(), "incident.data_taken")
	assert.Contains(t, second.Unknowns(), "incident.activity")
}

func TestErrorListUnwrap(t *testing.T) {
	list := incident.ErrorList{
		{Pointer: "/a", Keyword: "enum", Message: "bad"},
		{Keyword: "syntax", Message: "broken", Line: 2, Column: 3},
	}
	assert.Equal(t, "/a: bad\n2:3: broken", list.Error())
	assert.Len(t, list.Unwrap(), 2)
	var fe *incident.FieldError
	require.True(t, errors.As(error(list), &fe))
	assert.Equal(t, "/a", fe.Pointer)
	assert.NoError(t, incident.ErrorList(nil).Err())
	assert.Equal(t, "/a~1b/c~0d/0", incident.Pointer("a/b", "c~d", 0))
}

func TestFieldErrorString(t *testing.T) {
	tests := []struct {
		err  incident.FieldError
		want string
	}{
		{incident.FieldError{Pointer: "/actor/relation", Keyword: "enum", Message: "bad"}, "/actor/relation: bad"},
		{incident.FieldError{Keyword: "syntax", Message: "broken", Line: 2, Column: 7}, "2:7: broken"},
		{incident.FieldError{Keyword: "maxBytes", Message: "too large"}, "too large"},
		{incident.FieldError{Pointer: "/a", Keyword: "type", Message: "m", Line: 3, Column: 1}, "/a: m"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.err.Error())
	}
}
