package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/cybernorms/cybernorms/incident"
)

// Schema is one JSON Schema (draft 2020-12) of a cybernorms document. It is
// compiled on first use and is safe for concurrent use.
type Schema struct {
	name string
	doc  []byte

	once     sync.Once
	parsed   any // doc, parsed
	compiled *jsonschema.Schema
	err      error
}

//go:embed incident.schema.json
var incidentJSON []byte

var incidentSchema = &Schema{name: "incident", doc: incidentJSON}

//go:embed pack.schema.json
var packJSON []byte

var packSchema = &Schema{name: "pack", doc: packJSON}

// registry lists the schemas by name, in the order [Names] gives them.
var registry = []*Schema{incidentSchema, packSchema}

// Incident returns the schema of the incident document
// (https://cybernorms.dev/schema/incident/v1.json).
func Incident() *Schema { return incidentSchema }

// Pack returns the schema of a norm pack
// (https://cybernorms.dev/schema/pack/v1.json), for editors and for tools
// that write packs. It checks a pack's structure as [norms.Load] does (a
// pack written in YAML is validated as the equivalent JSON); the CEL
// expressions are strings to it, type-checked only by [norms.Compile].
func Pack() *Schema { return packSchema }

// Names lists the names of the schemas, e.g. "incident".
func Names() []string {
	names := make([]string, len(registry))
	for i, s := range registry {
		names[i] = s.name
	}
	return names
}

// Lookup returns the schema called name. The error for an unknown name lists
// the known ones.
func Lookup(name string) (*Schema, error) {
	for _, s := range registry {
		if s.name == name {
			return s, nil
		}
	}
	return nil, fmt.Errorf("unknown schema %q: expected one of %s", name, strings.Join(quoteAll(Names()), ", "))
}

// Name returns the schema's name, e.g. "incident".
func (s *Schema) Name() string { return s.name }

// JSON returns the schema document (a copy).
func (s *Schema) JSON() []byte { return bytes.Clone(s.doc) }

// compile compiles the schema once.
func (s *Schema) compile() (*jsonschema.Schema, error) {
	s.once.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(s.doc))
		if err != nil {
			s.err = fmt.Errorf("schema %s: %w", s.name, err)
			return
		}
		s.parsed = doc
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		c.AssertFormat()
		url := "mem:///" + s.name + ".schema.json"
		if err := c.AddResource(url, doc); err != nil {
			s.err = fmt.Errorf("schema %s: %w", s.name, err)
			return
		}
		s.compiled, s.err = c.Compile(url)
		if s.err != nil {
			s.err = fmt.Errorf("schema %s: %w", s.name, s.err)
		}
	})
	return s.compiled, s.err
}

// Validate validates one JSON document against the schema. It returns nil,
// an [incident.ErrorList] of the faults in document order (each a
// [*incident.FieldError] with the JSON Pointer of the offending value, the
// failing keyword and a plain message), or an error if the schema itself does
// not compile. A document that is not JSON yields one "syntax" fault.
//
// Validate checks only what the schema says: it does not detect duplicate
// keys or enforce size limits; [Decode] does.
func (s *Schema) Validate(data []byte) error {
	errs, err := s.validate(data)
	if err != nil {
		return err
	}
	return errs.Limit(incident.MaxFaults).Err()
}

func (s *Schema) validate(data []byte) (incident.ErrorList, error) {
	sch, err := s.compile()
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return incident.ErrorList{{Keyword: "syntax", Message: "not a JSON document: " + err.Error()}}, nil
	}
	verr := sch.Validate(doc)
	if verr == nil {
		return nil, nil
	}
	ve, ok := verr.(*jsonschema.ValidationError)
	if !ok {
		return incident.ErrorList{{Keyword: "schema", Message: verr.Error()}}, nil
	}
	var errs incident.ErrorList
	convert(s.parsed, ve, &errs)
	return sortErrors(data, merge(errs)), nil
}

// Validate validates an incident document against the incident schema; see
// [Schema.Validate].
func Validate(data []byte) error { return incidentSchema.Validate(data) }

// Decode is the one-call front door for incident documents. It checks the
// document's syntax, UTF-8, duplicate keys and limits ([incident.Check]),
// validates it against the incident schema, then decodes it and checks the
// rules the schema cannot express ([incident.Incident.Validate]). The error is
// an [incident.ErrorList] in document order, with each fault reported once
// even where several checks find it; options set the limits as for
// [incident.Decode].
func Decode(data []byte, opts ...incident.Option) (*incident.Incident, error) {
	lim, err := incident.NewLimits(opts...)
	if err != nil {
		return nil, err
	}
	errs := incident.Check(data, lim)
	if fatal(errs) {
		// Not JSON, or over the limits: nothing more can be checked safely.
		return nil, errs
	}
	serrs, err := incidentSchema.validate(data)
	if err != nil {
		return nil, err
	}
	// The cross-field rules, when the document decodes at all.
	var inc incident.Incident
	var verrs incident.ErrorList
	if jerr := json.Unmarshal(data, &inc); jerr == nil {
		if err := inc.Validate(); err != nil {
			verrs = err.(incident.ErrorList)
		}
	} else if len(errs)+len(serrs) == 0 {
		verrs = incident.ErrorList{{Keyword: "type", Message: jerr.Error()}}
	}
	if all := merge(errs, serrs, verrs); len(all) > 0 {
		return nil, sortErrors(data, all).Limit(incident.MaxFaults)
	}
	return &inc, nil
}

// fatal reports whether errs stop the checks: a syntax error or a limit.
func fatal(errs incident.ErrorList) bool {
	return slices.ContainsFunc(errs, func(e *incident.FieldError) bool {
		switch e.Keyword {
		case "syntax", "maxBytes", "maxDepth", "maxLength", "maxItems", "maxProperties", "trailingData", "maxFaults":
			return true
		}
		return false
	})
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
