package schema_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/schema"
)

// TestDecodeManyFaultsIsFast: a document with a fault in every value gives at
// most MaxFaults faults (and one saying how many more), in document order
// with positions, quickly. It used to take minutes (faults × size).
func TestDecodeManyFaultsIsFast(t *testing.T) {
	rep := func(s string, n int) string { return strings.TrimSuffix(strings.Repeat(s+",", n), ",") }
	head := `{"id":"m","period":{"start":"2015-09-25T00:00:00Z"},`
	docs := map[string]string{
		"unknown fields": head + `"victims":[` + rep(`{"a":1,"b":1,"c":1,"d":1}`, 9999) + `]}`,
		"bad enums":      head + `"victims":[{"state":"US"}],"activity":[` + rep(`"x"`, 9999) + `]}`,
		"bad patterns and enums": head + `"victims":[` + rep(`{"state":"x","sector":"X"}`, 9999) + `],"data_taken":[` + rep(`"x"`, 9999) +
			`],"attributions":[` + rep(`{"by":"x","form":"x","confidence":"x"}`, 9999) + `]}`,
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := schema.Decode([]byte(doc))
			took := time.Since(start)
			var list incident.ErrorList
			require.ErrorAs(t, err, &list)
			require.Len(t, list, incident.MaxFaults+1)
			require.Equal(t, "maxFaults", list[incident.MaxFaults].Keyword)
			for i, e := range list[:incident.MaxFaults] {
				require.Positive(t, e.Line, "fault %d has a position: %v", i, e)
				if i > 0 {
					prev := list[i-1]
					require.True(t, prev.Line < e.Line || (prev.Line == e.Line && prev.Column <= e.Column), "document order: %v then %v", prev, e)
				}
			}
			require.Less(t, took, 15*time.Second) // generous: well under a second alone
		})
	}
}
