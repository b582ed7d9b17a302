package main

import (
	"github.com/spf13/cobra"

	"github.com/cybernorms/cybernorms/schema"
)

func init() { register(newSchemaCmd) }

func newSchemaCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "schema [NAME]",
		Short: "Print a JSON Schema (default: incident)",
		Long: `Print the JSON Schema (draft 2020-12) of a cybernorms document to stdout.
NAME is one of the schemas the tool knows; the default is "incident".`,
		Example: `  cybernorms schema incident > incident.schema.json`,
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := "incident"
			if len(args) == 1 {
				name = args[0]
			}
			s, err := schema.Lookup(name)
			if err != nil {
				return &exitError{code: exitBad, err: err}
			}
			_, err = a.stdout.Write(s.JSON())
			return err
		},
	}
}
