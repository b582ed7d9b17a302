package schema_test

import (
	"errors"
	"fmt"

	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/schema"
)

func ExampleValidate() {
	doc := `{"id": "x", "period": {"start": "2015-09-25T00:00:00Z"},
	         "victims": [{"sector": "energy"}], "actor": {"relation": "orgn"}}`
	err := schema.Validate([]byte(doc))
	var list incident.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Printf("%s [%s]: %s\n", e.Pointer, e.Keyword, e.Message)
		}
	}
	// Output:
	// /victims/0/state [required]: missing required field "state"
	// /actor/relation [enum]: expected one of "organ", "directed", "acknowledged", "knowingly_supported", "supported", "tolerated", "none", "unknown", got "orgn" (did you mean "organ"?)
}

func ExampleDecode() {
	doc := `{"id": "opm-2015", "period": {"start": "2014-03-01T00:00:00Z", "end": "2013-01-01T00:00:00Z"},
	         "victims": [{"state": "US", "sector": "government"}]}`
	_, err := schema.Decode([]byte(doc))
	fmt.Println(err)
	// Output:
	// /period/end: period.end 2013-01-01T00:00:00Z is before period.start 2014-03-01T00:00:00Z
}
