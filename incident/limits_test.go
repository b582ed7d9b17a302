package incident_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/incident"
)

// hostileFaults returns documents with a fault in nearly every value: each
// used to cost time in proportion to faults × size.
func hostileFaults() map[string]string {
	rep := func(s string, n int) string { return strings.TrimSuffix(strings.Repeat(s+",", n), ",") }
	head := `{"id":"m","period":{"start":"2015-09-25T00:00:00Z"},`
	return map[string]string{
		"unknown fields": head + `"victims":[` + rep(`{"a":1,"b":1,"c":1,"d":1}`, 9999) + `]}`,
		"wrong types":    head + `"victims":[` + rep(`1`, 9999) + `]}`,
		"bad enums":      head + `"victims":[{"state":"US"}],"activity":[` + rep(`"x"`, 9999) + `]}`,
		"bad patterns":   head + `"victims":[` + rep(`{"state":"x","sector":"X"}`, 9999) + `]}`,
		"long unknown field names": head + `"victims":[{"state":"US"}],"actor":{` +
			rep(`"`+strings.Repeat("n", 16000)+`":1`, 60) + `}}`,
	}
}

func TestDecodeCapsFaults(t *testing.T) {
	for name, doc := range hostileFaults() {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := incident.Decode([]byte(doc))
			took := time.Since(start)
			var list incident.ErrorList
			require.ErrorAs(t, err, &list)
			require.LessOrEqual(t, len(list), incident.MaxFaults+1)
			if len(list) == incident.MaxFaults+1 {
				last := list[len(list)-1]
				require.Equal(t, "maxFaults", last.Keyword)
				require.Contains(t, last.Message, "not reported")
			}
			// Generous: it takes milliseconds; before the cap it took minutes.
			require.Less(t, took, 10*time.Second)
		})
	}
}

func TestErrorListLimit(t *testing.T) {
	l := incident.ErrorList{{Message: "a"}, {Message: "b"}, {Message: "c"}}
	require.Equal(t, l, l.Limit(3))
	got := l.Limit(2)
	require.Len(t, got, 3)
	require.Equal(t, "maxFaults", got[2].Keyword)
	require.Equal(t, "1 more fault(s) not reported: only the first 100 are", got[2].Message)
	require.Len(t, l, 3, "Limit leaves the list alone")
	require.Equal(t, "c", l[2].Message)
}

func TestDecodeNamesCommonMistakes(t *testing.T) {
	doc := `{"id":"m","period":{"start":"2015-09-25T00:00:00Z"},"victims":[{"state":"US"}]}`
	_, err := incident.Decode([]byte("\xef\xbb\xbf" + doc))
	require.EqualError(t, err, "1:1: the document starts with a byte order mark (BOM): save it as UTF-8 without one")

	_, err = incident.Decode([]byte(strings.Replace(doc, `}]}`, `}],"extensions":{"n":[1e400]}}`, 1)))
	require.EqualError(t, err, "/extensions/n/0: number 1e400 is out of range (a 64-bit floating-point number)")
}
