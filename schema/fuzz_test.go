package schema_test

import (
	"testing"

	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/internal/incidenttest"
	"github.com/cybernorms/cybernorms/schema"
)

// FuzzDecode checks that schema.Decode never accepts what incident.Decode
// rejects (the schema only adds rules), that every fault has a keyword and a
// message, and that nothing panics.
func FuzzDecode(f *testing.F) {
	f.Add(incidenttest.Full)
	f.Add(incidenttest.Minimal)
	for _, tt := range incidenttest.InvalidDocs {
		if len(tt.Doc) < 4096 {
			f.Add(tt.Doc)
		}
	}
	f.Fuzz(func(t *testing.T, doc string) {
		_, err := schema.Decode([]byte(doc))
		if err == nil {
			if _, gerr := incident.Decode([]byte(doc)); gerr != nil {
				t.Fatalf("schema.Decode accepts what incident.Decode rejects: %v", gerr)
			}
			return
		}
		list, ok := err.(incident.ErrorList)
		if !ok || len(list) == 0 {
			t.Fatalf("error is not a non-empty ErrorList: %#v", err)
		}
		for _, e := range list {
			if e.Keyword == "" || e.Message == "" {
				t.Fatalf("fault without keyword or message: %#v", e)
			}
		}
	})
}
