// Command genschema writes the JSON Schemas of cybernorms into the schema
// package. Run it with `go generate ./schema` from the module root; it reads
// the Go sources for the descriptions.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/cybernorms/cybernorms/schema/internal/gen"
)

func main() {
	// go generate runs in the schema package's folder; the module root is above.
	root := ".."
	for _, t := range gen.Targets {
		data, err := t.Build(root)
		if err == nil {
			err = os.WriteFile(filepath.Join(".", t.File), data, 0o644)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "genschema: %s: %v\n", t.Name, err)
			os.Exit(1)
		}
	}
}
