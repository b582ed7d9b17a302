package gen

import (
	"reflect"

	"github.com/invopop/jsonschema"

	"github.com/cybernorms/cybernorms/norms"
)

// PackID is the stable $id of the norm pack schema, version 1.
const PackID = "https://cybernorms.dev/schema/pack/v1.json"

// Patterns of the pack format, as norms.Load checks them.
const (
	packIDPattern = `^[a-z0-9-]+$`
	normIDPattern = `^[a-z0-9][a-z0-9._-]*$`
	namePattern   = `^[a-z_][a-z0-9_]*$`
	partyPattern  = `^[A-Z]{2}$`
	datePattern   = `^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ].*)?$`
)

// Pack builds the JSON Schema (draft 2020-12) of a norm pack from the types of
// package norms. CEL expressions are strings. It states what norms.Load
// checks of the structure; it cannot check the expressions, which
// norms.Compile type-checks.
func Pack(root string) ([]byte, error) {
	r, err := Reflector(root, "norms")
	if err != nil {
		return nil, err
	}
	one := uint64(1)
	exprType := reflect.TypeFor[norms.Expr]()
	r.Mapper = func(t reflect.Type) *jsonschema.Schema {
		if t == exprType {
			return &jsonschema.Schema{Type: "string", MinLength: &one}
		}
		return nil
	}
	s := r.Reflect(&norms.Pack{})
	s.ID = PackID
	s.Title = "cybernorms norm pack (v1)"
	def := func(name string) *jsonschema.Schema { return definition(s, name) }
	enum := func(p *jsonschema.Schema, vals ...string) {
		for _, v := range vals {
			p.Enum = append(p.Enum, v)
		}
	}
	unrequire := func(d *jsonschema.Schema, name string) {
		var req []string
		for _, r := range d.Required {
			if r != name {
				req = append(req, r)
			}
		}
		d.Required = req
	}

	prop(s, "pack").Pattern = packIDPattern
	prop(s, "parties").Items.Pattern = partyPattern
	prop(s, "norms").MinItems = &one
	instrument := def("Instrument")
	prop(instrument, "name").MinLength = &one
	prop(instrument, "date").Pattern = datePattern
	enum(prop(instrument, "status"), "binding", "political_commitment", "voluntary")
	effective := def("Effective")
	prop(effective, "from").Pattern = datePattern
	prop(effective, "until").Pattern = datePattern

	param := def("Param")
	prop(param, "name").Pattern = namePattern
	enum(prop(param, "type"), "duration", "int", "double", "string", "bool", "timestamp")
	// A default is read as the parameter's type: YAML may write a number or
	// a boolean without quotes.
	dflt := prop(param, "default")
	dflt.Type = ""
	dflt.OneOf = []*jsonschema.Schema{{Type: "string"}, {Type: "number"}, {Type: "boolean"}}
	prop(def("Variable"), "name").Pattern = namePattern

	norm := def("Norm")
	prop(norm, "id").Pattern = normIDPattern
	prop(norm, "title").MinLength = &one
	// A norm without a citation loads with a warning.
	unrequire(norm, "citation")
	// A norm needs a breach condition, an obligation, or both.
	norm.AnyOf = []*jsonschema.Schema{{Required: []string{"breach"}}, {Required: []string{"obligation"}}}
	enum(prop(def("Citation"), "verification"), "checked", "as_quoted", "to_verify")
	prop(def("Loophole"), "id").MinLength = &one
	prop(def("Loophole"), "note").MinLength = &one
	obligation := def("Obligation")
	prop(obligation, "as").Pattern = namePattern
	enum(prop(obligation, "late"), "breach", "allowed")
	// The loader does not require a duty; messages read better with one.
	unrequire(obligation, "duty")
	return Marshal(s)
}
