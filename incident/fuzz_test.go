package incident_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/internal/incidenttest"
)

// FuzzDecodeIncident checks that nothing makes Decode panic, and that what
// Decode accepts encodes to a document that Decode accepts again and reads to
// the same incident (decode → encode → decode). Besides the seeds added here,
// testdata/fuzz/FuzzDecodeIncident holds the example incidents and what
// earlier fuzzing found; plain go test runs them all.
func FuzzDecodeIncident(f *testing.F) {
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
			var list incident.ErrorList
			require.ErrorAs(t, err, &list, "a rejected document gives an ErrorList")
			require.NotEmpty(t, list)
			return
		}
		data, err := json.Marshal(first)
		require.NoError(t, err)
		second, err := incident.Decode(data)
		require.NoError(t, err, "re-encoded: %s", data)
		// The same incident: the same encoding. (Not require.Equal: time.Parse
		// gives "+00:00" the Local location when Local is UTC, and the
		// encoding's "Z" UTC; the instants and offsets are the same.)
		again, err := json.Marshal(second)
		require.NoError(t, err)
		require.Equal(t, string(data), string(again), "decode → encode → decode → encode is stable")
		require.True(t, first.Period.Start.Equal(second.Period.Start))
	})
}
