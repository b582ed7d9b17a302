package incident_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/internal/incidenttest"
)

// FuzzDecodeRoundTrip checks that what Decode accepts encodes to a document
// that Decode accepts again and reads to the same incident, and that nothing
// makes Decode panic.
func FuzzDecodeRoundTrip(f *testing.F) {
	f.Add(incidenttest.Full)
	f.Add(incidenttest.Minimal)
	for _, tt := range incidenttest.InvalidDocs {
		if len(tt.Doc) < 4096 {
			f.Add(tt.Doc)
		}
	}
	f.Fuzz(func(t *testing.T, doc string) {
		first, err := incident.Decode([]byte(doc))
		if err != nil {
			return
		}
		data, err := json.Marshal(first)
		require.NoError(t, err)
		second, err := incident.Decode(data)
		require.NoError(t, err, "re-encoded: %s", data)
		require.Equal(t, first, second)
	})
}
