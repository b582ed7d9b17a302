// Package gen builds the JSON Schemas of cybernorms from the Go types. It runs
// at development time only: `go generate ./schema` writes its output beside
// the schema package, which embeds it, and a test of that package rebuilds
// the schemas in memory to catch a committed file that is out of date.
//
// Descriptions come from the Go doc comments, which are read from the source
// files, so the generator must run inside the module's source tree.
package gen

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"reflect"

	"github.com/invopop/jsonschema"

	"github.com/cybernorms/cybernorms/incident"
)

// Module is the module path, the base of the packages whose comments are read.
const Module = "github.com/cybernorms/cybernorms"

// Target is one generated schema.
type Target struct {
	// Name is the schema's name, as `cybernorms schema NAME` takes it.
	Name string
	// File is the generated file, relative to the schema package.
	File string
	// Build returns the schema document. root is the module's root directory
	// relative to the working directory (its Go sources are read for comments).
	Build func(root string) ([]byte, error)
}

// Targets lists every schema the generator writes.
var Targets = []Target{
	{Name: "incident", File: "incident.schema.json", Build: Incident},
	{Name: "pack", File: "pack.schema.json", Build: Pack},
}

// IncidentID is the stable $id of the incident schema, version 1.
const IncidentID = "https://cybernorms.dev/schema/incident/v1.json"

// Incident builds the JSON Schema (draft 2020-12) of the incident document from
// the types of package incident.
func Incident(root string) ([]byte, error) {
	r, err := Reflector(root, "incident")
	if err != nil {
		return nil, err
	}
	s := r.Reflect(&incident.Incident{})
	s.ID = IncidentID
	s.Title = "cybernorms incident document (v1)"
	def := func(name string) *jsonschema.Schema { return definition(s, name) }
	one := uint64(1)
	prop(s, "id").Pattern = incident.IDPattern
	prop(s, "victims").MinItems = &one
	prop(def("Victim"), "sector").Pattern = incident.SectorPattern
	prop(def("Request"), "id").MinLength = &one
	prop(def("Source"), "title").MinLength = &one
	prop(def("Source"), "url").Pattern = incident.URLPattern
	return Marshal(s)
}

// enumType is implemented by the enums of the incident model (incident.Enum).
type enumType interface{ Values() []string }

var (
	enumIface = reflect.TypeFor[enumType]()
	stateType = reflect.TypeFor[incident.State]()
)

// Reflector returns a reflector for the types of the module's packages pkgs
// (folders relative to root), with their doc comments, enums from the Values
// methods and country codes as patterns. Structs reject unknown fields;
// free-form maps (extensions) stay open.
func Reflector(root string, pkgs ...string) (*jsonschema.Reflector, error) {
	r := &jsonschema.Reflector{
		Anonymous:      true,
		ExpandedStruct: true,
		Mapper:         mapType,
	}
	base, err := basePath(root)
	if err != nil {
		return nil, err
	}
	for _, p := range pkgs {
		dir := filepath.Join(root, p)
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("gen: reading doc comments: %w (run from the module's source tree)", err)
		}
		if err := r.AddGoComments(base, dir); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// basePath returns the import path of the working directory, which
// AddGoComments joins with the relative folders it walks.
func basePath(root string) (string, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(absRoot, "go.mod")); err != nil {
		return "", errors.New("gen: " + root + " is not the module root")
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(absRoot, wd)
	if err != nil {
		return "", err
	}
	return path.Join(Module, filepath.ToSlash(rel)), nil
}

// mapType gives the schema of the named string types of the model.
func mapType(t reflect.Type) *jsonschema.Schema {
	switch {
	case t == stateType:
		return &jsonschema.Schema{Type: "string", Pattern: incident.StatePattern}
	case t.Kind() == reflect.String && t.Implements(enumIface):
		vals := reflect.Zero(t).Interface().(enumType).Values()
		enum := make([]any, len(vals))
		for i, v := range vals {
			enum[i] = v
		}
		return &jsonschema.Schema{Type: "string", Enum: enum}
	}
	return nil
}

// Marshal writes a schema as indented JSON with a final newline, without
// escaping '<', '>' and '&' so that patterns stay readable.
func Marshal(s *jsonschema.Schema) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// definition returns a definition of the schema; a missing one is a bug of
// the generator.
func definition(s *jsonschema.Schema, name string) *jsonschema.Schema {
	if d := s.Definitions[name]; d != nil {
		return d
	}
	panic("gen: no definition " + name)
}

// prop returns a property of a schema; a missing one is a bug of the
// generator.
func prop(d *jsonschema.Schema, name string) *jsonschema.Schema {
	p, ok := d.Properties.Get(name)
	if !ok {
		panic("gen: no property " + name)
	}
	return p
}
