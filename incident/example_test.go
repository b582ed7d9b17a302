package incident_test

import (
	"errors"
	"fmt"

	"github.com/cybernorms/cybernorms/incident"
)

func ExampleDecode() {
	doc := `{
	  "id": "apt10-cloud-hopper",
	  "period": {"start": "2014-01-01T00:00:00Z"},
	  "victims": [{"state": "US", "sector": "information_technology"}],
	  "actor": {"kind": "contractor", "state": "CN", "relation": "directed"},
	  "data_taken": ["trade_secrets"]
	}`
	inc, err := incident.Decode([]byte(doc))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(inc.ID, inc.Actor.Relation, inc.Actor.Relation.Attributes())
	fmt.Println("unknown:", inc.Unknowns()[:3])
	// Output:
	// apt10-cloud-hopper directed true
	// unknown: [incident.title incident.victims[0].entity incident.victims[0].critical_infrastructure]
}

func ExampleDecode_errors() {
	doc := `{"id": "x", "period": {"start": "2015-09-25T00:00:00Z"},
	         "victims": [{"state": "US", "sectr": "energy"}]}`
	_, err := incident.Decode([]byte(doc))
	var fe *incident.FieldError
	if errors.As(err, &fe) {
		fmt.Printf("%s %s (line %d): %s\n", fe.Keyword, fe.Pointer, fe.Line, fe.Message)
	}
	// Output:
	// additionalProperties /victims/0/sectr (line 2): unknown field "sectr" (did you mean "sector"?)
}
