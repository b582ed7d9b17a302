// Command validate checks an incident document against the incident schema
// and prints the JSON Pointer of each fault.
//
//	go run ./examples/validate                       # a built-in bad document
//	go run ./examples/validate examples/incidents/revil.json
//
// With a file, it exits with status 1 when the document is invalid.
package main

import (
	"errors"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/schema"
)

// bad is an incident document with several faults.
const bad = `{
  "id": "Bad ID",
  "period": {"start": "2015-09-25"},
  "victims": [{"state": "USA", "critical_infrastructure": "yes"}],
  "actor": {"kind": "military", "relation": "orgn"},
  "purpose": "profit",
  "sources": [{"url": "https://example.org"}],
  "notes": "not a field"
}`

func main() {
	name, data := "(built-in example)", []byte(bad)
	if len(os.Args) > 1 {
		name = os.Args[1]
		var err error
		if data, err = os.ReadFile(name); err != nil {
			log.Fatal(err)
		}
	}
	valid, err := validate(os.Stdout, name, data)
	if err != nil {
		log.Fatal(err)
	}
	if !valid && len(os.Args) > 1 {
		os.Exit(1)
	}
}

// validate prints "valid" or one line per fault: pointer, keyword, message.
func validate(w io.Writer, name string, data []byte) (bool, error) {
	inc, err := schema.Decode(data)
	var faults incident.ErrorList
	switch {
	case err == nil:
		fmt.Fprintf(w, "%s: valid incident %q\n", name, inc.ID)
		return true, nil
	case !errors.As(err, &faults):
		return false, err
	}
	fmt.Fprintf(w, "%s: %d fault(s)\n", name, len(faults))
	for _, f := range faults {
		ptr := f.Pointer
		if ptr == "" {
			ptr = "(document)"
		}
		fmt.Fprintf(w, "  %-34s %-20s %s\n", ptr, f.Keyword, f.Message)
	}
	return false, nil
}
