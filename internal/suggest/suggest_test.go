package suggest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cybernorms/cybernorms/internal/suggest"
)

func TestClosest(t *testing.T) {
	fields := []string{"kind", "name", "relation", "state"}
	tests := []struct {
		name, want string
	}{
		{"relaton", "relation"},
		{"realtion", "relation"},
		{"kynd", "kind"},
		{"stat", "state"},
		{"purpose", ""},  // too far from every field
		{"relation", ""}, // an exact name needs no hint
		{"x", ""},        // one letter is not a misspelling of a four-letter name
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, suggest.Closest(tt.name, fields), tt.name)
	}
	assert.Equal(t, ` (did you mean "relation"?)`, suggest.Hint("relaton", fields))
	assert.Empty(t, suggest.Hint("zzz", fields))
}

func TestDistance(t *testing.T) {
	assert.Equal(t, 0, suggest.Distance("", ""))
	assert.Equal(t, 3, suggest.Distance("", "abc"))
	assert.Equal(t, 1, suggest.Distance("relation", "relaton"))
	assert.Equal(t, 2, suggest.Distance("kind", "knid"))
	assert.Equal(t, 1, suggest.Distance("état", "etat"), "counts characters, not bytes")
}
